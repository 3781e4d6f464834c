package com.airtableintegrity.ops;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;

import com.airtableintegrity.boot.BootTestSettings;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.ScanPlan;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunTransactions;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;
import com.airtableintegrity.wiring.RunnerFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;

/**
 * The metrics as Prometheus scrapes them, and the ops/ files that read them: Spring Boot with application.yaml's
 * tables and rules against the emulator and the Airtable double runs one scan (one 429 and one 503 on the way), one
 * firing is skipped on a busy base, and the sweep (every second) marks one hung run and leaves one overdue run
 * running; /actuator/prometheus is scraped over HTTP and every value is checked exactly. Then every metric name in
 * every PromQL expression of ops/grafana-dashboard.json and ops/prometheus-alerts.yaml must be exported.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsFilesTest {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final AirtableDouble AIRTABLE = AirtableDouble.start(TestSettings.TOKEN);
    private static final String BUSY_BASE = "appBUSYBASE000001";
    /** What application.yaml's rules find in the data below, by rule type. */
    private static final Map<String, Double> ISSUES = Map.of("required", 2.0, "unique", 2.0, "pattern", 1.0,
            "allowed_values", 1.0, "links_to", 1.0);

    static {
        AIRTABLE.addTable(TestSettings.BASE, "Customers", Records.of('C', 150, i -> fields(
                "Name", i == 3 ? null : "Customer " + i,
                "Email", i == 5 ? null : i == 11 ? "user10@example.com" : i == 20 ? "not-an-email"
                        : "user" + i + "@example.com",
                "Status", i == 30 ? "Deleted" : "Active")));
        AIRTABLE.addTable(TestSettings.BASE, "Orders", Records.of('O', 40, i -> fields(
                "Customer", i == 7 ? List.of("recGONE0000000001") : List.of(Records.id('C', i)))));
        EMULATOR.wipe();
    }

    @Autowired
    Environment environment;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    Firestore firestore;
    @Autowired
    RunTransactions runs;
    @Autowired
    HungRunSweeper sweeper;
    @Autowired
    RunnerFactory factory;

    private Instant overdueStartedAt;
    private Instant overdueHeartbeatAt;
    private Map<String, Object> run;
    private PrometheusScrape scrape;
    private HungRunSweeper.StillRunning swept;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        BootTestSettings.register(r, AIRTABLE, EMULATOR, "ops-files-test-runner");
        r.add("integrity.sweep.cron", () -> "* * * * * ?");
        r.add("integrity.airtable.backoff-initial-millis", () -> "50");
        // a channel, so that the notification counters the alerts read are exported (nothing is ever sent to it)
        r.add("integrity.notify.channels.ops.kind", () -> "webhook");
        r.add("integrity.notify.channels.ops.url", () -> "http://127.0.0.1:9/hooks");
        r.add("integrity.notify.channels.ops.secret", () -> "ops-files-test-secret-0123");
    }

    @AfterAll
    void stopDouble() {
        AIRTABLE.close();
    }

    /** The scan, the skipped firing and the sweep's work, then one scrape taken between two sweeps. */
    @BeforeAll
    void runScanSkipAndSweepThenScrape() throws Exception {
        Instant now = Instant.now();
        // hung: no heartbeat for 5 minutes (the sweep marks it heartbeat_stale); overdue: 20 minutes old, beating,
        // past its 600 s deadline but under the sweep's 30-minute max age, so the sweep leaves it running
        putRun("hung-run", now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofMinutes(5)), 1800);
        overdueStartedAt = now.minus(Duration.ofMinutes(20));
        overdueHeartbeatAt = now.minusSeconds(10);
        putRun("overdue-run", overdueStartedAt, overdueHeartbeatAt, 600);
        AIRTABLE.fault(Fault.tooManyRequests("0").onTable("Customers").onPage(2).once());
        AIRTABLE.fault(Fault.serviceUnavailable().onTable("Orders").once());

        producer.send("direct:integrity-run", e -> e.getMessage().setHeader(RunLifecycle.TRIGGER, "manual"));
        runs.startRun(new RunTransactions.NewRun(BUSY_BASE, List.of("Customers"), "schedule", "another-runner",
                1800), Duration.ofMinutes(2));
        ScanPlan busy = new ScanPlan(BUSY_BASE, factory.configuredPlan().tables());
        producer.send("direct:integrity-run", e -> {
            e.getMessage().setHeader(RunLifecycle.TRIGGER, "schedule");
            e.setProperty(RunExchange.PLAN, busy);
        });
        run = await().atMost(Duration.ofSeconds(30)).until(() -> finishedRun(TestSettings.BASE), r -> r != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "timeout".equals(status("hung-run")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sweeper.stillRunning().at() != null
                && sweeper.stillRunning().at().isAfter(Instant.now().minusSeconds(2))
                && !sweeper.stillRunning().runs().isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HungRunSweeper.StillRunning before = sweeper.stillRunning();
            scrape = new PrometheusScrape(get("/actuator/prometheus"));
            swept = sweeper.stillRunning();
            return swept == before;
        });
    }

    @Test
    void runsRecordsAndIssuesAreCountedExactly() {
        assertThat(run.get("status")).isEqualTo("warning");
        for (String status : List.of("success", "warning", "error", "timeout", "cancelled")) {
            double expected = status.equals("warning") ? 1 : 0;
            assertThat(scrape.value("integrity_runs_total", "status", status)).as(status).isEqualTo(expected);
            assertThat(scrape.value("integrity_run_duration_seconds_count", "status", status)).isEqualTo(expected);
        }
        assertThat(scrape.value("integrity_run_duration_seconds_bucket", "status", "warning", "le", "+Inf"))
                .isEqualTo(1);
        assertThat(scrape.value("integrity_run_duration_seconds_sum", "status", "warning"))
                .isCloseTo(((Long) run.get("duration_ms")) / 1000.0, within(1.0));
        assertThat(scrape.value("integrity_records_scanned_total")).isEqualTo(190).isEqualTo(
                ((Long) run.get("records_scanned")).doubleValue());
        Map<String, Double> issues = new TreeMap<>();
        for (String rule : scrape.labelValues("integrity_issues_found_total", "rule")) {
            issues.put(rule, scrape.value("integrity_issues_found_total", "rule", rule));
        }
        assertThat(issues).isEqualTo(new TreeMap<>(ISSUES));
        assertThat(issues.values().stream().mapToDouble(Double::doubleValue).sum())
                .isEqualTo(((Long) run.get("issues_found")).doubleValue());
        assertThat(scrape.value("integrity_runs_skipped_total")).isEqualTo(1);
        assertThat(scrape.value("integrity_runs_live")).isEqualTo(0);
    }

    @Test
    void airtableRequestsLatencyAndThrottleWaitsAreCountedExactly() {
        // the base's schema (for record links), Customers: page 1, page 2 (429), page 2 again; Orders: page 1 (503),
        // page 1 again
        Map<String, Double> byOutcome = new TreeMap<>();
        for (String outcome : scrape.labelValues("integrity_airtable_requests_total", "outcome")) {
            byOutcome.put(outcome, scrape.value("integrity_airtable_requests_total", "outcome", outcome));
        }
        assertThat(byOutcome).isEqualTo(new TreeMap<>(Map.of("2xx", 4.0, "429", 1.0, "5xx", 1.0, "4xx", 0.0,
                "timeout", 0.0, "transport", 0.0, "aborted", 0.0, "other", 0.0)));
        @SuppressWarnings("unchecked")
        Map<String, Object> counters = (Map<String, Object>) run.get("counters");
        assertThat(counters).containsEntry("requests", 6L).containsEntry("rate_limited_429", 1L);
        assertThat(AIRTABLE.requestCount()).isEqualTo(6);
        assertThat(scrape.value("integrity_airtable_request_duration_seconds_count")).isEqualTo(6);
        assertThat(scrape.value("integrity_airtable_request_duration_seconds_bucket", "le", "+Inf")).isEqualTo(6);
        assertThat(scrape.value("integrity_airtable_request_duration_seconds_sum")).isPositive();
        assertThat(scrape.value("integrity_airtable_throttle_wait_seconds_count", "limiter", "throttle"))
                .isEqualTo(6);
        assertThat(scrape.value("integrity_airtable_throttle_wait_seconds_count", "limiter", "send_time"))
                .isEqualTo(6);
    }

    @Test
    void theSweepAndTheRunsInProgressAreExportedWithoutAQueryPerScrape() {
        assertThat(scrape.value("integrity_sweep_marks_total", "rule", "heartbeat_stale")).isEqualTo(1);
        assertThat(scrape.value("integrity_sweep_marks_total", "rule", "max_age")).isEqualTo(0);
        assertThat(scrape.value("integrity_sweep_last_success_timestamp_seconds"))
                .isCloseTo(swept.at().toEpochMilli() / 1000.0, within(2.0));
        // the overdue run as the last sweep saw it; no run of this runner is live
        assertThat(swept.runs()).extracting(HungRunQueries.RunningRun::id).containsExactly("overdue-run");
        assertThat(scrape.value("integrity_running_oldest_age_seconds"))
                .isCloseTo(millisBetween(overdueStartedAt, swept.at()) / 1000.0, within(0.002));
        assertThat(scrape.value("integrity_running_oldest_heartbeat_age_seconds"))
                .isCloseTo(millisBetween(overdueHeartbeatAt, swept.at()) / 1000.0, within(0.002));
        assertThat(scrape.value("integrity_running_past_deadline")).isEqualTo(1);
        assertThat(scrape.value("integrity_run_deadline_seconds")).isEqualTo(1800);
    }

    @Test
    void everyMetricInTheDashboardAndTheAlertsIsExported() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("ops/grafana-dashboard.json")));
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        List<String> exprs = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            titles.add(panel.path("title").asText());
            assertThat(panel.path("gridPos").path("w").asInt()).as(panel.path("title").asText()).isPositive();
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        }
        assertThat(dashboard.path("panels").findValuesAsText("id")).doesNotHaveDuplicates();
        assertThat(titles).hasSize(12);

        Map<String, Object> alerts = new Yaml().load(Files.readString(Path.of("ops/prometheus-alerts.yaml")));
        List<String> alertNames = new ArrayList<>();
        for (Object group : (List<?>) alerts.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                alertNames.add((String) r.get("alert"));
                assertThat(((Map<?, ?>) r.get("annotations")).get("summary")).as(r.get("alert") + "").isNotNull();
                exprs.add((String) r.get("expr"));
            }
        }
        assertThat(alertNames).contains("IntegrityNotificationsPending", "IntegrityNotificationGivenUp",
                "IntegrityRunPastDeadline", "IntegrityAirtableRateLimited",
                "IntegritySweepNotRunning");

        Map<String, String> problems = new LinkedHashMap<>();
        int names = 0;
        for (String expr : exprs) {
            assertThat(expr).as("an expression").isNotBlank();
            for (String name : PrometheusScrape.metricNames(expr)) {
                names++;
                String problem = scrape.problem(name);
                if (problem != null) {
                    problems.put(expr, problem);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(names).isGreaterThanOrEqualTo(exprs.size());
    }

    @Test
    void theCheckFindsAMisspelledOrMisusedMetric() {
        assertThat(PrometheusScrape.metricNames("sum by (status) (increase(integrity_runs_totl{status=\"x\"}[1h]))"
                + " / on (job) group_left max(integrity_runs_live offset 5m) > bool 0"))
                .containsExactly("integrity_runs_live", "integrity_runs_totl");
        assertThat(scrape.problem("integrity_runs_totl")).isEqualTo("integrity_runs_totl is not exported");
        assertThat(scrape.problem("integrity_airtable_request_duration_seconds"))
                .isEqualTo("integrity_airtable_request_duration_seconds is not exported");
        assertThat(scrape.problem("integrity_runs_total_bucket")).isNotNull();
        assertThat(scrape.problem("integrity_airtable_request_duration_seconds_bucket")).isNull();
        assertThat(scrape.problem("integrity_runs_total")).isNull();
    }

    private void putRun(String id, Instant startedAt, Instant heartbeatAt, long maxDurationSeconds)
            throws Exception {
        Map<String, Object> doc = new HashMap<>();
        doc.put("status", "running");
        doc.put("started_at", RunCollection.toTimestamp(startedAt));
        doc.put("heartbeat_at", RunCollection.toTimestamp(heartbeatAt));
        doc.put("max_duration_seconds", maxDurationSeconds);
        doc.put("base_id", "appOTHERBASE00001");
        doc.put("runner_id", "runner-gone");
        doc.put("cancel_requested", false);
        firestore.collection("integrity_runs").document(id).set(doc).get(10, TimeUnit.SECONDS);
    }

    private Map<String, Object> finishedRun(String baseId) throws Exception {
        return firestore.collection("integrity_runs").whereEqualTo("base_id", baseId).get().get(10, TimeUnit.SECONDS)
                .getDocuments().stream().map(d -> d.getData()).filter(d -> !"running".equals(d.get("status")))
                .findFirst().orElse(null);
    }

    private String status(String runId) throws Exception {
        return firestore.collection("integrity_runs").document(runId).get().get(10, TimeUnit.SECONDS)
                .getString("status");
    }

    private static long millisBetween(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private String get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + environment.getProperty("local.server.port") + path)).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
