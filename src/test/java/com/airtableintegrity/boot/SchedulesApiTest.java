package com.airtableintegrity.boot;

import static com.airtableintegrity.boot.ScheduleBodiesFixture.LEADS_BASE;
import static com.airtableintegrity.boot.ScheduleBodiesFixture.leads;
import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/**
 * {@code /api/schedules} on the running application: a schedule written over REST is stored, listed, fires as a
 * route of its own and starts runs carrying its id; disabled it fires no more; deleted it is gone. While none is
 * stored, the configured schedule is listed as {@code default}.
 */
class SchedulesApiTest extends BootApiTest {
    private static final int MAX_STORED = 4;
    /** A pattern whose compiled program would hold about a billion steps: over the budget of one pattern. */
    private static final String HEAP_BOMB = "((a{1000}){1000}){1000}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Autowired
    Firestore firestore;
    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void everyTwoSecondsAllowed(DynamicPropertyRegistry r) {
        r.add("integrity.schedule.min-interval-seconds", () -> "2");
        r.add("integrity.schedule.max-stored", () -> String.valueOf(MAX_STORED));
    }

    @BeforeEach
    void emptyCollectionsAndALeadsBase() {
        EMULATOR.wipe();
        AIRTABLE.addTable(LEADS_BASE, "Leads", Records.of('L', 30,
                i -> fields("Name", i == 3 ? null : "lead " + i, "Owner", List.of(Records.id('O', i % 2)))));
        AIRTABLE.addTable(LEADS_BASE, "Owners", Records.of('O', 1, i -> fields("Name", "owner")));
    }

