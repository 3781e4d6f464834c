package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunCollection.toTimestamp;
import static org.assertj.core.api.Assertions.assertThat;

import com.airtableintegrity.metrics.RunnerMetrics;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.RunningRunGauges;
import com.airtableintegrity.run.HungRunSweeper.SweepResult;
import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.store.RunTransactions.NewRun;
import com.airtableintegrity.store.RunTransactions.Started;
import com.google.cloud.firestore.WriteBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HungRunSweepTest extends StoreTestBase {

    static final Duration MAX_AGE = Duration.ofMinutes(30);
    static final String MAX_AGE_MESSAGE =
            "Run exceeded maximum duration of 30 minutes and was marked as timeout by the hung-run sweep";
    static final String STALE_MESSAGE = "Runner stopped sending heartbeats (process ended or machine asleep)";

    static CamelContext camel;
    static ExecutorService marks;

    @BeforeAll
    static void startSweepPool() {
        camel = new DefaultCamelContext();
        camel.start();
        marks = RunnerExecutors.sweepPool(camel);
    }

    @AfterAll
    static void stopSweepPool() throws Exception {
        camel.close();
    }

    static HungRunSweeper sweeper() {
        return new HungRunSweeper(hungRuns, MAX_AGE, STALE, "sweeper-1", marks);
    }

    static String start(String baseId) {
        return ((Started) store.startRun(new NewRun(baseId, List.of("T"), "schedule", "runner-a", 1800), STALE)).runId();
    }

    /** Writes a run doc directly (status and timestamps of our choosing; heartbeat omitted when null). */
    static void put(String runId, String status, Instant startedAt, Instant heartbeatAt) throws Exception {
        db.collection(COLLECTION).document(runId).set(runDoc(status, startedAt, heartbeatAt)).get(10, TimeUnit.SECONDS);
    }

    static Map<String, Object> runDoc(String status, Instant startedAt, Instant heartbeatAt) {
        Map<String, Object> doc = new HashMap<>();
        doc.put("status", status);
        doc.put("started_at", toTimestamp(startedAt));
        if (heartbeatAt != null) {
            doc.put("heartbeat_at", toTimestamp(heartbeatAt));
        }
        doc.put("base_id", "appX");
        doc.put("runner_id", "runner-gone");
        doc.put("cancel_requested", false);
        return doc;
    }

    @Test
    void sweepMarksRunOlderThanMaxAgeWithExactFields() {
        String runId = start("appOld");
        Instant now = clock.advance(MAX_AGE.plusMinutes(1));
        store.heartbeat(runId); // fresh heartbeat: only max_age applies

        SweepResult result = sweeper().sweep();

        assertThat(result).extracting(SweepResult::examined, SweepResult::markedMaxAge, SweepResult::markedStaleHeartbeat,
                SweepResult::skippedNoLongerRunning, SweepResult::failed).containsExactly(1, 1, 0, 0, 0);
        assertThat(reads.read(runId)).containsEntry("status", "timeout").containsEntry("ended_at", toTimestamp(now))
                .containsEntry("duration_ms", MAX_AGE.plusMinutes(1).toMillis())
                .containsEntry("error_message", MAX_AGE_MESSAGE)
                .containsEntry("swept_by", "sweeper-1").containsEntry("sweep_rule", "max_age");
    }

    @Test
    void sweepMarksStaleHeartbeatRunWithExactFields() {
        String runId = start("appStale");
        clock.advance(Duration.ofMinutes(1));
        store.heartbeat(runId);
        Instant now = clock.advance(Duration.ofMinutes(3));

        SweepResult result = sweeper().sweep();

        assertThat(result).extracting(SweepResult::examined, SweepResult::markedMaxAge, SweepResult::markedStaleHeartbeat,
                SweepResult::skippedNoLongerRunning).containsExactly(1, 0, 1, 0);
        assertThat(reads.read(runId)).containsEntry("status", "timeout").containsEntry("ended_at", toTimestamp(now))
                .containsEntry("duration_ms", Duration.ofMinutes(4).toMillis())
                .containsEntry("error_message", STALE_MESSAGE)
                .containsEntry("swept_by", "sweeper-1").containsEntry("sweep_rule", "heartbeat_stale");
    }

    @Test
    void sweepLeavesFreshRunsAndNonRunningStatusesUntouched() throws Exception {
        Instant now = T0.plus(Duration.ofHours(2));
        clock.set(now);
        put("fresh-new", "running", now.minusSeconds(30), now.minusSeconds(5));
        put("fresh-long", "running", now.minus(Duration.ofMinutes(20)), now.minusSeconds(10));
        for (String status : List.of("success", "warning", "error", "timeout", "cancelled")) {
            put("old-" + status, status, T0, T0);
        }
        Map<String, Map<String, Object>> before = new HashMap<>();
        for (String id : List.of("fresh-new", "fresh-long", "old-success", "old-warning", "old-error", "old-timeout",
                "old-cancelled")) {
            before.put(id, reads.read(id));
        }

        SweepResult result = sweeper().sweep();

        assertThat(result).extracting(SweepResult::examined, SweepResult::markedMaxAge, SweepResult::markedStaleHeartbeat,
                SweepResult::skippedNoLongerRunning).containsExactly(1, 0, 0, 0); // only fresh-long is a candidate
        before.forEach((id, doc) -> assertThat(reads.read(id)).as(id).isEqualTo(doc));
    }

    @Test
    void sweepJudgesRunWithoutHeartbeatAtByStartedAt() throws Exception {
        Instant now = T0.plus(Duration.ofHours(1));
        clock.set(now);
        put("no-beat-old", "running", now.minus(Duration.ofMinutes(5)), null);
        put("no-beat-young", "running", now.minus(Duration.ofSeconds(90)), null);

        SweepResult result = sweeper().sweep();

        assertThat(result.markedStaleHeartbeat()).isEqualTo(1);
        assertThat(reads.read("no-beat-old")).containsEntry("status", "timeout")
                .containsEntry("sweep_rule", "heartbeat_stale").containsEntry("error_message", STALE_MESSAGE)
                .containsEntry("duration_ms", Duration.ofMinutes(5).toMillis());
        assertThat(reads.read("no-beat-young")).containsEntry("status", "running").doesNotContainKey("sweep_rule");
    }

    @Test
    void runThatFinishesBetweenQueryAndMarkKeepsItsStatus() {
        String runId = start("appRace");
        clock.advance(Duration.ofMinutes(5));

        SweepResult result = sweeper()
                .withBeforeMark(id -> store.finishIfRunning(id, "success", null, Map.of()))
                .sweep();

        assertThat(result).extracting(SweepResult::examined, SweepResult::markedMaxAge, SweepResult::markedStaleHeartbeat,
                SweepResult::skippedNoLongerRunning).containsExactly(1, 0, 0, 1);
        assertThat(reads.read(runId)).containsEntry("status", "success").doesNotContainKeys("swept_by", "sweep_rule",
                "error_message");
    }

    @Test
    void heartbeatArrivingBetweenQueryAndMarkSavesTheRun() {
        String runId = start("appBeat");
        Instant now = clock.advance(Duration.ofMinutes(5));

        SweepResult result = sweeper().withBeforeMark(store::heartbeat).sweep();

        assertThat(result).extracting(SweepResult::examined, SweepResult::markedMaxAge, SweepResult::markedStaleHeartbeat,
                SweepResult::skippedNoLongerRunning).containsExactly(1, 0, 0, 0);
        assertThat(reads.read(runId)).containsEntry("status", "running")
                .containsEntry("heartbeat_at", toTimestamp(now));
    }

    @Test
    void oneSweepMarksAThousandStaleRuns() throws Exception {
        Instant now = T0.plus(Duration.ofHours(3));
        clock.set(now);
        int runs = 1000;
        for (int from = 0; from < runs; from += 500) {
            WriteBatch batch = db.batch();
            for (int i = from; i < Math.min(runs, from + 500); i++) {
                Instant started = now.minus(Duration.ofMinutes(i % 2 == 0 ? 45 : 10)).minusSeconds(i);
                batch.set(db.collection(COLLECTION).document(String.format("bulk-%04d", i)), runDoc("running", started, started));
            }
            batch.commit().get(30, TimeUnit.SECONDS);
        }

        SweepResult result = sweeper().sweep();
        System.out.printf("1,000-run sweep: %s%n", result);

        assertThat(result.examined()).isEqualTo(runs);
        assertThat(result.markedMaxAge()).isEqualTo(runs / 2);
        assertThat(result.markedStaleHeartbeat()).isEqualTo(runs / 2);
        assertThat(result.failed()).isZero();
        assertThat(db.collection(COLLECTION).whereEqualTo("status", "running").get().get(30, TimeUnit.SECONDS).size())
                .isZero();
        assertThat(db.collection(COLLECTION).whereEqualTo("status", "timeout").get().get(30, TimeUnit.SECONDS).size())
                .isEqualTo(runs);
        assertThat(result.durationMs()).isLessThan(60_000);
    }

    @Test
    void maxAgeMessageSaysSecondsWhenNotWholeMinutes() {
        assertThat(HungRunQueries.maxAgeMessage(Duration.ofMinutes(30))).isEqualTo(MAX_AGE_MESSAGE);
        assertThat(HungRunQueries.maxAgeMessage(Duration.ofSeconds(90)))
                .isEqualTo("Run exceeded maximum duration of 90 seconds and was marked as timeout by the hung-run sweep");
    }

    @Test
    void theSweepsViewOfRunsLeftRunningFeedsTheGaugesWithoutAQueryPerScrape() throws Exception {
        Instant now = T0.plus(Duration.ofHours(2));
        clock.set(now);
        put("overdue", "running", now.minus(Duration.ofMinutes(20)), now.minusSeconds(10));
        db.collection(COLLECTION).document("overdue").update("max_duration_seconds", 600L).get(10, TimeUnit.SECONDS);
        put("beating", "running", now.minus(Duration.ofMinutes(5)), now.minusSeconds(40));
        put("stale", "running", now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofMinutes(3)));
        put("young", "running", now.minusSeconds(30), now.minusSeconds(30));
        RunnerMetrics metrics = new RunnerMetrics(new SimpleMeterRegistry(), clock);
        HungRunSweeper sweeper = new HungRunSweeper(hungRuns, MAX_AGE, STALE, "sweeper-1", marks, metrics);
        RunningRunGauges.register(metrics, new RunRegistry(), sweeper, clock, Duration.ofMinutes(30));
        assertThat(gauge(metrics, RunnerMetrics.OLDEST_RUNNING_AGE)).isEqualTo(0);

        sweeper.sweep();
        clock.advance(Duration.ofSeconds(25)); // a scrape between two sweeps reads the sweep's view as it was

        assertThat(sweeper.stillRunning().at()).isEqualTo(now);
        assertThat(sweeper.stillRunning().runs()).containsExactly(
                new HungRunQueries.RunningRun("overdue", now.minus(Duration.ofMinutes(20)), now.minusSeconds(10), 600L),
                new HungRunQueries.RunningRun("beating", now.minus(Duration.ofMinutes(5)), now.minusSeconds(40), null));
        assertThat(gauge(metrics, RunnerMetrics.OLDEST_RUNNING_AGE)).isEqualTo(1200);
        assertThat(gauge(metrics, RunnerMetrics.OLDEST_HEARTBEAT_AGE)).isEqualTo(40);
        assertThat(gauge(metrics, RunnerMetrics.PAST_DEADLINE)).isEqualTo(1);
        assertThat(gauge(metrics, RunnerMetrics.RUN_DEADLINE)).isEqualTo(1800);
        assertThat(metrics.registry().get(RunnerMetrics.SWEEP_MARKS).tag("rule", "heartbeat_stale").counter().count())
                .isEqualTo(1);
        assertThat(gauge(metrics, RunnerMetrics.SWEEP_LAST_SUCCESS)).isEqualTo(now.getEpochSecond());
    }

    private static double gauge(RunnerMetrics metrics, String name) {
        return metrics.registry().get(name).gauge().value();
    }
}
