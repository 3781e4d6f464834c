package com.airtableintegrity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.airtableintegrity.store.RunTransactions.NewRun;
import com.airtableintegrity.store.RunTransactions.Skipped;
import com.airtableintegrity.store.RunTransactions.Started;
import com.airtableintegrity.support.UtcClock;
import com.google.cloud.firestore.Firestore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runner frozen (SIGSTOP, a closed laptop lid) in the middle of one of its store calls, after its reads and before
 * its write, must hold up nobody: the soak found sweeps, starts and final statuses of a base timing out for about a
 * minute after a runner was suspended, the time the database keeps the locks of a transaction whose client went
 * silent. The frozen runner here is the store itself over its own client, stopped where it reads the clock.
 */
class FrozenRunnerTest extends StoreTestBase {

    /** Well under the store's call timeout (10 s) and the database's lock expiry (about a minute). */
    private static final Duration PROMPT = Duration.ofSeconds(4);
    private static final NewRun RUN = new NewRun("appFROZEN0000001", List.of("T"), "scheduled", "runner-a", 3600);
    private static final NewRun OTHER = new NewRun("appFROZEN0000001", List.of("T"), "scheduled", "runner-b", 3600);

    private final FreezingClock frozenClock = new FreezingClock();
    private Firestore frozenClient;
    private String runId;

    @BeforeEach
    void aRunIsLive() {
        runId = ((Started) store.startRun(RUN, STALE)).runId();
        frozenClient = emulator.newClient();
    }

    @AfterEach
    void thawAndClose() throws Exception {
        frozenClock.thaw();
        frozenClient.close();
    }

    @Test
    void theSweepClosesTheRunOfARunnerFrozenInItsHeartbeatAtOnce() {
        freezeIn(frozen -> frozen.heartbeat(runId), 1, Duration.ofMinutes(3));
        clock.advance(STALE.plusSeconds(1));
        assertThat(prompt(() -> hungRuns.markTimeoutIfHung(runId, Duration.ofHours(2), STALE, "sweeper")))
                .isEqualTo(HungRunQueries.MarkResult.MARKED_HEARTBEAT_STALE);
    }

    @Test
    void aRunnerThawedInItsHeartbeatFindsItsRunClosedAndWritesNothing() throws Exception {
        CompletableFuture<RunTransactions.RunState> beat = freezeIn(frozen -> frozen.heartbeat(runId), 1,
                Duration.ofMinutes(3));
        clock.advance(STALE.plusSeconds(1));
        hungRuns.markTimeoutIfHung(runId, Duration.ofHours(2), STALE, "sweeper");
        Object endedAt = reads.read(runId).get(RunFields.ENDED_AT);
        frozenClock.thaw();
        assertThat(beat.get(20, TimeUnit.SECONDS).status()).isEqualTo(RunFields.STATUS_TIMEOUT);
        assertThat(reads.read(runId)).containsEntry(RunFields.HEARTBEAT_AT, RunCollection.toTimestamp(T0))
                .containsEntry(RunFields.ENDED_AT, endedAt);
    }

    @Test
    void theFinalStatusAndACancelRequestOfItsRunAreWrittenAtOnce() {
        freezeIn(frozen -> frozen.heartbeat(runId), 1, Duration.ofMinutes(3));
        assertThat(prompt(() -> store.requestCancel(runId))).isTrue();
        assertThat(prompt(() -> store.finishIfRunning(runId, "cancelled", null, null)).applied()).isTrue();
    }

    @Test
    void anotherRunnerTakesOverTheBaseOfARunnerFrozenInItsStartAtOnce() {
        clock.advance(STALE.plusSeconds(1));
        // the frozen start read the lock (naming the stale run) and stops at its second clock read, before writing
        freezeIn(frozen -> frozen.startRun(RUN, STALE), 2, Duration.ofMinutes(3));
        assertThat(prompt(() -> store.startRun(OTHER, STALE))).isInstanceOf(Started.class);
        assertThat(reads.read(runId)).containsEntry(RunFields.STATUS, RunFields.STATUS_TIMEOUT);
    }

    @Test
    void aRunnerThawedInItsStartSkipsTheRunThatTookOverMeanwhile() throws Exception {
        clock.advance(STALE.plusSeconds(1));
        CompletableFuture<RunTransactions.StartResult> start = freezeIn(frozen -> frozen.startRun(RUN, STALE), 2,
                Duration.ofMinutes(3));
        String winner = ((Started) store.startRun(OTHER, STALE)).runId();
        frozenClock.thaw();
        assertThat(start.get(20, TimeUnit.SECONDS)).isEqualTo(new Skipped(winner, 1));
        assertThat(runningRunsOfTheBase()).isEqualTo(1);
    }

    @Test
    void aStartFrozenPastItsCallTimeoutWritesNothingWhenThawed() throws Exception {
        clock.advance(STALE.plusSeconds(1));
        CompletableFuture<RunTransactions.StartResult> start = freezeIn(frozen -> frozen.startRun(RUN, STALE), 2,
                Duration.ofSeconds(1));
        long frozenAt = System.nanoTime();
        // the frozen runner's own call timeout (1 s) passes while it is frozen
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - frozenAt > 1_500_000_000L);
        frozenClock.thaw();
        assertThatThrownBy(() -> start.join()).hasRootCauseInstanceOf(RunStoreException.class)
                .rootCause().hasMessage("Firestore startRun for base appFROZEN0000001 timed out after 1000 ms"
                        + " (nothing written)");
        assertThat(reads.read(runId)).containsEntry(RunFields.STATUS, RunFields.STATUS_RUNNING);
        assertThat(reads.readLock(RUN.baseId())).containsEntry(RunFields.LOCK_RUN_ID, runId);
    }

    /**
     * Runs {@code call} on a runner of its own (its own client, call timeout {@code callTimeout}) whose clock stops
     * at its {@code atRead}-th reading; returns once it is stopped there.
     */
    private <T> CompletableFuture<T> freezeIn(Function<RunTransactions, T> call, int atRead, Duration callTimeout) {
        RunTransactions frozen = new RunTransactions(new RunCollection(frozenClient, COLLECTION, callTimeout,
                frozenClock));
        frozenClock.freezeAt(atRead);
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> call.apply(frozen));
        frozenClock.awaitFrozen();
        return result;
    }

    private long runningRunsOfTheBase() {
        return reads.latestRuns(50).stream().filter(r -> RUN.baseId().equals(r.get(RunFields.BASE_ID)))
                .filter(r -> RunFields.STATUS_RUNNING.equals(r.get(RunFields.STATUS))).count();
    }

    private static <T> T prompt(Supplier<T> call) {
        long t0 = System.nanoTime();
        T result = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("answered while another runner is frozen mid-call")
                .isLessThan(PROMPT);
        return result;
    }

    /** The test clock, except that its {@code n}-th reading after {@link #freezeAt} waits for {@link #thaw}. */
    private static final class FreezingClock extends UtcClock {
        private final AtomicInteger readsLeft = new AtomicInteger(Integer.MAX_VALUE);
        private final CountDownLatch frozen = new CountDownLatch(1);
        private final CountDownLatch thawed = new CountDownLatch(1);

        void freezeAt(int read) {
            readsLeft.set(read);
        }

        void awaitFrozen() {
            try {
                assertThat(frozen.await(20, TimeUnit.SECONDS)).as("the frozen runner reached its freeze").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        void thaw() {
            thawed.countDown();
        }

        @Override
        public Instant instant() {
            if (readsLeft.decrementAndGet() == 0) {
                frozen.countDown();
                try {
                    thawed.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return clock.instant();
        }
    }
}
