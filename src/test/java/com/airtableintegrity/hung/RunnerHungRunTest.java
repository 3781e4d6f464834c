package com.airtableintegrity.hung;

import static com.airtableintegrity.hung.HungRunDocs.instant;
import static com.airtableintegrity.hung.HungRunDocs.runDoc;
import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.support.CamelRunner;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/**
 * Hung runs, runner side, through the real routes: self-fencing when the run is swept mid-scan, heartbeats while a
 * request waits on Airtable, the sweep route on its cron, startup recovery, and no pile-up across Camel contexts.
 */
class RunnerHungRunTest extends RunnerTestBase {

    private static final List<TableSpec> ONE_TABLE = List.of(new TableSpec("T", List.of(RuleSpec.required("Name"))));
    private static final String RUNNER = "test-runner";

    private void shortHeartbeats(com.airtableintegrity.config.IntegrityProperties p) {
        p.getRun().setHeartbeatIntervalSeconds(1);
        p.getSweep().setHeartbeatStaleAfterSeconds(3);
    }

    @Test
    void aRunSweptMidScanStopsPagingAndWritesNothingAfterTheSweep() throws Exception {
        // 30 pages of 300 ms each, every 7th record without a Name: a run allowed to finish would store issues
        airtable.addTable(TestSettings.BASE, "T", Records.of('T', 3000, i -> fields("Name", i % 7 == 0 ? null : "n" + i)));
        airtable.fault(Fault.slow(Duration.ofMillis(300)).onTable("T").always());
        startRunner(ONE_TABLE, this::shortHeartbeats);
        // another process's sweep, with a max age the live run passes after a second
        HungRunSweeper otherSweeper = new HungRunSweeper(runner.beans().hungRuns(), Duration.ofSeconds(1),
                Duration.ofSeconds(3), "other-sweeper", RunnerExecutors.sweepPool(runner.context()));

        CompletableFuture<String> run = CompletableFuture.supplyAsync(runner::runNow);
        String runId = await().atMost(Duration.ofSeconds(15))
                .until(() -> runner.beans().control().getActiveRuns(), ids -> !ids.isEmpty()).get(0);
        await().atMost(Duration.ofSeconds(15)).until(() -> airtable.requestsForTable("T").size() >= 5);

        assertThat(otherSweeper.sweep().markedMaxAge()).isEqualTo(1);
        int requestsAtSweep = airtable.requestsForTable("T").size();
        Map<String, Object> swept = doc(runId);

        assertThat(run.get(5, TimeUnit.SECONDS)).as("the runner stopped the swept run").isEqualTo(runId);
        long returnedNanos = System.nanoTime();
        Map<String, Object> expected = new HashMap<>(runDoc("timeout", RUNNER, instant(swept.get("started_at")),
                instant(swept.get("heartbeat_at"))));
        expected.put("base_id", TestSettings.BASE);
        expected.put("tables", List.of("T"));
        expected.put("trigger", "manual");
        expected.put("max_duration_seconds", 60L);
        expected.put("ended_at", swept.get("ended_at"));
        expected.put("duration_ms", swept.get("duration_ms"));
        expected.put("error_message", HungRunQueries.maxAgeMessage(Duration.ofSeconds(1)));
        expected.put("swept_by", "other-sweeper");
        expected.put("sweep_rule", "max_age");
        assertThat(swept).containsExactlyInAnyOrderEntriesOf(expected);
        // nothing more from the runner: no heartbeat, no final result, no issues, no further pages
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .until(() -> doc(runId).equals(swept) && airtable.requestsForTable("T").size() <= requestsAtSweep + 1);
        assertThat(HungRunDocs.issueCount(runner.firestore(), runId)).isZero();
        assertThat(airtable.requestsForTable("T")).as("requests sent after the runner returned")
                .noneMatch(r -> r.arrivalNanos() > returnedNanos);
        assertThat(airtable.requestsForTable("T").size()).as("pages of 30 fetched").isLessThan(30);
    }

