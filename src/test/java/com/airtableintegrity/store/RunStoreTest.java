package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunCollection.toTimestamp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.StartupRecovery;
import com.airtableintegrity.rules.Issue;
import com.airtableintegrity.store.RunTransactions.FinishOutcome;
import com.airtableintegrity.store.RunTransactions.NewRun;
import com.airtableintegrity.store.RunTransactions.RunState;
import com.airtableintegrity.store.RunTransactions.Skipped;
import com.airtableintegrity.store.RunTransactions.StartResult;
import com.airtableintegrity.store.RunTransactions.Started;
import com.airtableintegrity.support.UtcClock;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunStoreTest extends StoreTestBase {

    static NewRun newRun(String baseId) {
        return new NewRun(baseId, List.of("Customers", "Orders"), "schedule", "runner-a", 1800);
    }

    static String start(String baseId) {
        StartResult result = store.startRun(newRun(baseId), STALE);
        assertThat(result).isInstanceOf(Started.class);
        return ((Started) result).runId();
    }

    static Map<String, Object> lock(String baseId) {
        return reads.readLock(baseId);
    }

    @Test
    void startRunCreatesTheDocumentedFields() {
        String runId = start("appBase1");

        Map<String, Object> doc = reads.read(runId);
        Map<String, Object> expected = new HashMap<>();
        expected.put("status", "running");
        expected.put("started_at", toTimestamp(T0));
        expected.put("heartbeat_at", toTimestamp(T0));
        expected.put("trigger", "schedule");
        expected.put("base_id", "appBase1");
        expected.put("tables", List.of("Customers", "Orders"));
        expected.put("runner_id", "runner-a");
        expected.put("max_duration_seconds", 1800L);
        expected.put("cancel_requested", false);
        assertThat(doc).containsExactlyInAnyOrderEntriesOf(expected);

        assertThat(lock("appBase1")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "run_id", runId, "runner_id", "runner-a", "acquired_at", toTimestamp(T0), "skipped_count", 0L));
    }

    @Test
    void secondStartForSameBaseWhileFirstIsFreshIsSkipped() throws Exception {
        String first = start("appBase1");
        Instant later = clock.advance(Duration.ofSeconds(90));

        StartResult second = store.startRun(newRun("appBase1"), STALE);

        assertThat(second).isEqualTo(new Skipped(first, 1));
        Map<String, Object> lock = lock("appBase1");
        assertThat(lock).containsEntry("run_id", first).containsEntry("skipped_count", 1L)
                .containsEntry("last_skipped_at", toTimestamp(later)).containsEntry("acquired_at", toTimestamp(T0));
        assertThat(db.collection(COLLECTION).get().get(10, TimeUnit.SECONDS).size()).isEqualTo(1);
    }

    @Test
    void staleHeartbeatLiveRunDoesNotBlockAndSkippedCountIsKept() {
        String first = start("appBase1");
        clock.advance(Duration.ofSeconds(30));
        assertThat(store.startRun(newRun("appBase1"), STALE)).isEqualTo(new Skipped(first, 1));
        Instant later = clock.advance(STALE.plusSeconds(1));

        StartResult next = store.startRun(newRun("appBase1"), STALE);

        assertThat(next).isInstanceOf(Started.class);
        String second = ((Started) next).runId();
        assertThat(second).isNotEqualTo(first);
        assertThat(lock("appBase1")).containsEntry("run_id", second).containsEntry("acquired_at", toTimestamp(later))
                .containsEntry("skipped_count", 1L);
        assertThat(reads.read(first)).containsEntry("status", "timeout");
    }

    @Test
    void aStartThatTakesOverAStaleLockClosesTheStaleRunFirst() throws Exception {
        String stale = start("appBase1");
        clock.advance(STALE.plusSeconds(1));
        // a clock that moves a millisecond at every read, as a real one moves between two reads
        Clock ticking = UtcClock.of(() -> clock.advance(Duration.ofMillis(1)));
        RunTransactions tickingStore = new RunTransactions(new RunCollection(db, COLLECTION, Duration.ofSeconds(10),
                ticking));

        StartResult next = tickingStore.startRun(
                new NewRun("appBase1", List.of("Customers"), "schedule", "runner-b", 1800), STALE);

        assertThat(next).isInstanceOf(Started.class);
        String fresh = ((Started) next).runId();
        Instant takeover = RunCollection.toInstant((com.google.cloud.Timestamp) reads.read(fresh).get("started_at"));
        Map<String, Object> closed = reads.read(stale);
        assertThat(closed).containsEntry("status", "timeout")
                .containsEntry("ended_at", toTimestamp(takeover))
                .containsEntry("duration_ms", Duration.between(T0, takeover).toMillis())
                .containsEntry("swept_by", "runner-b")
                .containsEntry("sweep_rule", "heartbeat_stale")
                .containsEntry("error_message", HungRunQueries.HEARTBEAT_STALE_MESSAGE
                        + "; closed when run " + fresh + " of runner runner-b took over its base");
        Map<String, Object> started = reads.read(fresh);
        assertThat(started).containsEntry("status", "running").containsEntry("started_at", toTimestamp(takeover))
                .containsEntry("runner_id", "runner-b");
        assertThat(lock("appBase1")).containsEntry("run_id", fresh).containsEntry("runner_id", "runner-b");
        // Exactly once: a second start finds the new run live, and leaves the closed run as it was.
        var closedUpdate = db.collection(COLLECTION).document(stale).get().get(10, TimeUnit.SECONDS).getUpdateTime();
        assertThat(store.startRun(newRun("appBase1"), STALE)).isEqualTo(new Skipped(fresh, 1));
        assertThat(db.collection(COLLECTION).document(stale).get().get(10, TimeUnit.SECONDS).getUpdateTime())
                .isEqualTo(closedUpdate);
        assertThat(db.collection(COLLECTION).get().get(10, TimeUnit.SECONDS).size()).isEqualTo(2);
        // The sweep finds nothing left to close.
        assertThat(hungRuns.markTimeoutIfHung(stale, Duration.ofHours(1), STALE, "sweeper"))
                .isEqualTo(HungRunQueries.MarkResult.NOT_RUNNING);
    }

    @Test
    void finishedLiveRunDoesNotBlock() {
        String first = start("appBase1");
        store.finishIfRunning(first, "success", null, Map.of());

        assertThat(store.startRun(newRun("appBase1"), STALE)).isInstanceOf(Started.class);
    }

    @Test
    void concurrentStartRunForOneBaseStartsExactlyOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String baseId = "appRace" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<StartResult>> results = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return store.startRun(newRun(baseId), STALE);
                    }));
                }
                go.countDown();
                List<StartResult> outcomes = new ArrayList<>();
                for (Future<StartResult> result : results) {
                    outcomes.add(result.get(30, TimeUnit.SECONDS));
                }
                assertThat(outcomes).filteredOn(r -> r instanceof Started).hasSize(1);
                String winner = outcomes.stream().filter(r -> r instanceof Started)
                        .map(r -> ((Started) r).runId()).findFirst().orElseThrow();
                assertThat(outcomes).filteredOn(r -> r instanceof Skipped).containsExactly(new Skipped(winner, 1));
                assertThat(db.collection(COLLECTION).whereEqualTo("base_id", baseId).get().get(10, TimeUnit.SECONDS)
                        .size()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void heartbeatRefreshesHeartbeatAtAndReportsCancelRequested() {
        String runId = start("appBase1");
        Instant beat = clock.advance(Duration.ofSeconds(7));

        assertThat(store.heartbeat(runId)).isEqualTo(new RunState("running", false));
        assertThat(reads.read(runId)).containsEntry("heartbeat_at", toTimestamp(beat))
                .containsEntry("started_at", toTimestamp(T0));

        assertThat(store.requestCancel(runId)).isTrue();
        assertThat(reads.read(runId)).containsEntry("cancel_requested", true);
        assertThat(store.heartbeat(runId)).isEqualTo(new RunState("running", true));
    }

    @Test
    void anIdThatIsNotARunIdNeverReachesFirestore() {
        String runId = start("appBase1");
        issueWriter.writeIssues(runId, List.of(new Issue("T", "rec1", "F", "required", null, "missing")));

        for (String bad : List.of(runId + "/issues/000000", "__x__", "", "a".repeat(129), "a b")) {
            assertThatThrownBy(() -> reads.read(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not valid: a run id is 1 to 128 letters, digits, '-' or '_', starting with a letter or digit");
            assertThatThrownBy(() -> store.requestCancel(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void heartbeatOnMissingOrFinishedRunChangesNothing() {
        assertThat(store.heartbeat("noSuchRun")).isEqualTo(new RunState("missing", false));
        assertThat(reads.read("noSuchRun")).isNull();

        String runId = start("appBase1");
        store.finishIfRunning(runId, "cancelled", "Cancelled by operator", Map.of());
        Map<String, Object> before = reads.read(runId);
        clock.advance(Duration.ofSeconds(5));

        assertThat(store.heartbeat(runId)).isEqualTo(new RunState("cancelled", false));
        assertThat(store.requestCancel(runId)).isFalse();
        assertThat(reads.read(runId)).isEqualTo(before);
    }

    @Test
    void finishIfRunningAppliesOnceAndSecondCallChangesNothing() {
        String runId = start("appBase1");
        Instant end = clock.advance(Duration.ofSeconds(90));
        Map<String, Object> tables = Map.of("Customers", Map.of("records_scanned", 120L, "pages", 2L, "finished", true));
        Map<String, Object> counters = Map.of("requests", 3L, "retries", 0L);

        FinishOutcome first = store.finishIfRunning(runId, "success", null, Map.of("tables_result", tables, "counters", counters));

        assertThat(first).isEqualTo(new FinishOutcome(true, "running"));
        Map<String, Object> after = reads.read(runId);
        assertThat(after).containsEntry("status", "success").containsEntry("ended_at", toTimestamp(end))
                .containsEntry("duration_ms", 90_000L).containsEntry("tables_result", tables)
                .containsEntry("counters", counters).doesNotContainKey("error_message");

        clock.advance(Duration.ofSeconds(10));
        FinishOutcome second = store.finishIfRunning(runId, "error", "boom", Map.of("counters", Map.of()));

        assertThat(second).isEqualTo(new FinishOutcome(false, "success"));
        assertThat(reads.read(runId)).isEqualTo(after);
        assertThat(store.finishIfRunning("noSuchRun", "error", "x", null)).isEqualTo(new FinishOutcome(false, "missing"));
        assertThat(reads.read("noSuchRun")).isNull();
    }

    @Test
    void finishIfRunningWritesDurationMsAndErrorMessage() {
        String runId = start("appBase1");
        Instant end = clock.advance(Duration.ofMillis(1_234_567));

        store.finishIfRunning(runId, "error", "Table Orders page 3: HTTP 500", Map.of());

        assertThat(reads.read(runId)).containsEntry("status", "error").containsEntry("ended_at", toTimestamp(end))
                .containsEntry("duration_ms", 1_234_567L)
                .containsEntry("error_message", "Table Orders page 3: HTTP 500");
    }

    @Test
    void writeIssuesWithTwelveHundredIssuesWritesTwelveHundredDocs() throws Exception {
        String runId = start("appBase1");
        List<Issue> issues = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            issues.add(new Issue("Orders", "rec" + i, "Email", "required", i % 2 == 0 ? null : "v" + i, "Email is empty " + i));
        }

        issueWriter.writeIssues(runId, issues);

        List<QueryDocumentSnapshot> docs = db.collection(COLLECTION).document(runId).collection("issues")
                .get().get(30, TimeUnit.SECONDS).getDocuments();
        assertThat(docs).hasSize(1200);
        assertThat(docs.stream().map(d -> d.getLong("seq")).collect(Collectors.toSet()))
                .hasSize(1200).allMatch(seq -> seq >= 0 && seq < 1200);
        Map<String, Object> last = docs.stream().filter(d -> d.getLong("seq") == 1199).findFirst().orElseThrow().getData();
        Map<String, Object> expected = new HashMap<>();
        expected.put("table", "Orders");
        expected.put("record_id", "rec1199");
        expected.put("field", "Email");
        expected.put("rule", "required");
        expected.put("value", "v1199");
        expected.put("message", "Email is empty 1199");
        expected.put("seq", 1199L);
        assertThat(last).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void watchDeliversCancelRequestedChange() throws Exception {
        String runId = start("appBase1");
        List<RunState> seen = new CopyOnWriteArrayList<>();
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        try (AutoCloseable handle = store.watch(runId, callbacks, seen::add)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(new RunState("running", false)));

            store.requestCancel(runId);

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(new RunState("running", true)));
        } finally {
            callbacks.shutdownNow();
        }
        assertThat(seen).containsExactly(new RunState("running", false), new RunState("running", true));
    }

    @Test
    void startupRecoveryLeavesARunThisProcessStartedAfterItWasMadeEvenBeforeTheRunIsRegistered() {
        String orphan = start("appA");
        clock.advance(Duration.ofSeconds(1));
        StartupRecovery recovery = new StartupRecovery(hungRuns, store, new RunRegistry(), "runner-a");
        clock.advance(Duration.ofMillis(10));
        // this process's own run: in Firestore, not yet in the registry (the window recovery once closed it in)
        String own = start("appB");

        assertThat(recovery.recover()).isEqualTo(1);
        assertThat(reads.read(orphan).get("status")).isEqualTo("error");
        assertThat(reads.read(own).get("status")).isEqualTo("running");
    }

    @Test
    void findRunningRunsOfReturnsOnlyRunningRunsOfThatRunner() {
        String a1 = start("appA");
        String a2 = start("appB");
        store.finishIfRunning(start("appC"), "success", null, Map.of());
        store.startRun(new NewRun("appD", List.of("T"), "manual", "runner-b", 60), STALE);

        assertThat(hungRuns.findRunningRunsOf("runner-a")).containsExactlyInAnyOrder(a1, a2);
        assertThat(hungRuns.findRunningRunsOf("runner-z")).isEmpty();
    }
}
