package com.airtableintegrity.scan;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.component.quartz.QuartzEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.run.ScheduleRoutes;
import com.airtableintegrity.run.ScheduleSync;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.ScheduleDocuments;
import com.airtableintegrity.support.CamelRunner;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.Timestamp;

/**
 * The life of a schedule document, written as a user's API call would (through {@link ScheduleDocuments}): it fires
 * runs of its own base, a disabled or deleted one stops firing (a run in progress ends with its own result), a changed
 * cron shows over JMX, and two runners on one Firestore follow the same documents without ever overlapping runs.
 */
class ScheduleLifecycleTest extends RunnerTestBase {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final String LEADS_BASE = "appLEADSBASE00001";
    private static final String EVERY_TWO_SECONDS = "0/2 * * * * ?";
    private static final String NEVER_AGAIN = "0 30 4 1 1 ? 2099";
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    private ScheduleDocuments documents;
    private CamelRunner second;

    @BeforeEach
    void leadsAndARunner() throws Exception {
        // 300 leads, one without a name: three pages, one issue
        airtable.addTable(LEADS_BASE, "Leads", Records.of('L', 300, i -> fields("Name", i == 7 ? null : "lead " + i)));
        startRunner(List.of(new TableSpec("Unused", List.of())));
        documents = new ScheduleDocuments(new RunCollection(runner.firestore(), "integrity_runs",
                Duration.ofSeconds(5), Clock.systemUTC()), "integrity_schedules");
    }

    /** Deletes every schedule and lets the runs in progress end, so the base class finds none left running. */
    @AfterEach
    void deleteSchedulesAndLetRunsEnd() throws Exception {
        try {
            airtable.clearFaults();
            documents.all().changed().forEach(s -> documents.delete(s.id()));
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduleRoutes(runner).isEmpty()
                    && (second == null || scheduleRoutes(second).isEmpty()));
            await().atMost(Duration.ofSeconds(30)).until(() -> runs().stream().noneMatch(this::running));
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void aScheduleDocumentFiresRunsOfItsOwnBaseAndTablesCarryingItsId() throws Exception {
        String id = documents.create(leads(EVERY_TWO_SECONDS));

        await().atMost(Duration.ofSeconds(15)).until(() -> runs().stream().anyMatch(r -> !running(r)));

        List<Map<String, Object>> finished = runs().stream().filter(r -> !running(r)).toList();
        assertThat(finished).allSatisfy(run -> assertThat(run).containsEntry("schedule_id", id)
                .containsEntry("trigger", "schedule").containsEntry("base_id", LEADS_BASE)
                .containsEntry("tables", List.of("Leads")).containsEntry("status", "warning")
                .containsEntry("records_scanned", 300L).containsEntry("issues_found", 1L));
    }

    @Test
    void aDisabledScheduleLosesItsRouteWithinFiveSecondsAndStartsNoMoreRuns() throws Exception {
        String id = documents.create(leads(EVERY_TWO_SECONDS));
        await().atMost(Duration.ofSeconds(15)).until(() -> runs().stream().anyMatch(r -> !running(r)));
        ScheduleSpec disabled = leads(EVERY_TWO_SECONDS);
        disabled.setEnabled(false);

        assertThat(documents.replace(id, disabled)).isTrue();

        await().atMost(FIVE_SECONDS).until(() -> route(runner, id) == null);
        int runsWhenGone = runs().size(); // a run in progress has its document already
        await().during(FIVE_SECONDS).atMost(Duration.ofSeconds(7)).until(() -> runs().size() == runsWhenGone);
        assertThat(runs()).noneMatch(this::running).allSatisfy(r -> assertThat(r).containsEntry("status", "warning"));
    }

    @Test
    void aChangedCronShowsInTheRoutesEndpointUriOverJmxWithinFiveSeconds() throws Exception {
        String id = documents.create(leads(TestSettings.NEVER));
        await().atMost(FIVE_SECONDS).ignoreExceptions().until(() -> endpointUri(runner, id) != null);
        assertThat(endpointUri(runner, id)).startsWith("quartz://integrity-schedules/" + id + "?")
                .contains("cron=0+0+0+1+1+%3F+2099");

        assertThat(documents.replace(id, leads(NEVER_AGAIN))).isTrue();

        String uri = await().atMost(FIVE_SECONDS).ignoreExceptions().until(() -> endpointUri(runner, id),
                u -> u.contains("cron=0+30+4+1+1+%3F+2099"));
        assertThat(uri).doesNotContain("cron=0+0+0+1+1");
    }

    @Test
    void aScheduleDeletedDuringItsRunLosesItsRouteWhileTheRunEndsWithItsOwnResult() throws Exception {
        Fault slow = airtable.fault(Fault.slow(Duration.ofMillis(800)).onBase(LEADS_BASE).onTable("Leads").always());
        String id = documents.create(leads(EVERY_TWO_SECONDS));
        Map<String, Object> live = await().atMost(Duration.ofSeconds(15)).until(
                () -> runs().stream().filter(this::running).findFirst().orElse(null), r -> r != null);
        String runId = (String) live.get("id");

        // the route goes only once the run has ended (see the disabled test below): this run lasts about 2.5 s
        long deleted = System.nanoTime();
        assertThat(documents.delete(id)).isTrue();
        assertThat(doc(runId)).containsEntry("status", "running");

        await().atMost(FIVE_SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> route(runner, id) == null);
        System.out.printf("delete during a run: route gone after %d ms (run %s still %s)%n",
                (System.nanoTime() - deleted) / 1_000_000, runId, doc(runId).get("status"));
        int runsWhenGone = runs().size();
        await().atMost(Duration.ofSeconds(15)).until(() -> !"running".equals(doc(runId).get("status")));
        assertThat(doc(runId)).containsEntry("status", "warning").containsEntry("schedule_id", id)
                .containsEntry("records_scanned", 300L).containsEntry("issues_found", 1L)
                .containsEntry("unfinished_tables", List.of());
        assertThat(slow.fired()).isGreaterThanOrEqualTo(3);
        await().during(FIVE_SECONDS).atMost(Duration.ofSeconds(7)).until(() -> runs().size() == runsWhenGone);
    }

    @Test
    void aLongRunOfADeletedScheduleHoldsUpNoOtherScheduleAndItsRouteGoesWhenTheRunEnds() throws Exception {
        // every page waits 3 s: the run lasts 9 s or more
        airtable.fault(Fault.slow(Duration.ofSeconds(3)).onBase(LEADS_BASE).onTable("Leads").always());
        String id = documents.create(leads(EVERY_TWO_SECONDS));
        await().atMost(Duration.ofSeconds(15)).until(() -> runs().stream().anyMatch(this::running));

        long t = System.nanoTime();
        documents.delete(id);
        String other = documents.create(leads(TestSettings.NEVER));

        await().atMost(FIVE_SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> route(runner, other) != null);
        long otherMs = (System.nanoTime() - t) / 1_000_000;
        assertThat(runner.beans().scheduleRoutes().waiting(id)).as("deletion waits for the run").isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> route(runner, id) == null);
        long goneMs = (System.nanoTime() - t) / 1_000_000;
        System.out.printf("long run: other schedule's route after %d ms, deleted schedule's route gone after %d ms "
                + "(when its run ended)%n", otherMs, goneMs);
        assertThat(runs()).singleElement().satisfies(run -> assertThat(run).containsEntry("status", "warning")
                .containsEntry("records_scanned", 300L));
    }

