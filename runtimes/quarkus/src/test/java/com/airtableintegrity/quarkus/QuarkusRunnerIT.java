package com.airtableintegrity.quarkus;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.internet.MimeMessage;

/**
 * The Quarkus build ({@code target/quarkus-app/quarkus-run.jar}) as its own process, configured through the
 * environment variables of docs/configuration.md's table only, against the Firestore emulator and the Airtable
 * double: the top-level application.yaml's tables and rules, its schedule firing every 2 s, the sweep every second,
 * the REST API, /q/health, and operation over JMX (remote JMX on a free loopback port); what the API refuses to
 * anonymous callers' browsers (another site's Host or write, answer headers set by the request) and to a pattern rule
 * whose regex would exhaust the heap.
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
    /** Query parameters named like answer headers that would set a cookie and redirect the page. */
    private static final String SETS_HEADERS = "?Set-Cookie=x%3Dy&Refresh=0%3Burl%3Dhttps://evil.example";
    private static final String REFLECT = "X-Reflect-Me";

    private static RunnerJar runner;
    private static JMXConnector jmx;
    private static EmulatorRuns runs;
    private static GreenMail smtp;

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

        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
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
                // every run of the schedule owes a notice to an email channel: camel-mail on Quarkus
                .env("INTEGRITY_NOTIFY_CRON", "* * * * * ?")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_KIND", "email")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_SMTPHOST", "127.0.0.1")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_SMTPPORT", String.valueOf(smtp.getSmtp().getPort()))
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_STARTTLS", "off")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_FROM", "integrity@example.com")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_TO", "owner@example.com")
                .env("INTEGRITY_SCHEDULE_NOTIFY_0_CHANNEL", "owners")
                .env("INTEGRITY_SCHEDULE_NOTIFY_0_EVENTS_0", "every_run")
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
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunsNoticeIsMailedOnceThroughCamelMail() throws Exception {
        Map<String, Object> run = await().atMost(Duration.ofSeconds(60)).until(() -> runs.all().stream()
                .filter(r -> r.get("notices") instanceof List<?> n && !n.isEmpty()
                        && "delivered".equals(((Map<String, Object>) n.get(0)).get("state")))
                .findFirst().orElse(null), r -> r != null);
        String runId = (String) run.get("id");
        Map<String, Object> notice = ((List<Map<String, Object>>) run.get("notices")).get(0);

        assertThat(notice).containsEntry("channel", "owners").containsEntry("event", "every_run")
                .containsEntry("attempts", 1L);
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        assertThat(subjects.stream().filter(s -> s.endsWith("run " + runId))).hasSize(1);
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
        // three pages and the base's schema (read once per run for the issues' record links)
        assertThat(map(run, "counters")).containsEntry("requests", 4L).containsEntry("pages", 3L)
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
        long outcomes = manualRunOutcomes();
        // the schedule fires every 2 s: a start is refused (409) while its run is live, and accepted between runs
        assertThat(await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> answer("POST", "/api/runs"), a -> !a.startsWith("409 ")))
                .isEqualTo("202 {\"result\":\"manual run requested\"}");
        // no request of this test is left in the queue for a later one to see
        await().atMost(Duration.ofSeconds(20)).until(() -> manualRunOutcomes() == outcomes + 1);
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

    @Test
    void anAnswerCarriesNoRequestHeaderAsItsOwnHeader() throws Exception {
        HttpResponse<String> answer = send(request("/api/schedules").header(REFLECT, "hello")
                .header("Location", "https://evil.example/h").header("Retry-After", "99").GET());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(reflected(answer)).isEmpty();
    }

    @Test
    void aRouteErrorCarriesNoRequestHeaderOrQueryParameterAsItsOwnHeader() throws Exception {
        // the sweep has ended the stale run: cancelling it is a 409
        await().atMost(Duration.ofSeconds(20)).until(() -> runs.read(STALE_RUN),
                r -> !"running".equals(r.get("status")));
        HttpResponse<String> badRequest = send(request("/api/runs" + SETS_HEADERS).header(REFLECT, "hello").GET());
        HttpResponse<String> notFound = send(request("/api/runs/nosuchrun" + SETS_HEADERS).header(REFLECT, "hello")
                .GET());
        HttpResponse<String> conflict = send(request("/api/runs/" + STALE_RUN + "/cancel" + SETS_HEADERS)
                .header(REFLECT, "hello").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(badRequest.statusCode() + " " + badRequest.body()).isEqualTo("400 {\"status\":400,\"error\":"
                + "\"Bad Request\",\"message\":\"Unknown query parameter 'Set-Cookie': this endpoint takes limit, "
                + "status, base, before\",\"path\":\"/api/runs\"}");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(reflected(badRequest)).isEmpty();
        assertThat(reflected(notFound)).isEmpty();
        assertThat(reflected(conflict)).isEmpty();
    }

    @Test
    void aRouterErrorCarriesNoRequestHeaderOrQueryParameterAsItsOwnHeader() throws Exception {
        HttpResponse<String> notFound = send(request("/api/nothing" + SETS_HEADERS).header(REFLECT, "hello").GET());
        HttpResponse<String> notAllowed = send(request("/api/runs" + SETS_HEADERS).header(REFLECT, "hello")
                .DELETE());

        assertThat(notFound.statusCode() + " " + notFound.body()).isEqualTo("404 {\"status\":404,\"error\":"
                + "\"Not Found\",\"message\":\"No endpoint GET /api/nothing\",\"path\":\"/api/nothing\"}");
        assertThat(notAllowed.statusCode()).isEqualTo(405);
        assertThat(reflected(notFound)).isEmpty();
        assertThat(reflected(notAllowed)).isEmpty();
    }

    @Test
    void aRequestNamedToAForeignHostIsMisdirectedOnEveryPath() throws Exception {
        for (String path : new String[] {"/api/runs", "/q/health/live", "/no/such/path"}) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: rebind.attacker.example:" + port()
                    + "\r\nConnection: close\r\n\r\n");

            assertThat(answer).as(path).startsWith("HTTP/1.1 421 ").endsWith("\r\n\r\n{\"status\":421,\"error\":"
                    + "\"Misdirected Request\",\"message\":\"Host 'rebind.attacker.example' is not a name of this "
                    + "runner: it listens on a loopback address and answers only localhost, 127.0.0.1 and [::1]\","
                    + "\"path\":\"" + path + "\"}");
        }
    }

    @Test
    void aRequestNamedToAForeignHostIsMisdirectedBeforeItsBodyIsLookedAt() throws Exception {
        // without the host check first: 413 (declared length over the limit) and 415 (not JSON)
        String tooLarge = statusLine("POST /api/runs HTTP/1.1\r\nHost: rebind.attacker.example\r\nContent-Type: "
                + "application/json\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\n");
        String notJson = statusLine("POST /api/runs HTTP/1.1\r\nHost: rebind.attacker.example\r\nContent-Type: "
                + "text/plain\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx");

        assertThat(tooLarge).isEqualTo("HTTP/1.1 421 Misdirected Request");
        assertThat(notJson).isEqualTo("HTTP/1.1 421 Misdirected Request");
    }

    @Test
    void aRequestNamedToALoopbackHostIsAnswered() throws Exception {
        for (String host : new String[] {"localhost:1", "127.0.0.1", "[::1]:" + port(), "LOCALHOST"}) {
            String answer = raw("GET /api/runs?limit=1 HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");

            assertThat(answer).as(host).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void anEmptyFormPostMarkedCrossSiteIsForbiddenAndStartsNoRun() throws Exception {
        assertCrossSiteFormPostRefused("Sec-Fetch-Site", "cross-site");
    }

    @Test
    void anEmptyFormPostFromAForeignOriginIsForbiddenAndStartsNoRun() throws Exception {
        assertCrossSiteFormPostRefused("Origin", "https://evil.example");
    }

    @Test
    void aFormPostFromTheRunnersOwnOriginRequestsARun() throws Exception {
        long outcomes = manualRunOutcomes();
        String origin = "http://127.0.0.1:" + port();

        // the schedule fires every 2 s: a start is refused (409) while its run is live
        assertThat(await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HttpResponse<String> a = send(formPost().header("Origin", origin).header("Sec-Fetch-Site", "same-origin"));
            return a.statusCode() + " " + a.body();
        }, a -> !a.startsWith("409 "))).isEqualTo("202 {\"result\":\"manual run requested\"}");
        // the request reached the manual-run queue, which starts the run, or skips it (counted on the base) when a
        // firing of the every-2-s schedule took the base first: seen once under a CPU hog, so either outcome counts
        await().atMost(Duration.ofSeconds(20)).until(() -> manualRunOutcomes() == outcomes + 1);
    }

    /** The manual runs the runner has logged as started or as not started (its base busy). */
    private static long manualRunOutcomes() {
        return runner.log().lines().filter(line -> line.contains(" started (manual)")
                || line.contains("(manual) not started")).count();
    }

    @Test
    void aRegexThatWouldExhaustTheHeapIsRefusedNamingTheRuleAndLivenessAnswersRightAfter() throws Exception {
        long start = System.nanoTime();
        String refused = answer("POST", "/api/schedules", "{\"name\":\"heavy\",\"base_id\":\"" + TestSettings.BASE
                + "\",\"cron\":\"0 0 3 * * ?\",\"tables\":[{\"name\":\"Customers\",\"rules\":[{\"type\":"
                + "\"pattern\",\"field\":\"Name\",\"regex\":\"((a{1000}){1000}){1000}\"}]}]}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        HttpResponse<String> live = send(request("/q/health/live").timeout(Duration.ofSeconds(5)).GET());

        assertThat(refused).isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\",\"message\":\"The schedule is "
                + "not valid: 1 problem, each named by its JSON path\",\"path\":\"/api/schedules\",\"problems\":["
                + "\"$.tables[0].rules[0].regex expands to more than 5000 steps (counted repetitions multiply: {1000} "
                + "inside {1000} is a million copies); use fewer or smaller counts, or + and * instead\"]}");
        assertThat(millis).as("ms to answer").isLessThan(5_000);
        assertThat(live.statusCode()).isEqualTo(200);
    }

    /** An empty form post to start a run, marked by {@code header} as another site's, is 403 and starts no run. */
    private static void assertCrossSiteFormPostRefused(String header, String value) throws Exception {
        long outcomes = manualRunOutcomes();

        HttpResponse<String> answer = send(formPost().header(header, value));

        assertThat(answer.statusCode() + " " + answer.body()).isEqualTo("403 {\"status\":403,\"error\":\"Forbidden\","
                + "\"message\":\"A POST from another site's page is refused: this runner listens on a loopback "
                + "address for its local callers only\",\"path\":\"/api/runs\"}");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> manualRunOutcomes() == outcomes);
    }

    private static HttpRequest.Builder formPost() {
        return request("/api/runs").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    /**
     * The headers of {@link #SETS_HEADERS}, {@link #REFLECT}, {@code Location} and {@code Retry-After} that
     * {@code answer} carries (none, if it is safe: none of these answers is a create or a 429).
     */
    private static List<String> reflected(HttpResponse<String> answer) {
        return List.of("Set-Cookie", "Refresh", REFLECT, "Location", "Retry-After").stream()
                .filter(h -> answer.headers().firstValue(h).isPresent()).toList();
    }

    private static String answer(String method, String path) throws Exception {
        return answer(method, path, null);
    }

    /** "STATUS BODY" of a request to the runner; a body is sent as JSON. */
    private static String answer(String method, String path, String json) throws Exception {
        HttpRequest.Builder builder = request(path);
        HttpResponse<String> response = send(json == null ? builder.method(method, HttpRequest.BodyPublishers.noBody())
                : builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json)));
        return response.statusCode() + " " + response.body();
    }

    /** A request to the runner, at the address its log names. */
    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(address() + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String address() {
        Matcher listening = LISTENING.matcher(runner.log());
        assertThat(listening.find()).as("the runner logs its address").isTrue();
        return listening.group(1);
    }

    private static int port() {
        return URI.create(address()).getPort();
    }

    /**
     * The whole answer to {@code request} (head and body), sent as it is over a socket: HttpClient will not send a
     * Host header of the caller's choice.
     */
    private static String raw(String request) throws Exception {
        return raw(request, false);
    }

    /** The status line of the answer to {@code request} (sent as {@link #raw} does), not waiting for the rest. */
    private static String statusLine(String request) throws Exception {
        return raw(request, true);
    }

    private static String raw(String request, boolean firstLineOnly) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (!firstLineOnly) {
                in.transferTo(answer);
                return answer.toString(StandardCharsets.UTF_8);
            }
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                answer.write(b);
            }
            return answer.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        }
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
