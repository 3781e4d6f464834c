package com.airtableintegrity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.store.RunTransactions.NewRun;
import com.airtableintegrity.store.RunTransactions.Started;
import com.airtableintegrity.support.UtcClock;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;

/**
 * A start that follows another run of its base: the new run never begins (in the record) before the previous one
 * ended, even when the sweep closes that run while the start is under way, and the start tells when a run of
 * another runner ended (its requests may still fill Airtable's per-base window).
 */
class StartAfterOtherRunTest extends StoreTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private static NewRun newRun(String runnerId) {
        return new NewRun("appBase1", List.of("Customers"), "schedule", runnerId, 1800);
    }

    private static RunTransactions storeWith(Clock c) {
        return new RunTransactions(new RunCollection(db, COLLECTION, TIMEOUT, c));
    }

    private static DocumentSnapshot read(String runId) throws Exception {
        return db.collection(COLLECTION).document(runId).get().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRunStartedWhileTheSweepClosesTheBasesPreviousRunStartsNoEarlierThanThatRunEnded() throws Exception {
        // a run of another runner, started ten minutes ago and silent since: the sweep will close it (max_age)
        Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        String hungId = ((Started) storeWith(tenMinutesAgo).startRun(newRun("runner-a"), STALE)).runId();
        HungRunQueries sweeper = new HungRunQueries(new RunCollection(db, COLLECTION, TIMEOUT, Clock.systemUTC()));
        // the starter reads its clock, and right then (before the start's commit) the sweep closes the hung run
        AtomicInteger calls = new AtomicInteger();
        UtcClock starterClock = UtcClock.of(() -> {
            Instant t = Instant.now();
            if (calls.incrementAndGet() == 2) {
                assertThat(sweeper.markTimeoutIfHung(hungId, MAX_AGE, STALE, "sweeper"))
                        .isEqualTo(HungRunQueries.MarkResult.MARKED_MAX_AGE);
            }
            return t;
        });

        Started next = (Started) storeWith(starterClock).startRun(newRun("runner-b"), STALE);

        DocumentSnapshot hung = read(hungId);
        assertThat(hung.getString("status")).isEqualTo("timeout");
        assertThat(hung.getString("swept_by")).isEqualTo("sweeper");
        Timestamp startedAt = read(next.runId()).getTimestamp("started_at");
        assertThat(startedAt).as("started_at of the next run").isGreaterThanOrEqualTo(hung.getTimestamp("ended_at"));
    }

    @Test
    void aStartAfterARunOfAnotherRunnerEndedTellsWhenItEnded() throws Exception {
        String first = ((Started) store.startRun(newRun("runner-a"), STALE)).runId();
        clock.advance(Duration.ofSeconds(3));
        store.finishIfRunning(first, "success", null, Map.of());
        Instant ended = read(first).getTimestamp("ended_at").toDate().toInstant();
        clock.advance(Duration.ofMillis(400));

        Started next = (Started) store.startRun(newRun("runner-b"), STALE);

        assertThat(next.otherRunnerEndedAt()).isEqualTo(ended).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aStartAfterARunOfTheSameRunnerOrOnAFreshBaseTellsNothing() throws Exception {
        Started fresh = (Started) store.startRun(newRun("runner-a"), STALE);
        clock.advance(Duration.ofSeconds(3));
        store.finishIfRunning(fresh.runId(), "success", null, Map.of());

        Started again = (Started) store.startRun(newRun("runner-a"), STALE);

        assertThat(fresh.otherRunnerEndedAt()).isNull();
        assertThat(again.otherRunnerEndedAt()).isNull();
    }
}
