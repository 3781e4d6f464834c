package com.airtableintegrity.scan;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.quartz.QuartzEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.run.ScheduleRoutes;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.ScheduleDocuments;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;

/**
 * A schedule becomes a route from template integrity-schedule-template: it fires on its cron and scans its own base
 * and tables; a changed schedule replaces its trigger; a disabled one has no route and starts no run.
 */
class ScheduleRoutesTest extends RunnerTestBase {
    private static final String LEADS_BASE = "appLEADSBASE00001";

    @BeforeEach
    void leads() throws Exception {
        airtable.addTable(LEADS_BASE, "Leads", Records.of('L', 50, i -> fields("Name", i == 7 ? null : "lead " + i)));
        startRunner(List.of(new TableSpec("Unused", List.of())));
    }

    private static ScheduleSpec leadsEverySecond() {
        ScheduleSpec s = new ScheduleSpec();
        s.setName("Leads");
        s.setBaseId(LEADS_BASE);
        s.setCron("0/1 * * * * ?");
        s.setTimeZone("Europe/Berlin");
        s.setTables(List.of(new TableSpec("Leads", List.of(RuleSpec.required("Name")))));
        return s;
    }

    private ScheduleRoutes schedules() {
        return runner.beans().scheduleRoutes();
    }

    private List<Map<String, Object>> runs() throws Exception {
        return runner.firestore().collection("integrity_runs").get().get(10, TimeUnit.SECONDS).getDocuments()
                .stream().map(d -> d.getData()).toList();
    }

    @Test
    void anEnabledScheduleFiresItsRouteAndScansItsOwnBaseAndTables() throws Exception {
        schedules().apply("leads", leadsEverySecond());

        assertThat(runner.context().getRoute("integrity-schedule-leads")).isNotNull();
        Map<String, Object> run = await().atMost(Duration.ofSeconds(20)).until(() -> runs().stream()
                .filter(r -> !"running".equals(r.get("status"))).findFirst().orElse(null), r -> r != null);
        assertThat(run).containsEntry("status", "warning").containsEntry("trigger", "schedule")
                .containsEntry("schedule_id", "leads")
                .containsEntry("base_id", LEADS_BASE).containsEntry("tables", List.of("Leads"))
                .containsEntry("records_scanned", 50L).containsEntry("issues_found", 1L);
        schedules().remove("leads");
        await().atMost(Duration.ofSeconds(20)).until(() -> runner.context().getRoute("integrity-schedule-leads") == null);
    }

    @Test
    void aChangedScheduleReplacesItsTrigger() {
        schedules().apply("leads", leadsEverySecond());
        ScheduleSpec nightly = leadsEverySecond();
        nightly.setCron("0 0 3 * * ?");

        schedules().apply("leads", nightly);

        // a run of the old trigger may be in progress: the new trigger then follows when it ends
        await().atMost(Duration.ofSeconds(20)).until(() -> runner.context().getRoute("integrity-schedule-leads")
                != null && "0 0 3 * * ?".equals(((QuartzEndpoint) runner.context().getRoute("integrity-schedule-leads")
                .getEndpoint()).getCron()));
        schedules().remove("leads");
        await().atMost(Duration.ofSeconds(20)).until(() -> runner.context().getRoute("integrity-schedule-leads") == null);
    }

    @Test
    void aScheduleDocumentBecomesARouteWithinFiveSecondsAndItsDeletionRemovesIt() {
        ScheduleDocuments documents = new ScheduleDocuments(new RunCollection(runner.firestore(), "integrity_runs",
                Duration.ofSeconds(5), Clock.systemUTC()), "integrity_schedules");
        ScheduleSpec nightly = leadsEverySecond();
        nightly.setCron("0 0 3 * * ?");

        String id = documents.create(nightly);

        await().atMost(Duration.ofSeconds(5)).until(() -> runner.context().getRoute("integrity-schedule-" + id) != null);
        documents.delete(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.context().getRoute("integrity-schedule-" + id) == null);
    }

    @Test
    void aDisabledScheduleHasNoRouteAndStartsNoRun() throws Exception {
        ScheduleSpec disabled = leadsEverySecond();
        disabled.setEnabled(false);

        schedules().apply("leads", disabled);

        assertThat(runner.context().getRoute("integrity-schedule-leads")).isNull();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> runs().isEmpty());
    }
}
