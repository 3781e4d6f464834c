package com.airtableintegrity.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.airtableintegrity.IntegrityRunnerApplication;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The README's first command, as a test: the demo profile boots on a free port with no other setting (it starts the
 * Firestore emulator itself: no FIRESTORE_EMULATOR_HOST), its first run ends {@code warning} with exactly the
 * planted defects docs/demo.md lists, a fault switched on over the REST API ends a run {@code error}, and closing the
 * runner leaves no emulator process and no open port behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoProfileTest {
    private static final Duration FIRST_RUN_DEADLINE = Duration.ofSeconds(60);
    private static final Duration FAULT_RUN_DEADLINE = Duration.ofSeconds(30);

    /** The table of planted defects in docs/demo.md: per table, {@code rule:field} → issues. */
    private static final Map<String, Map<String, Integer>> PLANTED = Map.of(
            "Customers", counts("required:Name", 7, "required:Email", 12, "unique:Email", 19, "pattern:Email", 14,
                    "allowed_values:Status", 10),
            "Orders", counts("required:Customer", 11, "links_to:Customer", 13, "links_to:Products", 6,
                    "unique:Order No", 8, "pattern:Order No", 9, "allowed_values:Status", 5),
            "Products", Map.of());
    private static final Map<String, Integer> RECORDS = Map.of("Customers", 1500, "Orders", 2400, "Products", 120);

    private ConfigurableApplicationContext runner;
    private DemoApi api;
    private List<ProcessHandle> emulatorProcesses;
    private int emulatorPort;
    private int sampleBasePort;
    private DemoNoticeReceiver notices;
    private int noticesPort;

    @BeforeAll
    void bootTheDemoProfile() {
        runner = new SpringApplicationBuilder(IntegrityRunnerApplication.class).profiles("demo")
                .run("--server.port=0", "--integrity.firestore.emulator-host=", "--camel.main.run-controller=false");
        api = new DemoApi(Integer.parseInt(runner.getEnvironment().getRequiredProperty("local.server.port")));
        DemoEmulator emulator = runner.getBean(DemoProfileListener.EMULATOR_BEAN, DemoEmulator.class);
        emulatorProcesses = emulator.processes();
        emulatorPort = emulator.port();
        sampleBasePort = runner.getBean(SampleBaseServer.class).port();
        notices = runner.getBean(DemoNoticeReceiver.class);
        noticesPort = java.net.URI.create(notices.url()).getPort();
    }

    @AfterAll
    void closeIfStillOpen() {
        if (runner != null && runner.isActive()) {
            runner.close();
        }
    }

    @Test
    @Order(1)
    void theFirstRunEndsWarningWithExactlyThePlantedDefects() {
        AtomicReference<JsonNode> first = new AtomicReference<>();
        Awaitility.await("the demo's first run ends").atMost(FIRST_RUN_DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    List<JsonNode> runs = api.runs();
                    JsonNode oldest = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                    first.set(oldest);
                    return oldest != null && !oldest.path("status").asText().equals("running");
                });
        JsonNode run = first.get();
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("warning");
        assertThat(run.path("base_id").asText()).isEqualTo("appDemoCrmSample1");
        assertThat(run.path("records_scanned").asLong()).isEqualTo(4020);
        assertThat(run.path("issues_found").asLong()).isEqualTo(114);
        assertThat(run.path("issues_stored").asLong()).isEqualTo(114);
        assertThat(run.path("counters").path("rate_limited_429").asLong()).isZero();
        assertThat(run.path("counters").path("pages").asLong()).isEqualTo(41);
        Map<String, Map<String, Integer>> byRule = new LinkedHashMap<>();
        Map<String, Integer> records = new LinkedHashMap<>();
        run.path("table_results").fields().forEachRemaining(table -> {
            assertThat(table.getValue().path("finished").asBoolean()).as(table.getKey()).isTrue();
            records.put(table.getKey(), table.getValue().path("records").asInt());
            Map<String, Integer> counts = new LinkedHashMap<>();
            table.getValue().path("issues_by_rule").fields()
                    .forEachRemaining(rule -> counts.put(rule.getKey(), rule.getValue().asInt()));
            byRule.put(table.getKey(), counts);
        });
        assertThat(records).isEqualTo(RECORDS);
        assertThat(byRule).isEqualTo(PLANTED);
    }

    @Test
    @Order(2)
    void theSecondRunFindsTheChangedCustomersAsFourNewIssuesAndFiveResolved() {
        // a manual run, or the schedule's next firing if it comes first: either way the second run
        Awaitility.await("a second run is under way").atMost(FAULT_RUN_DEADLINE).pollInterval(Duration.ofSeconds(1))
                .until(() -> api.runs().size() >= 2 || api.post("/api/runs", "{}").status() == 202);
        AtomicReference<List<JsonNode>> runs = new AtomicReference<>();
        Awaitility.await("the second run ends").atMost(FIRST_RUN_DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    runs.set(api.runs());
                    return runs.get().size() >= 2
                            && !runs.get().get(runs.get().size() - 2).path("status").asText().equals("running");
                });
        JsonNode first = runs.get().get(runs.get().size() - 1);
        JsonNode second = runs.get().get(runs.get().size() - 2);
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("warning");
        assertThat(second.path("baseline_run_id").asText()).isEqualTo(first.path("id").asText());
        assertThat(second.path("issues_found").asLong()).isEqualTo(113);
        assertThat(second.path("issues_new").asLong()).isEqualTo(4);
        assertThat(second.path("issues_resolved").asLong()).isEqualTo(5);
        assertThat(second.path("issues_persisting").asLong()).isEqualTo(109);
        assertThat(second.path("issues_first_run").asLong()).isZero();
        JsonNode customers = second.path("table_results").path("Customers").path("diff_by_rule");
        assertThat(customers.path("required:Email").path("issues_resolved").asLong()).isEqualTo(3);
        assertThat(customers.path("pattern:Email").path("issues_resolved").asLong()).isEqualTo(2);
        assertThat(customers.path("required:Name").path("issues_new").asLong()).isEqualTo(2);
        assertThat(customers.path("allowed_values:Status").path("issues_new").asLong()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void aFaultSwitchedOnOverTheApiEndsARunAsError() throws Exception {
        Set<String> before = api.runs().stream().map(r -> r.path("id").asText()).collect(Collectors.toSet());
        DemoApi.Answer switched = api.post("/api/demo/fault", "{\"fault\":\"503:Orders\"}");
        assertThat(switched.status()).isEqualTo(200);
        assertThat(switched.body().path("fault").asText()).isEqualTo("503:Orders");
        assertThat(api.post("/api/demo/fault", "{\"fault\":\"503:Nowhere\"}").status()).isEqualTo(400);
        try {
            // a scheduled run may hold the base for a moment (409): ask again until the start is accepted
            Awaitility.await("a manual run is accepted").atMost(FAULT_RUN_DEADLINE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> api.post("/api/runs", "{}").status() == 202);
            AtomicReference<JsonNode> faulted = new AtomicReference<>();
            Awaitility.await("a run under the fault ends").atMost(FAULT_RUN_DEADLINE)
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        faulted.set(api.runs().stream().filter(r -> !before.contains(r.path("id").asText()))
                                .filter(r -> !r.path("status").asText().equals("running")).findFirst().orElse(null));
                        return faulted.get() != null;
                    });
            JsonNode run = faulted.get();
            assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("error");
            assertThat(run.path("error_message").asText()).isEqualTo("table 'Orders' page 1: failed after 3 attempts: "
                    + "HTTP 503 SERVICE_UNAVAILABLE: Service temporarily unavailable");
        } finally {
            assertThat(api.post("/api/demo/fault", "{\"fault\":\"none\"}").status()).isEqualTo(200);
        }
    }

    @Test
    @Order(4)
    void theDemosOwnReceiverGotASignedNoticeOfEveryRunAndAnErrorNoticeOfTheFaultedOne() throws Exception {
        Set<String> ended = api.runs().stream().filter(r -> !r.path("status").asText().equals("running"))
                .map(r -> r.path("id").asText()).collect(Collectors.toSet());
        String errorRun = api.runs().stream().filter(r -> r.path("status").asText().equals("error"))
                .map(r -> r.path("id").asText()).findFirst().orElseThrow();
        Awaitility.await("the notices of every ended run arrive").atMost(FAULT_RUN_DEADLINE)
                .pollInterval(Duration.ofMillis(500)).until(() -> notices.received().stream()
                        .filter(n -> n.event().equals("every_run")).map(DemoNoticeReceiver.Received::runId)
                        .collect(Collectors.toSet()).containsAll(ended)
                        && notices.received().stream().anyMatch(n -> n.id().equals(errorRun + ":error")));

        assertThat(notices.received()).allMatch(DemoNoticeReceiver.Received::signatureValid);
        assertThat(notices.received()).extracting(DemoNoticeReceiver.Received::id).doesNotHaveDuplicates();
        assertThat(notices.received().stream().filter(n -> n.id().equals(errorRun + ":error")))
                .singleElement().extracting(DemoNoticeReceiver.Received::status).isEqualTo("error");
    }

    @Test
    @Order(5)
    void closingTheRunnerLeavesNoEmulatorProcessAndNoOpenPort() {
        // the launcher script's short-lived helpers may be among those seen at start, and gone by now
        assertThat(emulatorProcesses.stream().filter(ProcessHandle::isAlive))
                .as("the watchdog, the launcher and its Java child").hasSizeGreaterThanOrEqualTo(2);
        assertThat(listening(emulatorPort)).isTrue();

        runner.close();

        assertThat(emulatorProcesses).as("emulator processes after close").noneMatch(ProcessHandle::isAlive);
        assertThat(emulatorProcesses.get(0).descendants().toList()).isEmpty();
        assertThat(listening(emulatorPort)).as("emulator port " + emulatorPort).isFalse();
        assertThat(listening(sampleBasePort)).as("sample base port " + sampleBasePort).isFalse();
        assertThat(listening(noticesPort)).as("notice receiver port " + noticesPort).isFalse();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, Integer> counts(Object... ruleAndCount) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < ruleAndCount.length; i += 2) {
            m.put((String) ruleAndCount[i], (Integer) ruleAndCount[i + 1]);
        }
        return m;
    }
}