    @Test
    void twoRunnersEachFollowACreatedChangedAndDeletedScheduleWithinFiveSeconds() throws Exception {
        startSecond();
        assertThat(second.context().getName()).isEqualTo(runner.context().getName());
        assertThat(second.context().getManagementName()).isNotEqualTo(runner.context().getManagementName());

        long t = System.nanoTime();
        String id = documents.create(leads(TestSettings.NEVER));
        propagation("create", t, r -> route(r, id) != null);
        assertThat(endpointUri(runner, id)).isEqualTo(endpointUri(second, id));

        t = System.nanoTime();
        documents.replace(id, leads(NEVER_AGAIN));
        propagation("change", t, r -> route(r, id) != null && NEVER_AGAIN.equals(route(r, id).getCron()));

        t = System.nanoTime();
        documents.delete(id);
        propagation("delete", t, r -> route(r, id) == null);
        assertThat(runs()).isEmpty();
    }

    @Test
    void schedulesCreatedOneByOneAreEachReadOnceByTheSyncNotTheWholeCollectionPerChange() throws Exception {
        ScheduleSync sync = runner.context().getRegistry().lookupByNameAndType("scheduleSync", ScheduleSync.class);
        await().atMost(FIVE_SECONDS).until(sync::listening);
        // the minute's backstop reconcile (a full read) must not fire while counting: only the listener reads
        runner.context().getRouteController().stopRoute("integrity-schedule-sync");
        long before = sync.documentsRead();
        int n = 30;

        for (int i = 0; i < n; i++) {
            String id = documents.create(leads(TestSettings.NEVER));
            await().atMost(FIVE_SECONDS).until(() -> route(runner, id) != null); // each change on its own
        }

        // one read per created document; re-reading the collection on each change would be n(n+1)/2 = 465
        assertThat(sync.documentsRead() - before).isEqualTo(n);
    }

