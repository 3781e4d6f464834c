package com.airtableintegrity.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.rules.RunRules;

/**
 * The state of one live run shared by its branches: the deadline, the lease, the stop flag (cancellation, fencing,
 * failure, deadline, lost lease), counters, per-table progress and the rule state. Page loops ask
 * {@link #ensureActive()} before every request; requests in flight register an abort hook so that a stop ends them at
 * once.
 */
public final class RunContext {
    private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);

    /** Why a run stopped before its tables finished. The first stop wins. */
    public enum StopKind { DEADLINE, CANCELLED, FAILED, FENCED, LEASE_LOST, SHUTDOWN }

    /** The first reason the run stopped. */
    public record Stop(StopKind kind, String message) {
    }

    private final String runId;
    private final String baseId;
    private final String scheduleId;
    private final List<String> tables;
    private final Instant startedAt;
    private final long deadlineNanos;
    private final Duration maxDuration;
    private final Duration requestTimeout;
    private final RunRules rules;
    private final IssueCollector issues;
    private final RunCounters counters = new RunCounters();
    private final Map<String, TableProgress> progress = new LinkedHashMap<>();
    private final Set<String> reportedUnfinished = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final Set<Runnable> stopHooks = ConcurrentHashMap.newKeySet();
    private final Object waiters = new Object();
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();
    private volatile Instant heartbeatAt;
    private volatile Duration lease;
    private volatile Clock wallClock = Clock.systemUTC();
    private volatile Instant recordedStart;
    private volatile boolean recordLinks;
    private volatile Map<String, String> tableIds = Map.of();
    private volatile List<Map<String, Object>> schemaDrift = List.of();

    public RunContext(String runId, String baseId, List<String> tables, Instant startedAt, Duration maxDuration,
                      RunRules rules, IssueCollector issues) {
        this(runId, baseId, tables, startedAt, maxDuration, null, rules, issues);
    }

    public RunContext(String runId, String baseId, List<String> tables, Instant startedAt, Duration maxDuration,
                      Duration requestTimeout, RunRules rules, IssueCollector issues) {
        this(runId, baseId, null, tables, startedAt, maxDuration, requestTimeout, rules, issues);
    }

    /**
     * @param scheduleId     the schedule the run comes from, or null (a manual run of the configured tables)
     * @param requestTimeout this run's bound of one request, or null for the configured one
     */
    public RunContext(String runId, String baseId, String scheduleId, List<String> tables, Instant startedAt,
                      Duration maxDuration, Duration requestTimeout, RunRules rules, IssueCollector issues) {
        this.requestTimeout = requestTimeout;
        this.runId = runId;
        this.baseId = baseId;
        this.scheduleId = scheduleId;
        this.heartbeatAt = startedAt;
        this.tables = List.copyOf(tables);
        this.startedAt = startedAt;
        this.maxDuration = maxDuration;
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
        this.rules = rules;
        this.issues = issues;
        for (String table : tables) {
            progress.put(table, new TableProgress(table));
        }
    }

    public String runId() { return runId; }
    public String baseId() { return baseId; }
    /** The schedule the run comes from, or null. */
    public String scheduleId() { return scheduleId; }
    /** When the run's last heartbeat was written (its start until the first one). */
    public Instant heartbeatAt() { return heartbeatAt; }
    /** {@code at}: when the heartbeat that the store confirmed was asked for (wall clock), read before the call. */
    public void heartbeatWritten(Instant at) { heartbeatAt = at; }

    /**
     * From now on the run stops ({@link StopKind#LEASE_LOST}) before any further request once {@code lease} has passed
     * on the wall clock since its last confirmed heartbeat: past that the hung-run sweep may have closed it, and a
     * runner that was suspended (SIGSTOP, a closed laptop lid) must learn that before it sends, not after. The wall
     * clock, because the monotonic one stands still while the machine sleeps.
     */
    public void holdLease(Duration lease) {
        holdLease(lease, Clock.systemUTC());
    }

    void holdLease(Duration lease, Clock clock) {
        this.wallClock = clock;
        this.lease = lease;
    }

    public List<String> tables() { return tables; }
    public Instant startedAt() { return startedAt; }
    /** The run document's {@code started_at} (when the issues it finds are first seen); else {@link #startedAt()}. */
    public Instant recordedStart() { return recordedStart == null ? startedAt : recordedStart; }
    public void recordedStart(Instant at) { recordedStart = at; }
    /** Whether the run reads its base's schema for record links (integrity.issues.record-links). */
    public boolean recordLinks() { return recordLinks; }
    public void recordLinks(boolean on) { recordLinks = on; }
    /** Table name → table id, from the base's schema once read; empty when it was not (or refused). */
    public Map<String, String> tableIds() { return tableIds; }
    public void tableIds(Map<String, String> ids) { tableIds = Map.copyOf(ids); }
    /** The rules that no longer fit the base, from this run's schema read ({@code schema_drift}); empty if none. */
    public List<Map<String, Object>> schemaDrift() { return schemaDrift; }
    public void schemaDrift(List<Map<String, Object>> drift) { schemaDrift = List.copyOf(drift); }
    public Duration maxDuration() { return maxDuration; }
    /** This run's bound of one request (a schedule's override), else {@code configured}. */
    public Duration requestTimeoutOr(Duration configured) {
        return requestTimeout == null ? configured : requestTimeout;
    }
    public RunRules rules() { return rules; }
    public IssueCollector issues() { return issues; }
    public RunCounters counters() { return counters; }

    public TableProgress progress(String table) {
        TableProgress p = progress.get(table);
        if (p == null) {
            throw new IllegalArgumentException("Table '" + table + "' is not part of run " + runId);
        }
        return p;
    }

    public Map<String, TableProgress> allProgress() {
        return progress;
    }

    /** The run's one object of this type, made on first use: state its tables share (e.g. the base's schema). */
    public <T> T shared(Class<T> type, Supplier<T> create) {
        return type.cast(shared.computeIfAbsent(type, k -> create.get()));
    }

    /** Milliseconds left before the run deadline (negative once it passed). */
    public long remainingMillis() {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    public boolean deadlinePassed() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** The stop that ended this run early, or null while it may go on. */
    public Stop stopped() {
        return stop.get();
    }

    /**
     * Stops the run (first call wins): wakes branches waiting in {@link #pause(Duration)} and aborts requests in
     * flight.
     * @return true if this call stopped it
     */
    public boolean stop(StopKind kind, String message) {
        if (!stop.compareAndSet(null, new Stop(kind, message))) {
            return false;
        }
        try (var log = RunLogContext.of(this)) { // called from any thread: the API's, JMX's, a timer's
            LOG.info("Run {} stopping: {} ({})", runId, kind, message);
        }
        synchronized (waiters) {
            waiters.notifyAll();
        }
        for (Runnable hook : stopHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.debug("Abort hook of run {} failed: {}", runId, e.toString());
            }
        }
        return true;
    }

    /** @throws RunStoppedException when the run was stopped or its deadline passed */
    public void ensureActive() {
        if (stop.get() == null && deadlinePassed()) {
            stop(StopKind.DEADLINE, deadlineMessage());
        }
        Duration held = lease;
        if (stop.get() == null && held != null) {
            Duration since = Duration.between(heartbeatAt, wallClock.instant());
            if (since.compareTo(held) > 0) {
                stop(StopKind.LEASE_LOST, leaseLostMessage(since, held));
            }
        }
        Stop s = stop.get();
        if (s != null) {
            throw new RunStoppedException(s.kind(), s.message());
        }
    }

    private static String leaseLostMessage(Duration since, Duration held) {
        return String.format(Locale.ROOT, "Run lost its lease: its heartbeat was last confirmed %.1f s ago, longer than"
                + " its lease of %d s (the heartbeat-stale window less one heartbeat interval), so the hung-run sweep"
                + " may have closed it; it sent no more requests", since.toMillis() / 1000.0, held.toSeconds());
    }

    public String deadlineMessage() {
        return "Run exceeded its deadline of " + maxDuration.toSeconds() + " s (max-duration-seconds)";
    }

    /**
     * Waits for the given time, but never past the deadline and never after a stop.
     * @throws RunStoppedException when the run stops or its deadline passes during the wait
     */
    public void pause(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (waiters) {
            while (true) {
                ensureActive();
                long left = Math.min(until - System.nanoTime(), deadlineNanos - System.nanoTime());
                if (until - System.nanoTime() <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(waiters, Math.max(left, 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunStoppedException(StopKind.CANCELLED, "Run thread interrupted");
                }
            }
        }
    }

    /** Registers a hook run once when the run stops (e.g. abort a request in flight). Close the handle to remove it. */
    public AutoCloseable onStop(Runnable hook) {
        stopHooks.add(hook);
        if (stop.get() != null) {
            hook.run();
        }
        return () -> stopHooks.remove(hook);
    }

    /** Called by the split's timeout callback for each table that had not finished. */
    public void reportUnfinished(String table) {
        reportedUnfinished.add(table);
    }

    /** Tables that did not finish, in configuration order. */
    public List<String> unfinishedTables() {
        return tables.stream()
                .filter(t -> reportedUnfinished.contains(t) || !progress.get(t).finished())
                .toList();
    }
}