    @AfterEach
    void noScheduleLeftToFire() throws Exception {
        AIRTABLE.clearFaults();
        for (JsonNode s : JSON.readTree(api.get("/api/schedules").body()).get("schedules")) {
            if ("firestore".equals(s.get("source").asText())) {
                api.delete("/api/schedules/" + s.get("id").asText());
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> runs().stream()
                .noneMatch(r -> "running".equals(r.get("status"))));
    }

    @Test
    void aScheduleDocumentWrittenByHandWithAWrongTypeIsSkippedAndNamedWhileTheOthersAreListed() throws Exception {
        String good = JSON.readTree(api.json("POST", "/api/schedules", leads("0 0 * * * ?")).body()).get("id").asText();
        firestore.collection("integrity_schedules").document("handWritten").set(Map.of("name", 42, "base_id",
                LEADS_BASE, "cron", "0 0 * * * ?", "tables", List.of(Map.of("name", "Leads", "rules", "none"))))
                .get(10, TimeUnit.SECONDS);

        ApiClient.Answer list = api.get("/api/schedules");
        ApiClient.Answer one = api.get("/api/schedules/handWritten");

        assertThat(list.status()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).get("schedules")).extracting(s -> s.get("id").asText())
                .containsExactly(good);
        assertThat(await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(api.get("/api/schedules").body())
                .get("not_applied"), n -> n.size() == 1).get(0).get("problem").asText()).isEqualTo("Schedule "
                + "document 'handWritten' is malformed: name must be a string, is a number; fix or delete the document");
        assertThat(one.line()).isEqualTo("409 {\"status\":409,\"error\":\"Conflict\",\"message\":\"Schedule "
                + "document 'handWritten' is malformed: name must be a string, is a number; fix or delete the document\","
                + "\"path\":\"/api/schedules/handWritten\"}");
        assertThat(api.delete("/api/schedules/handWritten").line())
                .isEqualTo("200 {\"result\":\"deleted\",\"id\":\"handWritten\"}");
    }

    @Test
    void theListPagesByNameWithTheCursorOfThePreviousPage() throws Exception {
        for (String name : List.of("c", "a", "b")) {
            create(leads("0 0 * * * ?").replace("\"Leads\", \"base_id\"", "\"" + name + "\", \"base_id\""));
        }

        JsonNode first = JSON.readTree(api.get("/api/schedules?limit=2").body());
        JsonNode second = JSON.readTree(api.get("/api/schedules?limit=2&after=" + first.get("next").asText()).body());

        assertThat(first.get("schedules")).extracting(s -> s.get("name").asText()).containsExactly("a", "b");
        assertThat(second.get("schedules")).extracting(s -> s.get("name").asText()).containsExactly("c");
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(api.get("/api/schedules?limit=501").line()).isEqualTo("400 {\"status\":400,\"error\":\"Bad "
                + "Request\",\"message\":\"Query parameter 'limit' must be a whole number from 1 to 500, was '501'\","
                + "\"path\":\"/api/schedules\"}");
        assertThat(api.get("/api/schedules?after=nope").line()).isEqualTo("400 {\"status\":400,\"error\":\"Bad "
                + "Request\",\"message\":\"Query parameter 'after' must be the 'next' cursor of a previous page, was "
                + "'nope'\",\"path\":\"/api/schedules\"}");
    }

    @Test
    void aCreateBeyondMaxStoredIsRefusedNamingTheSettingAndStoresNothing() throws Exception {
        for (int i = 0; i < MAX_STORED; i++) {
            create(leads("0 0 * * * ?"));
        }

        ApiClient.Answer refused = api.json("POST", "/api/schedules", leads("0 0 * * * ?"));

        assertThat(refused.line()).isEqualTo("409 {\"status\":409,\"error\":\"Conflict\",\"message\":\"There are "
                + MAX_STORED + " schedules stored, the most allowed (integrity.schedule.max-stored (env "
                + "INTEGRITY_SCHEDULE_MAX_STORED) is " + MAX_STORED + "): delete one first, or raise the limit\","
                + "\"path\":\"/api/schedules\"}");
        assertThat(JSON.readTree(api.get("/api/schedules").body()).get("schedules")).hasSize(MAX_STORED);
    }

    @Test
    void aStoredScheduleWithAPatternOverItsBudgetIsNotAppliedAndSaysSoWhileTheRunnerGoesOn() throws Exception {
        String good = create(leads("0 0 * * * ?"));
        Map<String, Object> bomb = new java.util.HashMap<>(Map.of("name", "bomb", "base_id", LEADS_BASE,
                "cron", "0 0 * * * ?", "time_zone", "UTC", "enabled", true, "tables", List.of(Map.of("name", "Leads",
                        "rules", List.of(Map.of("type", "pattern", "field", "Name", "regex", HEAP_BOMB))))));
        bomb.put("updated_at", Timestamp.now());
        firestore.collection("integrity_schedules").document("storedBomb").set(bomb).get(10, TimeUnit.SECONDS);
        String problem = "Schedule storedBomb is not applied: $.tables[0].rules[0].regex";

        JsonNode list = await().atMost(Duration.ofSeconds(10)).until(
                () -> JSON.readTree(api.get("/api/schedules").body()), l -> l.get("not_applied").size() == 1);

        assertThat(list.get("not_applied").get(0).get("id").asText()).isEqualTo("storedBomb");
        assertThat(list.get("not_applied").get(0).get("problem").asText()).startsWith(problem);
        assertThat(JSON.readTree(api.get("/api/schedules/storedBomb").body()).get("not_applied").asText())
                .startsWith(problem);
        assertThat(camel.getRoute("integrity-schedule-storedBomb")).isNull();
        assertThat(camel.getRoute("integrity-schedule-" + good)).isNotNull();
        assertThat(api.post("/api/schedules/storedBomb/run").line()).startsWith("409 {\"status\":409,\"error\":"
                + "\"Conflict\",\"message\":\"Schedule 'storedBomb' is stored but not valid, so it cannot run: "
                + "$.tables[0].rules[0].regex");
        assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void whileNoScheduleIsStoredTheConfiguredOneIsListedAsDefault() throws Exception {
        JsonNode list = JSON.readTree(api.get("/api/schedules").body()).get("schedules");

        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo("default");
        assertThat(list.get(0).get("source").asText()).isEqualTo("application.yaml");
        assertThat(list.get(0).get("base_id").asText()).isEqualTo("appTESTBASE000001");
        assertThat(api.json("PUT", "/api/schedules/default", leads("0 0 * * * ?")).status()).isEqualTo(409);
        assertThat(api.delete("/api/schedules/default").status()).isEqualTo(409);
    }

    @Test
    void aCreatedScheduleIsStoredListedAndReadBack() throws Exception {
        ApiClient.Answer created = api.json("POST", "/api/schedules", leads("0 0 3 * * ?"));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String id = body.get("id").asText();
        assertThat(created.header("Location")).contains("/api/schedules/" + id);
        assertThat(body.get("cron").asText()).isEqualTo("0 0 3 * * ?");
        assertThat(body.get("created_at").asText()).isEqualTo(body.get("updated_at").asText()).endsWith("Z");
        assertThat(JSON.readTree(api.get("/api/schedules/" + id).body())).isEqualTo(body);
        JsonNode list = JSON.readTree(api.get("/api/schedules").body()).get("schedules");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getRoute("integrity-schedule-" + id) != null);
    }

    @Test
    void aScheduleCreatedOverRestFiresAndItsRunsCarryItsId() throws Exception {
        String id = create(leads("0/2 * * * * ?"));

        Map<String, Object> run = await().atMost(Duration.ofSeconds(20)).until(() -> runs().stream()
                .filter(r -> !"running".equals(r.get("status"))).findFirst().orElse(null), r -> r != null);

        assertThat(run).containsEntry("schedule_id", id).containsEntry("trigger", "schedule")
                .containsEntry("base_id", LEADS_BASE).containsEntry("status", "warning")
                .containsEntry("records_scanned", 31L).containsEntry("issues_found", 16L);
    }

    @Test
    void aDisabledScheduleStartsNoNewRun() throws Exception {
        String id = create(leads("0/2 * * * * ?"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !runs().isEmpty());

        ApiClient.Answer patched = api.json("PATCH", "/api/schedules/" + id, "{\"enabled\": false}");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).get("enabled").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getRoute("integrity-schedule-" + id) == null);
        await().atMost(Duration.ofSeconds(20)).until(() -> runs().stream()
                .noneMatch(r -> "running".equals(r.get("status"))));
        int runsWhenDisabled = runs().size();
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .until(() -> runs().size() == runsWhenDisabled);
    }

    @Test
    void aReplacedScheduleGetsItsNewTrigger() throws Exception {
        String id = create(leads("0 0 3 * * ?"));

        ApiClient.Answer replaced = api.json("PUT", "/api/schedules/" + id, leads("0 30 4 * * ?"));

        assertThat(replaced.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getRoute("integrity-schedule-" + id) != null
                && camel.getRoute("integrity-schedule-" + id).getEndpoint().getEndpointUri().contains("4+*+*"));
    }

    @Test
    void aDeletedScheduleIsGoneAndCannotBeUpdated() throws Exception {
        String id = create(leads("0 0 3 * * ?"));

        assertThat(api.delete("/api/schedules/" + id).line())
                .isEqualTo("200 {\"result\":\"deleted\",\"id\":\"" + id + "\"}");
        assertThat(api.get("/api/schedules/" + id).status()).isEqualTo(404);
        assertThat(api.json("PUT", "/api/schedules/" + id, leads("0 0 4 * * ?")).line()).isEqualTo("404 "
                + "{\"status\":404,\"error\":\"Not Found\",\"message\":\"No schedule with id '" + id + "'\","
                + "\"path\":\"/api/schedules/" + id + "\"}");
        assertThat(api.json("PATCH", "/api/schedules/" + id, "{\"enabled\": true}").status()).isEqualTo(404);
        assertThat(api.delete("/api/schedules/" + id).status()).isEqualTo(404);
        assertThat(firestore.collection("integrity_schedules").get().get(10, TimeUnit.SECONDS).isEmpty()).isTrue();
    }

    @Test
    void runNowStartsAManualRunOfTheSchedulesBaseAndTables() throws Exception {
        String id = create(leads("0 0 3 * * ?"));

        ApiClient.Answer started = api.post("/api/schedules/" + id + "/run");

        assertThat(started.line()).isEqualTo("202 {\"result\":\"manual run requested\",\"schedule_id\":\"" + id + "\"}");
        Map<String, Object> run = await().atMost(Duration.ofSeconds(20)).until(() -> runs().stream()
                .filter(r -> !"running".equals(r.get("status"))).findFirst().orElse(null), r -> r != null);
        assertThat(run).containsEntry("schedule_id", id).containsEntry("trigger", "manual")
                .containsEntry("base_id", LEADS_BASE).containsEntry("records_scanned", 31L);
    }

    @Test
    void twoSchedulesOfOneBaseNeverOverlapAndTheBusyFiringIsCountedInTheRunList() throws Exception {
        AIRTABLE.fault(Fault.slow(Duration.ofMillis(2500)).onBase(LEADS_BASE).onTable("Owners"));
        create(leads("0/2 * * * * ?"));
        create(leads("1/2 * * * * ?").replace("\"Leads\", \"base_id\"", "\"Leads again\", \"base_id\""));

        JsonNode base = await().atMost(Duration.ofSeconds(30)).until(() -> leadsBase(api.get("/api/runs")),
                b -> b != null && b.get("skipped_count").asLong() >= 1);

        assertThat(base.get("last_skipped_at").asText()).endsWith("Z");
        noScheduleLeftToFire();
        List<Map<String, Object>> runs = runs().stream().filter(r -> LEADS_BASE.equals(r.get("base_id")))
                .sorted(Comparator.comparing(r -> (Timestamp) r.get("started_at"))).toList();
        assertThat(runs).hasSizeGreaterThanOrEqualTo(1);
        for (int i = 1; i < runs.size(); i++) {
            assertThat((Timestamp) runs.get(i).get("started_at")).as("run %d starts after run %d ended", i, i - 1)
                    .isGreaterThanOrEqualTo((Timestamp) runs.get(i - 1).get("ended_at"));
        }
    }

    private static JsonNode leadsBase(ApiClient.Answer list) throws Exception {
        for (JsonNode b : JSON.readTree(list.body()).get("bases")) {
            if (LEADS_BASE.equals(b.get("base_id").asText())) {
                return b;
            }
        }
        return null;
    }

    @Test
    void theControlMBeanListsSchedulesAndSwitchesThemForEveryRunner() throws Exception {
        String id = create(leads("0 0 3 * * ?"));
        ObjectName control = new ObjectName(
                "org.apache.camel:context=airtable-integrity-runner,type=services,name=IntegrityRunnerControl");
        String[] oneString = {String.class.getName()};

        assertThat(JMX.invoke(control, "listSchedules", null, null))
                .isEqualTo(List.of(id + " enabled '0 0 3 * * ?' Europe/Berlin " + LEADS_BASE + " Leads"));
        assertThat(JMX.invoke(control, "disableSchedule", new Object[] {id}, oneString))
                .isEqualTo("Schedule " + id + " disabled");
        assertThat(JSON.readTree(api.get("/api/schedules/" + id).body()).get("enabled").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getRoute("integrity-schedule-" + id) == null);
        assertThat(JMX.invoke(control, "enableSchedule", new Object[] {id}, oneString))
                .isEqualTo("Schedule " + id + " enabled");
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getRoute("integrity-schedule-" + id) != null);
        assertThat(JMX.invoke(control, "enableSchedule", new Object[] {"nope"}, oneString))
                .isEqualTo("No stored schedule with id 'nope'");
    }

    @Test
    void stoppingOneSchedulesRouteOverJmxPausesJustThatSchedule() throws Exception {
        String paused = create(leads("0 0 3 * * ?"));
        String other = create(leads("0 0 4 * * ?").replace("\"Leads\", \"base_id\"", "\"Other\", \"base_id\""));
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getRoute("integrity-schedule-" + paused) != null
                && camel.getRoute("integrity-schedule-" + other) != null);
        ObjectName route = new ObjectName("org.apache.camel:context=airtable-integrity-runner,type=routes,name=\""
                + "integrity-schedule-" + paused + "\"");

        JMX.invoke(route, "stop", null, null);

        assertThat(JMX.getAttribute(route, "State")).isEqualTo("Stopped");
        assertThat(camel.getRouteController().getRouteStatus("integrity-schedule-" + other).isStarted()).isTrue();
        JMX.invoke(route, "start", null, null);
        assertThat(JMX.getAttribute(route, "State")).isEqualTo("Started");
    }

    private String create(String body) throws Exception {
        ApiClient.Answer created = api.json("POST", "/api/schedules", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asText();
    }

    private List<Map<String, Object>> runs() throws Exception {
        return firestore.collection("integrity_runs").get().get(10, TimeUnit.SECONDS).getDocuments().stream()
                .map(QueryDocumentSnapshot::getData).toList();
    }
}