    @Test
    void aScheduleHeldByTwoRunnersStartsOneRunAtATimeAndTheOtherFiringIsSkipped() throws Exception {
        startSecond();
        // every page waits 1 s: a run lasts 3 s or more, longer than the 2 s between firings
        airtable.fault(Fault.slow(Duration.ofSeconds(1)).onBase(LEADS_BASE).onTable("Leads").always());
        String id = documents.create(leads(EVERY_TWO_SECONDS));

        await().atMost(Duration.ofSeconds(60)).until(() -> runs().stream().filter(r -> !running(r)).count() >= 3);
        documents.delete(id);
        await().atMost(Duration.ofSeconds(15)).until(() -> route(runner, id) == null && route(second, id) == null);
        await().atMost(Duration.ofSeconds(15)).until(() -> runs().stream().noneMatch(this::running));

        List<Map<String, Object>> runs = runs().stream()
                .sorted(Comparator.comparing(r -> (Timestamp) r.get("started_at"))).toList();
        assertThat(runs).allSatisfy(run -> assertThat(run).containsEntry("schedule_id", id)
                .containsEntry("status", "warning").containsEntry("records_scanned", 300L));
        for (int i = 1; i < runs.size(); i++) {
            Timestamp previousEnd = (Timestamp) runs.get(i - 1).get("ended_at");
            Timestamp start = (Timestamp) runs.get(i).get("started_at");
            assertThat(start).as("run %d starts after run %d ended", i, i - 1).isGreaterThanOrEqualTo(previousEnd);
            System.out.printf("two runners: run %d by %s started %d ms after run %d ended%n", i,
                    runs.get(i).get("runner_id"), Duration.between(previousEnd.toDate().toInstant(),
                            start.toDate().toInstant()).toMillis(), i - 1);
        }
        long skippedHere = runner.beans().lifecycle().skippedRuns() + second.beans().lifecycle().skippedRuns();
        Map<String, Object> lock = runner.firestore().collection("integrity_runs_locks").document(LEADS_BASE).get()
                .get(10, TimeUnit.SECONDS).getData();
        System.out.printf("two runners: %d runs, %d firings skipped (%d by %s, %d by %s)%n", runs.size(), skippedHere,
                runner.beans().lifecycle().skippedRuns(), "test-runner", second.beans().lifecycle().skippedRuns(),
                "second-runner");
        assertThat(skippedHere).isGreaterThanOrEqualTo(1);
        assertThat(lock).containsEntry("skipped_count", skippedHere);
    }

    // ------------------------------------------------------------------ helpers

    private static ScheduleSpec leads(String cron) {
        ScheduleSpec s = new ScheduleSpec();
        s.setName("Leads");
        s.setBaseId(LEADS_BASE);
        s.setCron(cron);
        s.setTimeZone("Europe/Berlin");
        s.setTables(List.of(new TableSpec("Leads", List.of(RuleSpec.required("Name")))));
        return s;
    }

    /** A second runner on the same emulator and double, with its own runner id. */
    private void startSecond() throws Exception {
        IntegrityProperties props = TestSettings.of(airtable, EMULATOR, List.of(new TableSpec("Unused", List.of())));
        props.getRun().setRunnerId("second-runner");
        second = CamelRunner.start(props);
    }

    /** Waits (at most 5 s) until the change shows in both runners; prints how long each took from the write call. */
    private void propagation(String change, long writeStarted, Predicate<CamelRunner> applied) {
        CamelRunner[] both = {runner, second};
        long[] ms = {-1, -1};
        await().atMost(FIVE_SECONDS).pollInterval(Duration.ofMillis(10)).until(() -> {
            for (int i = 0; i < both.length; i++) {
                if (ms[i] < 0 && applied.test(both[i])) {
                    ms[i] = (System.nanoTime() - writeStarted) / 1_000_000;
                }
            }
            return ms[0] >= 0 && ms[1] >= 0;
        });
        System.out.printf("propagation of a schedule %s: %d ms (context %s), %d ms (context %s)%n", change, ms[0],
                runner.context().getManagementName(), ms[1], second.context().getManagementName());
        assertThat(Math.max(ms[0], ms[1])).isLessThan(FIVE_SECONDS.toMillis());
    }

    private static QuartzEndpoint route(CamelRunner r, String scheduleId) {
        var route = r.context().getRoute(ScheduleRoutes.routeId(scheduleId));
        return route == null ? null : (QuartzEndpoint) route.getEndpoint();
    }

    private static List<String> scheduleRoutes(CamelRunner r) {
        return r.context().getRoutes().stream().map(route -> route.getRouteId())
                .filter(id -> id.startsWith("integrity-schedule-") && !id.equals("integrity-schedule-sync")
                        && !id.equals("integrity-schedule-settle")).toList();
    }

    /** Attribute {@code EndpointUri} of the schedule's ManagedRoute MBean in this runner's context. */
    private static String endpointUri(CamelRunner r, String scheduleId) throws Exception {
        ObjectName name = new ObjectName("org.apache.camel:context=" + r.context().getManagementName()
                + ",type=routes,name=" + ObjectName.quote(ScheduleRoutes.routeId(scheduleId)));
        return (String) JMX.getAttribute(name, "EndpointUri");
    }

    private boolean running(Map<String, Object> run) {
        return "running".equals(run.get("status"));
    }

    /** Every run document, with its id under {@code id}. */
    private List<Map<String, Object>> runs() throws Exception {
        return runner.firestore().collection("integrity_runs").get().get(10, TimeUnit.SECONDS).getDocuments()
                .stream().map(d -> {
                    Map<String, Object> run = new HashMap<>(d.getData());
                    run.put("id", d.getId());
                    return run;
                }).toList();
    }
}
