package com.airtableintegrity.jar;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerJar;
import com.airtableintegrity.support.TestSettings;

/**
 * The packaged jar, started as users start it ({@code java -jar}, settings from the environment, the packaged
 * application.yaml with its Customers and Orders tables): its schedule runs a scan, and its REST API and health
 * answer. Tests on the directory classpath cannot see what only the jar gets wrong (routes under routes/rest/ were
 * once missing from it).
 */
class PackagedJarIT {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final EmulatorRuns RUNS = new EmulatorRuns(EMULATOR);
    private static AirtableDouble airtable;
    private static RunnerJar runner;

    @BeforeAll
    static void startTheJar() {
        EMULATOR.wipe();
        airtable = AirtableDouble.start(TestSettings.TOKEN);
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 150, i -> fields(
                "Name", "Customer " + i, "Email", "user" + i + "@example.com", "Status", i == 3 ? "Lapsed" : "Active")));
        airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 40, i -> fields(
                "Customer", i == 7 ? List.of("recGONE0000000001") : List.of(Records.id('C', i)))));
        runner = RunnerJar.against(airtable, EMULATOR)
                .env("INTEGRITY_SCHEDULE_CRON", "0/2 * * * * ?")
                .start("packaged-jar").awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        runner.close();
        airtable.close();
    }

    @Test
    void theScheduleRunsThePackagedTablesWithExactCounts() throws Exception {
        Map<String, Object> run = await().atMost(Duration.ofSeconds(60)).until(() -> RUNS.all().stream()
                .filter(r -> "schedule".equals(r.get("trigger")) && !"running".equals(r.get("status")))
                .findFirst().orElse(null), r -> r != null);

        assertThat(run.get("status")).isEqualTo("warning");
        assertThat(run.get("tables")).isEqualTo(List.of("Customers", "Orders"));
        assertThat(run.get("records_scanned")).isEqualTo(190L);
        assertThat(run.get("issues_found")).as("one status not allowed, one broken link").isEqualTo(2L);
        assertThat(run.get("runner_id")).isEqualTo("packaged-jar");
    }

    @Test
    void theRestApiOfTheJarListsAndReadsRuns() throws Exception {
        String id = await().atMost(Duration.ofSeconds(60)).until(() -> RUNS.all().stream()
                .filter(r -> !"running".equals(r.get("status"))).map(r -> (String) r.get("id"))
                .findFirst().orElse(null), r -> r != null);

        HttpResponse<String> list = runner.get("/api/runs?limit=50");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"id\":\"" + id + "\"");
        HttpResponse<String> one = runner.get("/api/runs/" + id);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"base_id\":\"" + TestSettings.BASE + "\"");
    }

    @Test
    void theConsoleOfTheJarShowsItsRunsFromThePackagedTemplates() throws Exception {
        String id = await().atMost(Duration.ofSeconds(60)).until(() -> RUNS.all().stream()
                .filter(r -> !"running".equals(r.get("status"))).map(r -> (String) r.get("id"))
                .findFirst().orElse(null), r -> r != null);

        HttpResponse<String> list = runner.get("/");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        assertThat(list.body()).contains("<tr class=\"run\" data-run-id=\"" + id + "\"")
                .contains("<script src=\"/console/console.js\" defer></script>").doesNotContain(TestSettings.TOKEN);
        HttpResponse<String> run = runner.get("/runs/" + id);
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(run.body()).contains("<span class=\"badge status-warning\">Warning</span>");
        assertThat(runner.get("/console/console.js").statusCode()).isEqualTo(200);
        assertThat(runner.get("/console/console.css").statusCode()).isEqualTo(200);
    }

    @Test
    void healthIsUpWithoutDetailsAndBothProbesAnswer() throws Exception {
        HttpResponse<String> health = runner.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"")
                .doesNotContain("components", "details", "diskSpace", "version");
        assertThat(runner.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(runner.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }
}
