package com.airtableintegrity.run;

import com.airtableintegrity.store.RunStore;
import com.airtableintegrity.store.RunStore.MarkResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks hung runs as {@code timeout}: every {@code running} run that started more than {@code maxAge} ago
 * ({@code max_age}) or whose heartbeat (fallback {@code started_at}) is older than {@code heartbeatStaleAfter}
 * ({@code heartbeat_stale}). Candidates come from one paged query; each mark is its own transaction that re-checks
 * status and rule, so a run that finished or heart-beat in between is left alone.
 */
public class HungRunSweeper {

    private static final Logger log = LoggerFactory.getLogger(HungRunSweeper.class);

    public static final int PAGE_SIZE = 300;
    public static final int PARALLELISM = 8;

    private final RunStore store;
    private final Duration maxAge;
    private final Duration heartbeatStaleAfter;
    private final String sweeperId;
    private volatile Consumer<String> beforeMark = runId -> { };

    public HungRunSweeper(RunStore store, Duration maxAge, Duration heartbeatStaleAfter, String sweeperId) {
        this.store = Objects.requireNonNull(store, "store");
        this.maxAge = requirePositive(maxAge, "maxAge");
        this.heartbeatStaleAfter = requirePositive(heartbeatStaleAfter, "heartbeatStaleAfter");
        this.sweeperId = Objects.requireNonNull(sweeperId, "sweeperId");
    }

    /** Test hook: called with the run id inside the mark step, just before its transaction. */
    public HungRunSweeper withBeforeMark(Consumer<String> hook) {
        this.beforeMark = hook == null ? runId -> { } : hook;
        return this;
    }

    /**
     * @param examined               candidates returned by the query
     * @param markedMaxAge           marked by rule {@code max_age}
     * @param markedStaleHeartbeat   marked by rule {@code heartbeat_stale}
     * @param skippedNoLongerRunning candidates that were no longer {@code running} when their transaction ran
     * @param durationMs             wall time of the sweep
     * @param failed                 candidates whose mark failed (Firestore error/timeout); retried next sweep
     */
    public record SweepResult(int examined, int markedMaxAge, int markedStaleHeartbeat, int skippedNoLongerRunning,
                              long durationMs, int failed) {
    }

    public SweepResult sweep() {
        long started = System.nanoTime();
        Instant now = store.clock().instant();
        Duration shortest = maxAge.compareTo(heartbeatStaleAfter) <= 0 ? maxAge : heartbeatStaleAfter;
        Instant cutoff = now.minus(shortest);

        AtomicInteger threadIds = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM, runnable -> {
            Thread thread = new Thread(runnable, "hung-run-sweep-" + threadIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<Future<MarkResult>> marks = new ArrayList<>();
        RuntimeException queryFailure = null;
        int markedMaxAge = 0;
        int markedStale = 0;
        int notRunning = 0;
        int failed = 0;
        Throwable firstFailure = null;
        try {
            try {
                store.forEachRunningStartedBefore(cutoff, PAGE_SIZE, page -> {
                    for (String runId : page) {
                        marks.add(pool.submit(() -> {
                            beforeMark.accept(runId);
                            return store.markTimeoutIfHung(runId, maxAge, heartbeatStaleAfter, sweeperId);
                        }));
                    }
                });
            } catch (RuntimeException e) {
                queryFailure = e;
            }
            for (Future<MarkResult> mark : marks) {
                try {
                    switch (mark.get()) {
                        case MARKED_MAX_AGE -> markedMaxAge++;
                        case MARKED_HEARTBEAT_STALE -> markedStale++;
                        case NOT_RUNNING -> notRunning++;
                        case NOT_HUNG -> { }
                    }
                } catch (ExecutionException e) {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = e.getCause();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Hung-run sweep interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        SweepResult result = new SweepResult(marks.size(), markedMaxAge, markedStale, notRunning, durationMs, failed);
        log.info("Hung-run sweep by {}: examined={}, markedMaxAge={}, markedStaleHeartbeat={}, skippedNoLongerRunning={}, "
                        + "failed={}, durationMs={}{}{}",
                sweeperId, result.examined(), result.markedMaxAge(), result.markedStaleHeartbeat(),
                result.skippedNoLongerRunning(), failed, durationMs,
                firstFailure == null ? "" : ", firstFailure=" + firstFailure,
                queryFailure == null ? "" : ", queryFailed=" + queryFailure.getMessage());
        if (queryFailure != null) {
            throw queryFailure;
        }
        return result;
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return duration;
    }
}
