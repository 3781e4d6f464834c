package com.airtableintegrity.run;

import static com.airtableintegrity.metrics.RunnerMetrics.LIVE_RUNS;
import static com.airtableintegrity.metrics.RunnerMetrics.OLDEST_HEARTBEAT_AGE;
import static com.airtableintegrity.metrics.RunnerMetrics.OLDEST_RUNNING_AGE;
import static com.airtableintegrity.metrics.RunnerMetrics.PAST_DEADLINE;
import static com.airtableintegrity.metrics.RunnerMetrics.RUN_DEADLINE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import com.airtableintegrity.metrics.RunnerMetrics;
import com.airtableintegrity.store.HungRunQueries.RunningRun;

/**
 * The gauges of the runs in progress, computed at each scrape from memory, never from a Firestore query: this
 * process's live runs ({@link RunRegistry}: age and last heartbeat now) together with the runs of every runner that
 * this process's last sweep found {@code running} and left so ({@link HungRunSweeper#stillRunning()}: their ages as of
 * that sweep). That view is complete for every run older than the shorter of the sweep's two thresholds (the sweep
 * query's cutoff, 2 minutes by default), which is all an alert on a stale heartbeat or an overdue run needs; a younger
 * run of another runner is not seen until it is that old.
 */
public final class RunningRunGauges {
    private final RunRegistry registry;
    private final HungRunSweeper sweeper;
    private final Clock clock;

    /** One run in progress as a source last saw it, at {@code seenAt}. */
    private record Seen(Instant startedAt, Instant heartbeatAt, Duration deadline, Instant seenAt) {
        double ageSeconds() {
            return seconds(startedAt);
        }

        double heartbeatAgeSeconds() {
            return seconds(heartbeatAt == null ? startedAt : heartbeatAt);
        }

        boolean pastDeadline() {
            return deadline != null && Duration.between(startedAt, seenAt).compareTo(deadline) > 0;
        }

        private double seconds(Instant since) {
            return Math.max(0, Duration.between(since, seenAt).toMillis() / 1000.0);
        }
    }

    private RunningRunGauges(RunRegistry registry, HungRunSweeper sweeper, Clock clock) {
        this.registry = registry;
        this.sweeper = sweeper;
        this.clock = clock;
    }

    /** Registers the gauges; {@code configuredDeadline} is integrity.run.max-duration-seconds. */
    public static RunningRunGauges register(RunnerMetrics metrics, RunRegistry registry, HungRunSweeper sweeper,
                                            Clock clock, Duration configuredDeadline) {
        RunningRunGauges gauges = new RunningRunGauges(registry, sweeper, clock);
        metrics.gauge(LIVE_RUNS, null, "Runs in progress in this runner", () -> registry.active().size());
        metrics.gauge(OLDEST_RUNNING_AGE, "seconds", "Age of the oldest running run (own runs now, others as of "
                + "the last sweep); 0 when none", () -> gauges.oldest(Seen::ageSeconds));
        metrics.gauge(OLDEST_HEARTBEAT_AGE, "seconds", "Heartbeat age of the oldest-beating running run (own runs "
                + "now, others as of the last sweep); 0 when none", () -> gauges.oldest(Seen::heartbeatAgeSeconds));
        metrics.gauge(PAST_DEADLINE, null, "Running runs older than their own deadline (max_duration_seconds)",
                () -> gauges.running().stream().filter(Seen::pastDeadline).count());
        metrics.gauge(RUN_DEADLINE, "seconds", "The configured run deadline (integrity.run.max-duration-seconds)",
                configuredDeadline::toSeconds);
        return gauges;
    }

    private double oldest(ToDoubleFunction<Seen> age) {
        return running().stream().mapToDouble(age).max().orElse(0);
    }

    /** Every run in progress that this process knows of, by run id; its own view of its own runs wins. */
    private Collection<Seen> running() {
        Map<String, Seen> runs = new LinkedHashMap<>();
        HungRunSweeper.StillRunning swept = sweeper.stillRunning();
        for (RunningRun r : swept.runs()) {
            runs.put(r.id(), new Seen(r.startedAt(), r.heartbeatAt(),
                    r.maxDurationSeconds() == null ? null : Duration.ofSeconds(r.maxDurationSeconds()), swept.at()));
        }
        Instant now = clock.instant();
        for (RunContext run : registry.active()) {
            runs.put(run.runId(), new Seen(run.startedAt(), run.heartbeatAt(), run.maxDuration(), now));
        }
        return runs.values();
    }
}
