package com.airtableintegrity.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The runner's meters, on the {@link MeterRegistry} the runtime hands in (Spring Boot's, published at
 * {@code /actuator/prometheus}; a {@link SimpleMeterRegistry} on plain Camel Main). Every tag has a fixed, small set
 * of values, each registered at start so that every series exists (at 0) before its first event: no run id, base or
 * table is ever a tag. The names below are Micrometer's; Prometheus shows them with {@code _} for {@code .} and the
 * unit and type suffixes ({@code integrity.runs} → {@code integrity_runs_total}). docs/operating.md ("Metrics and
 * logs") lists them all.
 */
public final class RunnerMetrics {
    public static final String RUNS = "integrity.runs";
    public static final String RUN_DURATION = "integrity.run.duration";
    public static final String RECORDS = "integrity.records.scanned";
    public static final String ISSUES = "integrity.issues.found";
    public static final String SKIPPED = "integrity.runs.skipped";
    public static final String REQUESTS = "integrity.airtable.requests";
    public static final String REQUEST_DURATION = "integrity.airtable.request.duration";
    public static final String THROTTLE_WAIT = "integrity.airtable.throttle.wait";
    public static final String SWEEP_MARKS = "integrity.sweep.marks";
    public static final String SWEEP_LAST_SUCCESS = "integrity.sweep.last.success.timestamp";
    public static final String RUN_DEADLINE = "integrity.run.deadline";
    public static final String LIVE_RUNS = "integrity.runs.live";
    public static final String OLDEST_RUNNING_AGE = "integrity.running.oldest.age";
    public static final String OLDEST_HEARTBEAT_AGE = "integrity.running.oldest.heartbeat.age";
    public static final String PAST_DEADLINE = "integrity.running.past.deadline";

    public static final List<String> STATUSES = List.of("success", "warning", "error", "timeout", "cancelled");
    public static final List<String> RULES = List.of("required", "unique", "allowed_values", "links_to", "pattern");
    /** {@code aborted}: cut off because its run stopped; {@code other}: 1xx/3xx (redirects are not followed). */
    public static final List<String> OUTCOMES = List.of("2xx", "429", "4xx", "5xx", "timeout", "transport",
            "aborted", "other");
    /** {@code throttle}: the scan route's Throttle EIPs; {@code send_time}: the request guard's send-time limit. */
    public static final List<String> LIMITERS = List.of("throttle", "send_time");
    public static final List<String> SWEEP_RULES = List.of("max_age", "heartbeat_stale");

    private static final Duration[] REQUEST_BUCKETS = seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
            300);
    private static final Duration[] RUN_BUCKETS = seconds(1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600);
    private static final Duration[] WAIT_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Counter> runs;
    private final Map<String, Timer> runDurations;
    private final Counter records;
    private final Map<String, Counter> issues;
    private final Counter skipped;
    private final Map<String, Counter> requests;
    private final Timer requestDuration;
    private final Map<String, Timer> throttleWaits;
    private final Map<String, Counter> sweepMarks;
    private final AtomicLong sweepLastSuccessMillis;

    public RunnerMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        runs = byTag(STATUSES, s -> Counter.builder(RUNS).tag("status", s)
                .description("Runs this runner ended, by the terminal status it wrote").register(registry));
        runDurations = byTag(STATUSES, s -> Timer.builder(RUN_DURATION).tag("status", s)
                .description("Duration of the runs this runner ended, by status").serviceLevelObjectives(RUN_BUCKETS)
                .register(registry));
        records = Counter.builder(RECORDS).description("Records scanned by the runs this runner ended")
                .register(registry);
        issues = byTag(RULES, r -> Counter.builder(ISSUES).tag("rule", r)
                .description("Issues found by the runs this runner ended, by rule type").register(registry));
        skipped = Counter.builder(SKIPPED)
                .description("Run starts skipped because a live run held the base").register(registry);
        requests = byTag(OUTCOMES, o -> Counter.builder(REQUESTS).tag("outcome", o)
                .description("Airtable requests sent, by outcome").register(registry));
        requestDuration = Timer.builder(REQUEST_DURATION)
                .description("Airtable request latency, from the wire to the whole answer (any outcome)")
                .serviceLevelObjectives(REQUEST_BUCKETS).register(registry);
        throttleWaits = byTag(LIMITERS, l -> Timer.builder(THROTTLE_WAIT).tag("limiter", l)
                .description("Time a request waited for the rate limits before going on the wire")
                .serviceLevelObjectives(WAIT_BUCKETS).register(registry));
        sweepMarks = byTag(SWEEP_RULES, r -> Counter.builder(SWEEP_MARKS).tag("rule", r)
                .description("Hung runs the sweep of this runner marked timeout, by rule").register(registry));
        // until the first sweep: the runner's start, so that an alert on its age holds from the start
        sweepLastSuccessMillis = new AtomicLong(clock.millis());
        Gauge.builder(SWEEP_LAST_SUCCESS, sweepLastSuccessMillis, m -> m.get() / 1000.0).baseUnit("seconds")
                .description("When this runner's hung-run sweep last completed its query (Unix time; start time "
                        + "before the first sweep)").strongReference(true).register(registry);
    }

    /** Meters nobody reads: for objects made without a runtime (tests, tools). */
    public static RunnerMetrics none() {
        return new RunnerMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    }

    public MeterRegistry registry() { return registry; }

    /** A run of this runner ended and its terminal status was written. */
    public void runEnded(String status, Duration duration, long recordsScanned, Map<String, Long> issuesByRule) {
        tagged(runs, status, Counter::increment);
        tagged(runDurations, status, t -> t.record(duration));
        records.increment(recordsScanned);
        issuesByRule.forEach((rule, n) -> tagged(issues, rule, c -> c.increment(n)));
    }

    public void runSkipped() {
        skipped.increment();
    }

    /** The outcome of an answer with this HTTP status. */
    public static String outcome(int httpStatus) {
        if (httpStatus >= 200 && httpStatus < 300) {
            return "2xx";
        }
        if (httpStatus == 429) {
            return "429";
        }
        if (httpStatus >= 400) {
            return httpStatus >= 500 ? "5xx" : "4xx";
        }
        return "other";
    }

    /** One Airtable request ended with this outcome, {@code latencyNanos} after it went on the wire. */
    public void requestEnded(String outcome, long latencyNanos) {
        tagged(requests, outcome, Counter::increment);
        requestDuration.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    /** A request waited {@code nanos} at {@code limiter} ({@code throttle} or {@code send_time}). */
    public void throttleWaited(String limiter, long nanos) {
        tagged(throttleWaits, limiter, t -> t.record(nanos, TimeUnit.NANOSECONDS));
    }

    /** A sweep marked these runs {@code timeout} (also when its query failed later). */
    public void sweepMarked(int markedMaxAge, int markedHeartbeatStale) {
        sweepMarks.get("max_age").increment(markedMaxAge);
        sweepMarks.get("heartbeat_stale").increment(markedHeartbeatStale);
    }

    /** A sweep completed its query (whatever its marks did). */
    public void sweepCompleted() {
        sweepLastSuccessMillis.set(clock.millis());
    }

    /** A gauge read at each scrape (so {@code value} must be cheap: no I/O). */
    public void gauge(String name, String unit, String description, Supplier<Number> value) {
        Gauge.builder(name, value).baseUnit(unit).description(description).strongReference(true).register(registry);
    }

    /** Updates the meter of this tag value; a value outside the fixed set is not counted (never a new series). */
    private static <M> void tagged(Map<String, M> meters, String tag, Consumer<M> update) {
        M meter = meters.get(tag);
        if (meter != null) {
            update.accept(meter);
        }
    }

    private static <M> Map<String, M> byTag(List<String> values, Function<String, M> make) {
        Map<String, M> meters = new LinkedHashMap<>();
        values.forEach(v -> meters.put(v, make.apply(v)));
        return Map.copyOf(meters);
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
        }
        return d;
    }
}
