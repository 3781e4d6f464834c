package com.airtableintegrity.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.store.RunTransactions;

/**
 * Keeps each live run's {@code heartbeat_at} fresh on a timer (so it beats while a request waits on Airtable), and
 * listens to the run document: {@code cancel_requested: true} cancels the run, a status other than {@code running}
 * (the sweep closed it) fences it, so it stops at once and writes nothing more. The timer belongs to
 * {@link RunnerExecutors}, which closes it.
 */
public final class RunHeartbeats {
    private static final Logger LOG = LoggerFactory.getLogger(RunHeartbeats.class);

    private final RunTransactions store;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private final Map<String, AutoCloseable> watches = new ConcurrentHashMap<>();

    public RunHeartbeats(RunTransactions store, Duration interval, ScheduledExecutorService timer) {
        this.store = store;
        this.interval = interval;
        this.timer = timer;
    }

    public void start(RunContext run) {
        Semaphore beating = new Semaphore(1);
        // at a fixed rate from the heartbeat the start wrote: the run's lease counts from when that one was asked for,
        // so neither a slow start transaction nor slow beats may push the next beat further out than one interval
        long sinceStartMs = Duration.between(run.heartbeatAt(), Instant.now()).toMillis();
        long firstDelayMs = Math.max(0, interval.toMillis() - sinceStartMs);
        ScheduledFuture<?> beat = timer.scheduleAtFixedRate(() -> {
            try (var log = RunLogContext.of(run)) {
                beat(run, beating);
            }
        }, firstDelayMs, interval.toMillis(), TimeUnit.MILLISECONDS);
        AutoCloseable listener;
        try {
            listener = store.watch(run.runId(), timer, state -> {
                try (var log = RunLogContext.of(run)) {
                    apply(run, state);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Run {}: cannot listen to its document ({}); relying on heartbeats", run.runId(), e.getMessage());
            listener = () -> { };
        }
        AutoCloseable documentListener = listener;
        watches.put(run.runId(), () -> {
            beat.cancel(false);
            documentListener.close();
            // wait (bounded) for a heartbeat in flight: the final write would otherwise contend with its transaction;
            // the permit is kept, so no beat can start afterwards
            beating.tryAcquire(store.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Stops beating and listening for this run (before its final write, so a failed final write leaves it to the
     * sweep).
     */
    public void stop(RunContext run) {
        AutoCloseable watch = watches.remove(run.runId());
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("Run {}: closing its listener failed: {}", run.runId(), e.toString());
            }
        }
    }

    private void beat(RunContext run, Semaphore beating) {
        if (run.stopped() != null || !beating.tryAcquire()) {
            return;
        }
        try {
            Instant asked = Instant.now(); // no later than the heartbeat_at written: the run's lease counts from here
            RunTransactions.RunState state = store.heartbeat(run.runId());
            if ("running".equals(state.status())) {
                run.heartbeatWritten(asked);
            }
            apply(run, state);
        } catch (RuntimeException e) {
            LOG.warn("Run {}: heartbeat failed: {}", run.runId(), e.getMessage());
        } finally {
            beating.release();
        }
    }

    private static void apply(RunContext run, RunTransactions.RunState state) {
        if (!"running".equals(state.status())) {
            run.stop(RunContext.StopKind.FENCED, "the run document is '" + state.status()
                    + "', set outside this runner (e.g. by the hung-run sweep)");
        } else if (state.cancelRequested()) {
            run.stop(RunContext.StopKind.CANCELLED, "Run cancelled: cancel_requested was set on the run document");
        }
    }
}
