package com.airtableintegrity.run;

import com.airtableintegrity.metrics.RunnerMetrics;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.HungRunQueries.MarkResult;
import com.airtableintegrity.store.HungRunQueries.RunningRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks hung runs as {@code timeout}: every {@code running} run that started more than {@code maxAge} ago
 * ({@code max_age}) or whose heartbeat (fallback {@code started_at}) is older than {@code heartbeatStaleAfter}
 * ({@code heartbeat_stale}). Candidates come from one paged query; each mark is its own transaction that re-checks
 * status and rule, so a run that finished or heart-beat in between is left alone.
 *
 * <p>The marks run on {@code marks}, one pool for the context's life that Camel manages
 * ({@link RunnerExecutors#sweepPool}: thread pool profile, shut down with the CamelContext). Not a parallel
 * {@code split} in sweep.camel.yaml: the candidates come page by page from a cursor query and marks start while later
 * pages are read, and the sweep's one log line needs the counts, the first failure and a query failure that comes
 * after some marks; as a split that would take an iterator over the cursor, an aggregation strategy and a result bean
 * for the same behaviour.
 */
public class HungRunSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(HungRunSweeper.class);

    public static final int PAGE_SIZE = 300;
    public static final int PARALLELISM = 8;

    private final HungRunQueries store;
    private final Duration maxAge;
    private final Duration heartbeatStaleAfter;
    private final String sweeperId;
    private final ExecutorService pool;
    private final RunnerMetrics metrics;
    private volatile Consumer<String> beforeMark = runId -> { };
    private volatile SweepReport lastSweep;
    private volatile StillRunning stillRunning = new StillRunning(null, List.of());

    public HungRunSweeper(HungRunQueries store, Duration maxAge, Duration heartbeatStaleAfter, String sweeperId,
                          ExecutorService marks) {
        this(store, maxAge, heartbeatStaleAfter, sweeperId, marks, RunnerMetrics.none());
    }

    public HungRunSweeper(HungRunQueries store, Duration maxAge, Duration heartbeatStaleAfter, String sweeperId,
                          ExecutorService marks, RunnerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.store = Objects.requireNonNull(store, "store");
        this.maxAge = requirePositive(maxAge, "maxAge");
        this.heartbeatStaleAfter = requirePositive(heartbeatStaleAfter, "heartbeatStaleAfter");
        this.sweeperId = Objects.requireNonNull(sweeperId, "sweeperId");
        this.pool = Objects.requireNonNull(marks, "marks");
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

    /**
     * What this process's last sweep did, for the operator console: when it ran, its counts, the runs it marked (with
     * the rule) and a failure, if any. Empty before the first sweep.
     *
     * @param at     when the sweep started
     * @param marked run id to the rule that marked it ({@code max_age} or {@code heartbeat_stale}), in query order
     * @param failure the query failure or the first failed mark, or {@code null}
     */
    public record SweepReport(Instant at, SweepResult result, Map<String, String> marked, String failure) {
    }

    /**
     * The runs the last completed sweep found {@code running} and left so (not hung, or their mark failed), as the
     * query read them at {@code at}; none before the first sweep. The oldest-running gauges read this instead of
     * querying Firestore.
     */
    public record StillRunning(Instant at, List<RunningRun> runs) {
    }

    public StillRunning stillRunning() {
        return stillRunning;
    }

    /** The last sweep of this process, if it has swept yet. */
    public Optional<SweepReport> lastSweep() {
        return Optional.ofNullable(lastSweep);
    }

    public SweepResult sweep() {
        long started = System.nanoTime();
        Instant now = store.clock().instant();
        Duration shortest = maxAge.compareTo(heartbeatStaleAfter) <= 0 ? maxAge : heartbeatStaleAfter;
        Instant cutoff = now.minus(shortest);

        List<Future<MarkResult>> marks = new ArrayList<>();
        List<RunningRun> candidates = new ArrayList<>();
        List<RunningRun> leftRunning = new ArrayList<>();
        RuntimeException queryFailure = null;
        int markedMaxAge = 0;
        int markedStale = 0;
        int notRunning = 0;
        int failed = 0;
        Throwable firstFailure = null;
        try {
            store.forEachRunningStartedBefore(cutoff, PAGE_SIZE, page -> {
                for (RunningRun run : page) {
                    candidates.add(run);
                    marks.add(pool.submit(() -> {
                        beforeMark.accept(run.id());
                        return store.markTimeoutIfHung(run.id(), maxAge, heartbeatStaleAfter, sweeperId);
                    }));
                }
            });
        } catch (RuntimeException e) {
            queryFailure = e;
        }
        Map<String, String> marked = new LinkedHashMap<>();
        for (int i = 0; i < marks.size(); i++) {
            try {
                switch (awaitMark(marks.get(i))) {
                    case MARKED_MAX_AGE -> {
                        markedMaxAge++;
                        marked.put(candidates.get(i).id(), "max_age");
                    }
                    case MARKED_HEARTBEAT_STALE -> {
                        markedStale++;
                        marked.put(candidates.get(i).id(), "heartbeat_stale");
                    }
                    case NOT_RUNNING -> notRunning++;
                    case NOT_HUNG -> leftRunning.add(candidates.get(i));
                }
            } catch (ExecutionException | CancellationException e) {
                leftRunning.add(candidates.get(i));
                failed++;
                if (firstFailure == null) {
                    firstFailure = e instanceof ExecutionException ? e.getCause() : e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Hung-run sweep interrupted", e);
            }
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        SweepResult result = new SweepResult(marks.size(), markedMaxAge, markedStale, notRunning, durationMs, failed);
        LOG.info("Hung-run sweep by {}: examined={}, markedMaxAge={}, markedStaleHeartbeat={}, "
                        + "skippedNoLongerRunning={}, failed={}, durationMs={}{}{}",
                sweeperId, result.examined(), result.markedMaxAge(), result.markedStaleHeartbeat(),
                result.skippedNoLongerRunning(), failed, durationMs,
                firstFailure == null ? "" : ", firstFailure=" + firstFailure,
                queryFailure == null ? "" : ", queryFailed=" + queryFailure.getMessage());
        Throwable failure = queryFailure != null ? queryFailure : firstFailure;
        lastSweep = new SweepReport(now, result, Collections.unmodifiableMap(marked),
                failure == null ? null : String.valueOf(failure.getMessage()));
        metrics.sweepMarked(markedMaxAge, markedStale);
        if (queryFailure != null) {
            throw queryFailure;
        }
        stillRunning = new StillRunning(now, List.copyOf(leftRunning));
        metrics.sweepCompleted();
        return result;
    }

    /**
     * The mark's result. Each mark is bounded by the store's call timeout; a mark still queued when the context shut
     * the pool down never runs, so it is cancelled (and counted as failed) instead of being waited for forever.
     */
    private MarkResult awaitMark(Future<MarkResult> mark) throws ExecutionException, InterruptedException {
        while (true) {
            try {
                return mark.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (pool.isTerminated()) {
                    mark.cancel(false);
                }
            }
        }
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return duration;
    }
}
