package com.airtableintegrity.run;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a runner does when it is told to stop (SIGTERM, Ctrl-C, a context close): it starts no run any more, stops
 * every live run within one page (status {@code cancelled}, "Runner shutting down", {@code ended_by: shutdown}), and
 * waits, bounded, until each has written its final status, so that its base is free for the next runner at once.
 * Runs that cannot finish in time are left to the hung-run sweep.
 */
public final class RunnerShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerShutdown.class);
    public static final String MESSAGE = "Runner shutting down";

    private final RunRegistry registry;
    private volatile boolean inProgress;

    public RunnerShutdown(RunRegistry registry) {
        this.registry = registry;
    }

    public boolean inProgress() {
        return inProgress;
    }

    /**
     * Stops the live runs and waits at most {@code wait} for their final writes.
     * @return true when no run of this process is live any more
     */
    public boolean begin(Duration wait) {
        inProgress = true;
        long deadline = System.nanoTime() + wait.toNanos();
        int stopped = 0;
        for (RunContext run : registry.active()) {
            if (run.stop(RunContext.StopKind.SHUTDOWN, MESSAGE)) {
                stopped++;
            }
        }
        if (stopped > 0) {
            LOG.info("Shutting down: stopping {} live run(s), waiting up to {} ms for their final status", stopped,
                    wait.toMillis());
        }
        // the registry drops a run once its final write is done; runs have no completion signal of their own
        while (!registry.active().isEmpty() && System.nanoTime() - deadline < 0) {
            stopRunsStartedMeanwhile();
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean done = registry.active().isEmpty();
        if (!done) {
            LOG.warn("Shutting down with run(s) {} still live after {} ms; the hung-run sweep will close them",
                    registry.active().stream().map(RunContext::runId).toList(), wait.toMillis());
        }
        return done;
    }

    /** A run that registered while the shutdown began: it stops too. */
    private void stopRunsStartedMeanwhile() {
        for (RunContext run : registry.active()) {
            run.stop(RunContext.StopKind.SHUTDOWN, MESSAGE);
        }
    }
}
