package com.airtableintegrity.quarkus;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerJar;
import com.airtableintegrity.support.TestSettings;

/**
 * The Quarkus build ({@code target/quarkus-app/quarkus-run.jar}) as its own process, configured through the
 * environment variables of docs/configuration.md's table only, against the Firestore emulator and the Airtable
 * double: the top-level application.yaml's tables and rules, its schedule firing every 2 s, the sweep every second,
 * the REST API, /q/health, and operation over JMX (remote JMX on a free loopback port).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuarkusRunnerIT {
    private static final String RUNNER = "quarkus-it";
    private static final String STALE_RUN = "stale-run-of-a-dead-runner";
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final AirtableDouble AIRTABLE = AirtableDouble.start(TestSettings.TOKEN);
    private static final ObjectName SCHEDULE = name("type=routes,name=\"integrity-schedule\"");
    private static final ObjectName CONTROL = name("type=services,name=IntegrityRunnerControl");

    private static final Pattern LISTENING = Pattern.compile("Listening on: (http://127\\.0\\.0\\.1:\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RunnerJar runner;
    private static JMXConnector jmx;
    private static EmulatorRuns runs;

    @BeforeAll
    static void start() throws Exception {
        AIRTABLE.addTable(TestSettings.BASE, "Customers", Records.of('C', 150, i -> fields(
                "Name", "Customer " + i, "Email", "user" + i + "@example.com", "Status", "Active")));
        AIRTABLE.addTable(TestSettings.BASE, "Orders", Records.of('O', 40, i -> fields(
                "Customer", i == 7 ? List.of("recGONE0000000001") : List.of(Records.id('C', i)))));
        EMULATOR.wipe();
        runs = new EmulatorRuns(EMULATOR);
        // a run of a runner that died two hours ago: the sweep (every second here) must mark it
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        Map<String, Object> stale = new LinkedHashMap<>();
        stale.put("status", "running");
        stale.put("started_at", RunCollection.toTimestamp(twoHoursAgo));
        stale.put("heartbeat_at", RunCollection.toTimestamp(twoHoursAgo));
        stale.put("runner_id", "dead-runner");
        stale.put("base_id", "appSEEDEDBASE0001");
        EMULATOR.newClient().collection("integrity_runs").document(STALE_RUN).set(stale).get(10, TimeUnit.SECONDS);

        int jmxPort = freePort();
        runner = RunnerJar.against(AIRTABLE, EMULATOR)
                .env("INTEGRITY_RUNNER_ID", RUNNER)
                .env("INTEGRITY_SCHEDULE_CRON", "0/2 * * * * ?")
                .env("INTEGRITY_SWEEP_CRON", "* * * * * ?")
                .env("AIRTABLE_REQUESTS_PER_SECOND", "1000")
                .env("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "3")
                .env("AIRTABLE_BACKOFF_INITIAL_MILLIS", "50")
                .env("MAX_RUN_DURATION_SECONDS", "60")
                // the REST test retries its start while scheduled runs are live: room for those retries
                .env("INTEGRITY_API_START_BURST", "200")
                .env("INTEGRITY_API_START_PER_MINUTE", "600")
                .jvmArg("-Dcom.sun.management.jmxremote.port=" + jmxPort)
                .jvmArg("-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort)
                .jvmArg("-Dcom.sun.management.jmxremote.host=127.0.0.1")
                .jvmArg("-Djava.rmi.server.hostname=127.0.0.1")
                .jvmArg("-Dcom.sun.management.jmxremote.authenticate=false")
                .jvmArg("-Dcom.sun.management.jmxremote.ssl=false")
                .start(RUNNER);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("the runner exited", () -> !runner.isAlive())
                .until(() -> runner.get("/q/health/ready").statusCode() == 200);
        jmx = JMXConnectorFactory.connect(new JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (jmx != null) {
            jmx.close();
        }
        if (runner != null) {
            runner.close();
        }
        AIRTABLE.close();
    }

    @Test
    void aScheduledRunEndsWithExactCounts() throws Exception {
        Map<String, Object> run = await().atMost(Duration.ofSeconds(30)).until(() -> runs.all().stream()
                .filter(r -> "schedule".equals(r.get("trigger")) && RUNNER.equals(r.get("runner_id"))
                        && !"running".equals(r.get("status"))).findFirst().orElse(null), r -> r != null);

        assertThat(run.get("status")).isEqualTo("warning");
        assertThat(run.get("schedule_id")).isEqualTo("default");
        assertThat(run.get("tables")).isEqualTo(List.of("Customers", "Orders"));
        assertThat(run.get("records_scanned")).isEqualTo(190L);
        assertThat(run.get("issues_found")).isEqualTo(1L);
        assertThat(run.get("issues_stored")).isEqualTo(1L);
        assertThat(map(run, "counters")).containsEntry("requests", 3L).containsEntry("pages", 3L)
                .containsEntry("retries", 0L).containsEntry("rate_limited_429", 0L);
        assertThat(map(run, "table_results", "Customers")).containsEntry("finished", true)
                .containsEntry("records", 150L).containsEntry("pages", 2L).containsEntry("issues", 0L);
        assertThat(map(run, "table_results", "Orders")).containsEntry("finished", true)
                .containsEntry("records", 40L).containsEntry("pages", 1L).containsEntry("issues", 1L)
                .containsEntry("issues_by_rule", Map.of("required:Customer", 0L, "links_to:Customer", 1L));
    }

    @Test
    void theSweepMarksARunWhoseRunnerDied() throws Exception {
        Map<String, Object> swept = await().atMost(Duration.ofSeconds(20)).until(() -> runs.read(STALE_RUN),
                r -> !"running".equals(r.get("status")));

        assertThat(swept.get("status")).isEqualTo("timeout");
        assertThat(swept.get("swept_by")).isEqualTo(RUNNER);
        assertThat(swept.get("sweep_rule")).isEqualTo("max_age");
        assertThat(swept.get("error_message")).isEqualTo(HungRunQueries.maxAgeMessage(Duration.ofSeconds(1800)));
    }

    @Test
    void aScheduleRouteStoppedOverJmxStartsNoRunAndAHangingRequestIsBounded() throws Exception {
        MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
        mbeans.invoke(SCHEDULE, "stop", null, null);
        try {
            assertThat(mbeans.getAttribute(SCHEDULE, "State")).isEqualTo("Stopped");
            await().atMost(Duration.ofSeconds(40)).until(() -> runs.all().stream()
                    .noneMatch(r -> RUNNER.equals(r.get("runner_id")) && "running".equals(r.get("status"))));
            int runsWhenStopped = runs.all().size();
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                    .until(() -> runs.all().size() == runsWhenStopped);

            // a manual run (JMX runNow) whose second Customers page never answers: ends at the request timeout (3 s)
            AIRTABLE.fault(Fault.neverAnswer().onTable("Customers").onPage(2).once());
            assertThat(mbeans.invoke(CONTROL, "runNow", null, null)).asString().contains("manual run");
            Map<String, Object> run = await().atMost(Duration.ofSeconds(20)).until(() -> runs.all().stream()
                    .filter(r -> "manual".equals(r.get("trigger")) && r.get("error_message") != null
                            && !"running".equals(r.get("status"))).findFirst().orElse(null), r -> r != null);
            assertThat(run.get("status")).isEqualTo("error");
            assertThat((String) run.get("error_message")).contains("table 'Customers' page 2")
                    .contains("no complete answer within the request timeout of 3 s");
            assertThat((Long) run.get("duration_ms")).isBetween(3000L, 6000L);
            assertThat(mbeans.invoke(CONTROL, "cancelRun", new Object[] {"no-such-run"},
                    new String[] {String.class.getName()})).isEqualTo(false);
        } finally {
            AIRTABLE.clearFaults();
            mbeans.invoke(SCHEDULE, "start", null, null);
        }
        assertThat(mbeans.getAttribute(SCHEDULE, "State")).isEqualTo("Started");
        int before = runs.all().size();
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.all().size() > before);
    }

    @Test
    void theRestApiAnswersAsOnSpringBoot() throws Exception {
        // the schedule fires every 2 s: a start is refused (409) while its run is live, and accepted between runs
        assertThat(await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> answer("POST", "/api/runs"), a -> !a.startsWith("409 ")))
                .isEqualTo("202 {\"result\":\"manual run requested\"}");
        String finishedId = await().atMost(Duration.ofSeconds(30)).until(() -> runs.all().stream()
                .filter(r -> RUNNER.equals(r.get("runner_id")) && !"running".equals(r.get("status")))
                .map(r -> (String) r.get("id")).findFirst().orElse(null), id -> id != null);

        assertThat(answer("GET", "/api/runs?limit=200")).startsWith("200 ")
                .contains("\"id\":\"" + finishedId + "\"")
                .containsPattern("\"started_at\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\"");
        assertThat(answer("GET", "/api/runs/" + finishedId)).startsWith("200 ")
                .contains("\"id\":\"" + finishedId + "\"").contains("\"base_id\":\"" + TestSettings.BASE + "\"");
        assertThat(answer("GET", "/api/runs/nosuchrun")).isEqualTo("404 {\"status\":404,\"error\":\"Not Found\","
                + "\"message\":\"No run with id 'nosuchrun'\",\"path\":\"/api/runs/nosuchrun\"}");
        assertThat(answer("GET", "/api/runs?limit=0")).isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\","
                + "\"message\":\"Query parameter 'limit' must be a whole number from 1 to 200, was '0'\","
                + "\"path\":\"/api/runs\"}");
        assertThat(answer("POST", "/api/runs/" + finishedId + "/cancel")).matches("409 \\{\"status\":409,"
                + "\"error\":\"Conflict\",\"message\":\"Run '" + finishedId + "' is not running \\(status '\\w+'\\)\","
                + "\"path\":\"/api/runs/" + finishedId + "/cancel\"}");
        assertThat(answer("POST", "/api/runs/nosuchrun/cancel")).isEqualTo("404 {\"status\":404,\"error\":"
                + "\"Not Found\",\"message\":\"No run with id 'nosuchrun'\",\"path\":\"/api/runs/nosuchrun/cancel\"}");
        assertThat(answer("GET", "/api/nothing")).isEqualTo("404 {\"status\":404,\"error\":\"Not Found\","
                + "\"message\":\"No endpoint GET /api/nothing\",\"path\":\"/api/nothing\"}");
        assertThat(answer("DELETE", "/api/runs")).isEqualTo("405 {\"status\":405,\"error\":\"Method Not Allowed\","
                + "\"message\":\"Method DELETE is not allowed on /api/runs\",\"path\":\"/api/runs\"}");
    }

    @Test
    void healthAtQHealthHasCamelsChecks() throws Exception {
        String health = answer("GET", "/q/health");
        assertThat(health).startsWith("200 ").contains("\"status\": \"UP\"")
                .contains("\"context.name\": \"airtable-integrity-runner\"")
                .contains("\"name\": \"camel-routes\"").contains("\"name\": \"camel-consumers\"");
        assertThat(answer("GET", "/q/health/live")).startsWith("200 ");
        assertThat(answer("GET", "/q/health/ready")).startsWith("200 ");
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: while a schedule is stored, the configured schedule does not fire
    void aStoredScheduleBecomesARouteFromTheRouteTemplateAndGoesWithItsDocument() throws Exception {
        String created = answer("POST", "/api/schedules", "{\"name\":\"nightly\",\"base_id\":\""
                + TestSettings.BASE + "\",\"cron\":\"0 0 3 * * ?\",\"tables\":[{\"name\":\"Customers\","
                + "\"rules\":[{\"type\":\"required\",\"field\":\"Name\"}]}]}");
        assertThat(created).startsWith("201 ");
        Matcher id = Pattern.compile("\"id\":\"([\\w-]+)\"").matcher(created);
        assertThat(id.find()).isTrue();
        ObjectName route = name("type=routes,name=\"integrity-schedule-" + id.group(1) + "\"");
        MBeanServerConnection mbeans = jmx.getMBeanServerConnection();

        await().atMost(Duration.ofSeconds(20)).until(() -> mbeans.isRegistered(route));
        assertThat(mbeans.getAttribute(route, "State")).isEqualTo("Started");
        assertThat((String) mbeans.getAttribute(route, "EndpointUri"))
                .startsWith("quartz://integrity-schedules/" + id.group(1)).contains("cron=");
        assertThat(answer("DELETE", "/api/schedules/" + id.group(1)))
                .isEqualTo("200 {\"result\":\"deleted\",\"id\":\"" + id.group(1) + "\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> !mbeans.isRegistered(route));
    }

    private static String answer(String method, String path) throws Exception {
        return answer(method, path, null);
    }

    /** "STATUS BODY" of a request to the runner, at the port its log names; a body is sent as JSON. */
    private static String answer(String method, String path, String json) throws Exception {
        Matcher listening = LISTENING.matcher(runner.log());
        assertThat(listening.find()).as("the runner logs its address").isTrue();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(listening.group(1) + path))
                .timeout(Duration.ofSeconds(10));
        HttpRequest request = json == null ? builder.method(method, HttpRequest.BodyPublishers.noBody()).build()
                : builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> doc, String... keys) {
        Map<String, Object> m = doc;
        for (String key : keys) {
            m = (Map<String, Object>) m.get(key);
        }
        return new HashMap<>(m);
    }

    private static ObjectName name(String kind) {
        try {
            return new ObjectName("org.apache.camel:context=airtable-integrity-runner," + kind);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
