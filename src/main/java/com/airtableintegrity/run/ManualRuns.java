package com.airtableintegrity.run;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts manual runs (REST {@code POST /api/runs}, JMX {@code runNow()}) without ever piling them up. A request is
 * answered at once, from memory, with no Firestore call:
 * <ul>
 *   <li>{@link RateLimited} when the start requests exceed the {@link StartRateLimit};</li>
 *   <li>{@link Busy} while a run of the base is live in this process or a manual run is queued or starting;</li>
 *   <li>{@link Accepted} otherwise: the run goes to the one worker thread, which runs it to its end.</li>
 * </ul>
 * Runs started by other processes are still refused by {@code runLifecycle.open}'s lock transaction, once per
 * accepted start.
 */
public final class ManualRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManualRuns.class);

    /** What a start request got, with a sentence saying so (for an operator). */
    public sealed interface Result permits Accepted, Busy, RateLimited {
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

    public record RateLimited(long retryAfterSeconds, int burst, int perMinute) implements Result {
        @Override
        public String message() {
            return "Too many run start requests: at most " + burst + " at once and " + perMinute
                    + " per minute; retry after " + retryAfterSeconds + " s";
        }
    }

    private final RunRegistry registry;
    private final String baseId;
    private final StartRateLimit rateLimit;
    private final Runnable launch;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final ThreadPoolExecutor worker;

    /** {@code launch} runs one whole run (it returns when the run has ended), on the worker thread. */
    public ManualRuns(RunRegistry registry, String baseId, StartRateLimit rateLimit, Runnable launch) {
        this.registry = registry;
        this.baseId = baseId;
        this.rateLimit = rateLimit;
        this.launch = launch;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> {
            Thread t = new Thread(r, "integrity-manual-run");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    public Result request() {
        long wait = rateLimit.tryTake();
        if (wait > 0) {
            return new RateLimited(wait, rateLimit.burst(), rateLimit.perMinute());
        }
        String live = liveRunId();
        if (live != null) {
            return new Busy(baseId, live);
        }
        if (!inFlight.compareAndSet(false, true)) {
            return new Busy(baseId, liveRunId());
        }
        try {
            worker.execute(this::runToEnd);
        } catch (RejectedExecutionException e) {
            inFlight.set(false);
            return new Busy(baseId, liveRunId());
        }
        return new Accepted();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    private void runToEnd() {
        try {
            launch.run();
        } catch (RuntimeException e) {
            LOG.error("Manual run for base {} failed to run: {}", baseId, e.toString());
        } finally {
            inFlight.set(false);
        }
    }

    private String liveRunId() {
        return registry.active().stream().filter(r -> baseId.equals(r.baseId())).map(RunContext::runId)
                .findFirst().orElse(null);
    }
}