    @Test
    void heartbeatAtAdvancesWhileARequestWaitsOnASlowAirtable() throws Exception {
        airtable.addTable(TestSettings.BASE, "T", Records.of('T', 10, i -> fields("Name", "n" + i)));
        airtable.fault(Fault.slow(Duration.ofSeconds(6)).onTable("T").once());
        startRunner(ONE_TABLE, this::shortHeartbeats);

        CompletableFuture<String> run = CompletableFuture.supplyAsync(runner::runNow);
        await().atMost(Duration.ofSeconds(15)).until(() -> airtable.requestCount() == 1);
        String runId = runner.beans().control().getActiveRuns().get(0);
        List<Timestamp> beatsWhileWaiting = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofMillis(5500)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Timestamp beat = (Timestamp) doc(runId).get("heartbeat_at");
            if (!run.isDone() && (beatsWhileWaiting.isEmpty() || !beat.equals(beatsWhileWaiting.get(beatsWhileWaiting.size() - 1)))) {
                beatsWhileWaiting.add(beat);
            }
            return beatsWhileWaiting.size() >= 4;
        });
        assertThat(run).as("the one request is still waiting").isNotDone();
        assertThat(airtable.requestCount()).isEqualTo(1);

        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(runId);
        assertThat(beatsWhileWaiting).as("heartbeat_at values seen during the request").isSorted().doesNotHaveDuplicates();
        assertThat(doc(runId).get("status")).isEqualTo("success");
    }

    @Test
    void theSweepRouteMarksAStaleRunTimeoutOnItsCron() throws Exception {
        Instant now = Instant.now();
        Map<String, Object> stale = runDoc("running", "runner-gone", now.minusSeconds(20), now.minusSeconds(10));
        HungRunDocs.put(EMULATOR.newClient(), "stale-run", stale);
        long startNanos = System.nanoTime();
        startRunner(ONE_TABLE, p -> {
            shortHeartbeats(p);
            p.getSweep().setCron("0/2 * * * * ?");
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> "timeout".equals(doc("stale-run").get("status")));
        long markedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);

        Map<String, Object> marked = doc("stale-run");
        Map<String, Object> expected = new HashMap<>(stale);
        expected.put("status", "timeout");
        expected.put("ended_at", marked.get("ended_at"));
        expected.put("duration_ms", java.time.Duration.between(instant(stale.get("started_at")),
                instant(marked.get("ended_at"))).toMillis());
        expected.put("error_message", HungRunQueries.HEARTBEAT_STALE_MESSAGE);
        expected.put("swept_by", RUNNER);
        expected.put("sweep_rule", "heartbeat_stale");
        assertThat(marked).containsExactlyInAnyOrderEntriesOf(expected);
        System.out.printf("Sweep route (cron 0/2 * * * * ?) marked the stale run %d ms after the runner was started%n",
                markedAfterMs);
    }

    @Test
    void startupRecoveryClosesOrphanedRunsOfThisRunnerIdAsRunnerRestarted() throws Exception {
        Instant now = Instant.now();
        // fresh heartbeats: the sweep would not touch any of them yet
        Map<String, Object> orphan = runDoc("running", RUNNER, now.minusSeconds(5), now);
        Map<String, Object> otherRunners = runDoc("running", "other-runner", now.minusSeconds(5), now);
        Map<String, Object> finished = runDoc("success", RUNNER, now.minusSeconds(50), now.minusSeconds(40));
        var db = EMULATOR.newClient();
        HungRunDocs.put(db, "orphan", orphan);
        HungRunDocs.put(db, "other-runners", otherRunners);
        HungRunDocs.put(db, "finished", finished);
        long startNanos = System.nanoTime();

        startRunner(ONE_TABLE);

        await().atMost(Duration.ofSeconds(10)).until(() -> "error".equals(doc("orphan").get("status")));
        long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        Map<String, Object> closed = doc("orphan");
        Map<String, Object> expected = new HashMap<>(orphan);
        expected.put("status", "error");
        expected.put("error_message",
                "Runner restarted: runner 'test-runner' started again while this run was still marked running");
        expected.put("recovered_by", RUNNER);
        expected.put("ended_at", closed.get("ended_at"));
        expected.put("duration_ms", Duration.between(instant(orphan.get("started_at")),
                instant(closed.get("ended_at"))).toMillis());
        assertThat(closed).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(doc("other-runners")).as("another runner's live run").containsExactlyInAnyOrderEntriesOf(otherRunners);
        assertThat(doc("finished")).containsExactlyInAnyOrderEntriesOf(finished);
        System.out.printf("Startup recovery closed the orphan %d ms after the runner was started%n", closedAfterMs);
        // the other runner's run is not ours to end; close it so that no run is left running
        runner.runs().finishIfRunning("other-runners", "success", null, Map.of());
    }

    @Test
    void twoCamelContextsFiringForTheSameBaseAtOnceStartExactlyOneRun() throws Exception {
        airtable.addTable(TestSettings.BASE, "T", Records.of('T', 10, i -> fields("Name", "n" + i)));
        // the run that starts stays live well past the other firing
        airtable.fault(Fault.slow(Duration.ofSeconds(2)).onTable("T").always());
        startRunner(ONE_TABLE, p -> p.getRun().setRunnerId("runner-a"));
        var settings = TestSettings.of(airtable, EMULATOR, ONE_TABLE);
        settings.getRun().setRunnerId("runner-b");
        ExecutorService firing = Executors.newFixedThreadPool(2);
        try (CamelRunner other = CamelRunner.start(settings)) {
            List<CamelRunner> contexts = List.of(runner, other);
            for (CamelRunner context : contexts) {
                context.reads().readLock(TestSettings.BASE); // warm clients, so that the two starts really overlap
            }
            CyclicBarrier atOnce = new CyclicBarrier(contexts.size());
            List<Future<String>> firings = new ArrayList<>();
            for (CamelRunner context : contexts) {
                firings.add(firing.submit(() -> {
                    atOnce.await(10, TimeUnit.SECONDS);
                    Exchange done = context.template().request("direct:integrity-run",
                            e -> e.getMessage().setHeader(RunLifecycle.TRIGGER, "schedule"));
                    RunContext started = done.getProperty(RunExchange.RUN, RunContext.class);
                    return started == null ? null : started.runId();
                }));
            }
            List<String> started = new ArrayList<>();
            for (Future<String> f : firings) {
                String runId = f.get(30, TimeUnit.SECONDS);
                if (runId != null) {
                    started.add(runId);
                }
            }

            assertThat(started).as("runs started by 2 simultaneous firings").hasSize(1);
            List<QueryDocumentSnapshot> runs = HungRunDocs.all(runner.firestore());
            assertThat(runs).extracting(QueryDocumentSnapshot::getId).containsExactly(started.get(0));
            assertThat(runs.get(0).getString("status")).isEqualTo("success");
            assertThat(runs.get(0).getString("trigger")).isEqualTo("schedule");
            Map<String, Object> lock = runner.reads().readLock(TestSettings.BASE);
            Map<String, Object> expectedLock = new LinkedHashMap<>();
            expectedLock.put("run_id", started.get(0));
            expectedLock.put("runner_id", runs.get(0).getString("runner_id"));
            expectedLock.put("acquired_at", runs.get(0).get("started_at"));
            expectedLock.put("skipped_count", 1L);
            expectedLock.put("last_skipped_at", lock.get("last_skipped_at"));
            assertThat(lock).containsExactlyInAnyOrderEntriesOf(expectedLock);
            assertThat(runner.beans().lifecycle().skippedRuns() + other.beans().lifecycle().skippedRuns())
                    .as("skipped firings counted by the two contexts").isEqualTo(1);
        } finally {
            firing.shutdownNow();
        }
    }
}
