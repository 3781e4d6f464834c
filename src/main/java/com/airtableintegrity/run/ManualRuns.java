package com.airtableintegrity.run;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts manual runs (REST {@code POST /api/runs}, JMX {@code runNow()}) without ever piling them up. A request is
 * answered at once, from memory, with no Firestore call:
 * <ul>
 *   <li>{@link RateLimited} when the start requests exceed the {@link StartRateLimit};</li>
 *   <li>{@link Busy} while a run of the base is live in this process or a manual run of it is queued or starting;
 *   {@link Saturated} when {@value #MAX_PARALLEL} manual runs already go;</li>
 *   <li>{@link Accepted} otherwise: the run goes to a worker thread, which runs it to its end.</li>
 * </ul>
 * Runs started by other processes are still refused by {@code runLifecycle.open}'s lock transaction, once per
 * accepted start.
 */
public final class ManualRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManualRuns.class);

    /** What a start request got, with a sentence saying so (for an operator). */
    public sealed interface Result permits Accepted, Busy, Saturated, RateLimited {
        String message();
    }

    public record Accepted() implements Result {
        @Override
        public String message() {
            return "manual run requested";
        }
    }

    /** {@code liveRunId} is null while the run is queued or starting (it has no id yet). */
    public record Busy(String baseId, String liveRunId) implements Result {
        @Override
        public String message() {
            return liveRunId == null
                    ? "A manual run for base " + baseId + " is already queued or starting"
                    : "Run " + liveRunId + " is live for base " + baseId + ": a new run starts only after it has ended";
        }
    }

    /** {@value #MAX_PARALLEL} manual runs (of other bases) are going in this process. */
    public record Saturated(int maxParallel) implements Result {
        @Override
        public String message() {
            return maxParallel + " manual runs are going in this runner, the most it takes at once: retry when one "
                    + "has ended";
        }
    }

    public record RateLimited(long retryAfterSeconds, int burst, int perMinute) implements Result {
        @Override
        public String message() {
            return "Too many run start requests: at most " + burst + " at once and " + perMinute
                    + " per minute; retry after " + retryAfterSeconds + " s";
        }
    }

    /** Manual runs of different bases going at once in this process; one more is refused as busy. */
    public static final int MAX_PARALLEL = 8;

    private final RunRegistry registry;
    private final ScanPlan configured;
    private final StartRateLimit rateLimit;
    private final Consumer<ScanPlan> launch;
    /** Bases with a manual run queued, starting or running here. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor workers;

    /**
     * @param configured the plan of {@link #request()}: the configured base and tables
     * @param launch     runs one whole run of a plan (it returns when the run has ended), on a worker thread
     */
    public ManualRuns(RunRegistry registry, ScanPlan configured, StartRateLimit rateLimit, Consumer<ScanPlan> launch) {
        this.registry = registry;
        this.configured = configured;
        this.rateLimit = rateLimit;
        this.launch = launch;
        // no queue: a start either gets a thread at once or is refused, so nothing piles up
        this.workers = new ThreadPoolExecutor(0, MAX_PARALLEL, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "integrity-manual-run");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** A manual run of the configured base and tables. */
    public Result request() {
        return request(configured);
    }

    /** A manual run of this plan (a schedule's base and tables). */
    public Result request(ScanPlan plan) {
        long wait = rateLimit.tryTake();
        if (wait > 0) {
            return new RateLimited(wait, rateLimit.burst(), rateLimit.perMinute());
        }
        String baseId = plan.baseId();
        String live = liveRunId(baseId);
        if (live != null || !inFlight.add(baseId)) {
            return new Busy(baseId, live);
        }
        try {
            workers.execute(() -> runToEnd(plan));
        } catch (RejectedExecutionException e) {
            inFlight.remove(baseId);
            return new Saturated(MAX_PARALLEL);
        }
        return new Accepted();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private void runToEnd(ScanPlan plan) {
        try {
            launch.accept(plan);
        } catch (RuntimeException e) {
            LOG.error("Manual run for base {} failed to run: {}", plan.baseId(), e.toString());
        } finally {
            inFlight.remove(plan.baseId());
        }
    }

    private String liveRunId(String baseId) {
        return registry.active().stream().filter(r -> baseId.equals(r.baseId())).map(RunContext::runId)
                .findFirst().orElse(null);
    }
}
