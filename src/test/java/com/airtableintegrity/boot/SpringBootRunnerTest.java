package com.airtableintegrity.boot;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/**
 * The product as it runs: Spring Boot with the top-level application.yaml (its tables and rules), the Quartz schedule,
 * and operation over JMX.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its schedule fires every 2 s: close the app after this class, before other classes use the emulator
class SpringBootRunnerTest {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final AirtableDouble AIRTABLE = AirtableDouble.start(TestSettings.TOKEN);

    static {
        // before the application starts: its schedule may fire as soon as it is up
        AIRTABLE.addTable(TestSettings.BASE, "Customers", Records.of('C', 150, i -> fields(
                "Name", "Customer " + i, "Email", "user" + i + "@example.com", "Status", "Active")));
        AIRTABLE.addTable(TestSettings.BASE, "Orders", Records.of('O', 40, i -> fields(
                "Customer", i == 7 ? List.of("recGONE0000000001") : List.of(Records.id('C', i)))));
        EMULATOR.wipe();
    }
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Autowired
    CamelContext camel;
    @Autowired
    Firestore firestore;
    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        r.add("integrity.airtable.token", () -> TestSettings.TOKEN);
        r.add("integrity.airtable.base-id", () -> TestSettings.BASE);
        r.add("integrity.airtable.api-url", AIRTABLE::baseUrl);
        r.add("integrity.firestore.project-id", EMULATOR::projectId);
        r.add("integrity.firestore.emulator-host", EMULATOR::hostPort);
        r.add("integrity.schedule.cron", () -> "0/2 * * * * ?");
        r.add("integrity.run.runner-id", () -> "boot-test-runner");
        r.add("camel.main.run-controller", () -> "false");
        // the REST test retries its start while scheduled runs are live: room for those retries
        r.add("integrity.api.start-burst", () -> "200");
        r.add("integrity.api.start-per-minute", () -> "600");
    }

    @AfterAll
    static void stopDouble() {
        AIRTABLE.close();
    }

    @Test
    void theScheduleRunsTheConfiguredTablesAndAScheduleStoppedOverJmxStartsNoRun() throws Exception {
        Map<String, Object> run = await().atMost(Duration.ofSeconds(30)).until(
                () -> runs().stream().filter(r -> "schedule".equals(r.get("trigger"))
                        && !"running".equals(r.get("status"))).findFirst().orElse(null),
                r -> r != null);
        assertThat(run.get("status")).isEqualTo("warning");
        assertThat(run.get("tables")).isEqualTo(List.of("Customers", "Orders"));
        assertThat(run.get("issues_found")).isEqualTo(1L);

        ObjectName schedule = new ObjectName(
                "org.apache.camel:context=airtable-integrity-runner,type=routes,name=\"integrity-schedule\"");
        JMX.invoke(schedule, "stop", null, null);
        assertThat(JMX.getAttribute(schedule, "State")).isEqualTo("Stopped");
        await().atMost(Duration.ofSeconds(40)).until(() -> runs().stream().noneMatch(r -> "running".equals(r.get("status"))));
        int runsWhenStopped = runs().size();
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> runs().size() == runsWhenStopped);

        JMX.invoke(schedule, "start", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> runs().size() > runsWhenStopped);
    }

    @Test
    void everyRouteHasAnIdAndADescriptionAndIsVisibleOverJmx() throws Exception {
        assertThat(camel.getRoutes()).extracting(r -> r.getRouteId()).contains(
                "integrity-schedule", "integrity-run", "integrity-scan-table", "integrity-sweep",
                "integrity-startup-recovery");
        assertThat(camel.getRoutes()).filteredOn(r -> !r.getEndpoint().getEndpointUri().startsWith("rest:"))
                .allSatisfy(r -> assertThat(r.getDescription()).as(r.getRouteId()).isNotBlank());
        ObjectName control = new ObjectName(
                "org.apache.camel:context=airtable-integrity-runner,type=services,name=IntegrityRunnerControl");
        assertThat(JMX.isRegistered(control)).isTrue();
        assertThat(JMX.invoke(control, "cancelRun", new Object[] {"no-such-run"}, new String[] {String.class.getName()}))
                .isEqualTo(false);
    }

    @Test
    void theRestApiStartsListsAndReadsRunsAndRejectsBadRequestsClearly() throws Exception {
        // the schedule fires every 2 s: a start is refused (409) while its run is live, and accepted between runs
        assertThat(await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> http("POST", "/api/runs"), answer -> !answer.startsWith("409 ")))
                .isEqualTo("202 {\"result\":\"manual run requested\"}");
        String finishedId = await().atMost(Duration.ofSeconds(30)).until(() -> runs().stream()
                .filter(r -> !"running".equals(r.get("status"))).map(r -> (String) r.get("id")).findFirst()
                .orElse(null), id -> id != null);

        String list = http("GET", "/api/runs?limit=200");
        assertThat(list).startsWith("200 ").contains("\"id\":\"" + finishedId + "\"")
                .containsPattern("\"started_at\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\"");
        assertThat(http("GET", "/api/runs/" + finishedId)).startsWith("200 ")
                .contains("\"id\":\"" + finishedId + "\"").contains("\"base_id\":\"" + TestSettings.BASE + "\"");
        assertThat(http("GET", "/api/runs/nosuchrun")).isEqualTo("404 {\"status\":404,\"error\":\"Not Found\","
                + "\"message\":\"No run with id 'nosuchrun'\",\"path\":\"/api/runs/nosuchrun\"}");
        assertThat(http("GET", "/api/runs?limit=0")).isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\","
                + "\"message\":\"Query parameter 'limit' must be a whole number from 1 to 200, was '0'\",\"path\":\"/api/runs\"}");
        assertThat(http("POST", "/api/runs/" + finishedId + "/cancel")).matches("409 \\{\"status\":409,\"error\":"
                + "\"Conflict\",\"message\":\"Run '" + finishedId + "' is not running \\(status '\\w+'\\)\",\"path\":\"/api/runs/"
                + finishedId + "/cancel\"}");
        assertThat(http("GET", "/actuator/health")).startsWith("200 ").contains("\"status\":\"UP\"");
    }

    /** "STATUS BODY" of a request to the app. */
    private String http(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + environment.getProperty("local.server.port") + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private List<Map<String, Object>> runs() throws Exception {
        return firestore.collection("integrity_runs").get().get(10, TimeUnit.SECONDS).getDocuments().stream()
                .map(d -> {
                    Map<String, Object> data = new java.util.HashMap<>(d.getData());
                    data.put("id", d.getId());
                    return data;
                }).toList();
    }
}
