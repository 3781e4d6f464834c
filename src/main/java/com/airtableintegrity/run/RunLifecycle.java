package com.airtableintegrity.run;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.diff.RunDiff;
import com.airtableintegrity.metrics.RunnerMetrics;
import com.airtableintegrity.rules.RunRules;
import com.airtableintegrity.store.IssueStates;
import com.airtableintegrity.store.IssueWriter;
import com.airtableintegrity.store.RunFields;
import com.airtableintegrity.store.RunStoreException;
import com.airtableintegrity.store.RunTransactions;

/**
 * Opens and closes runs for route {@code integrity-run}: {@link #open} creates the run document (or skips when a live
 * run holds the base), {@link #close} decides the one terminal status and writes it, compare-and-set from
 * {@code running}, so a run swept or closed elsewhere keeps the status it was given there.
 */
public final class RunLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    /** Header naming what started the run: {@code schedule} or {@code manual}. */
    public static final String TRIGGER = "integrityTrigger";

    private final IntegrityProperties props;
    private final String runnerId;
    private final RunTransactions store;
    private final IssueWriter issueWriter;
    private final RunHistory history;
    private final RunRegistry registry;
    private final RunHeartbeats heartbeats;
    private final RunnerShutdown shutdown;
    private final RunnerMetrics metrics;
    private final AtomicLong skipped = new AtomicLong();

    public RunLifecycle(IntegrityProperties props, String runnerId, RunTransactions store, IssueWriter issueWriter,
                        RunHistory history, RunRegistry registry, RunHeartbeats heartbeats, RunnerShutdown shutdown,
                        RunnerMetrics metrics) {
        this.props = props;
        this.runnerId = runnerId;
        this.store = store;
        this.issueWriter = issueWriter;
        this.history = history;
        this.registry = registry;
        this.heartbeats = heartbeats;
        this.shutdown = shutdown;
        this.metrics = metrics;
    }

    /**
     * Creates the run of the plan in property {@link RunExchange#PLAN} (else the configured base and tables); its
     * {@link RunContext} goes to property {@code integrityRun} and the table names to the body.
     */
    public void open(Exchange exchange) {
        String trigger = exchange.getMessage().getHeader(TRIGGER, "manual", String.class);
        ScanPlan plan = exchange.getProperty(RunExchange.PLAN, ScanPlan.class);
        if (plan == null) {
            plan = new ScanPlan(props.getAirtable().getBaseId(), props.getTables(), null, null, null,
                    props.getSchedule().getNotify());
        }
        String baseId = plan.baseId();
        if (shutdown.inProgress()) {
            LOG.info("Run for base {} ({}) not started: the runner is shutting down", baseId, trigger);
            exchange.getMessage().setBody(null);
            return;
        }
        List<String> tables = plan.tableNames();
        Duration maxDuration = plan.maxDuration() != null ? plan.maxDuration()
                : Duration.ofSeconds(props.getRun().getMaxDurationSeconds());
        Instant asked = Instant.now(); // no later than the heartbeat_at the start writes: the lease counts from here
        RunTransactions.StartResult result = store.startRun(
                new RunTransactions.NewRun(baseId, tables, trigger, runnerId, maxDuration.toSeconds(),
                        plan.scheduleId(), plan.notifications()),
                staleAfter());
        if (result instanceof RunTransactions.Skipped s) {
            long n = skipped.incrementAndGet();
            metrics.runSkipped();
            LOG.info("Run for base {} ({}) not started: run {} is still live for this base "
                    + "({} skipped here, {} in total)",
                    baseId, trigger, s.liveRunId(), n, s.skippedCount());
            exchange.getMessage().setBody(null);
            return;
        }
        RunTransactions.Started started = (RunTransactions.Started) result;
        String runId = started.runId();
        IssueCollector issues = new IssueCollector(props.getIssues().getMaxStored());
        RunContext run = new RunContext(runId, baseId, plan.scheduleId(), tables, asked, maxDuration,
                plan.requestTimeout(), new RunRules(plan.tables(), issues), issues);
        run.recordedStart(started.startedAt());
        run.recordLinks(props.getIssues().isRecordLinks());
        run.holdLease(staleAfter().minusSeconds(props.getRun().getHeartbeatIntervalSeconds()));
        registry.register(run);
        heartbeats.start(run);
        exchange.setProperty(RunExchange.BASELINE, history.baseline(run));
        if (shutdown.inProgress()) {
            run.stop(RunContext.StopKind.SHUTDOWN, RunnerShutdown.MESSAGE);
        }
        try (var log = RunLogContext.of(run)) {
            LOG.info("Run {} started ({}): base {}, tables {}, deadline {} s", runId, trigger, baseId, tables,
                    maxDuration.toSeconds());
        }
        exchange.setProperty(RunExchange.RUN, run);
        exchange.setProperty(RunExchange.HANDOFF_DELAY_MS, handoffDelayMs(started.otherRunnerEndedAt()));
        exchange.getMessage().setBody(tables);
    }

    /**
     * Airtable counts a base's requests from every client together, but this process's throttle only its own: after
     * another runner's run of the base ended, the rest of one throttle period lets that run's last requests leave
     * Airtable's window (soak finding: a second runner's first requests right after a handoff drew a 429 and a 30 s
     * penalty). At most one period, whatever the other runner's clock says.
     */
    long handoffDelayMs(Instant otherRunnerEndedAt) {
        if (otherRunnerEndedAt == null) {
            return 0;
        }
        long period = props.getAirtable().getThrottlePeriodMillis();
        long since = Duration.between(otherRunnerEndedAt, Instant.now()).toMillis();
        return Math.max(0, Math.min(period, period - since));
    }

    private Duration staleAfter() {
        return Duration.ofSeconds(props.getSweep().getHeartbeatStaleAfterSeconds());
    }

    /** Ends the run with exactly one terminal status, unless it was closed elsewhere (then nothing is written). */
    public void close(Exchange exchange) {
        RunContext run = exchange.getProperty(RunExchange.RUN, RunContext.class);
        if (run == null) {
            return;
        }
        try {
            Outcome outcome = decide(run);
            heartbeats.stop(run);
            if (run.stopped() != null && run.stopped().kind() == RunContext.StopKind.FENCED) {
                LOG.warn("Run {} was closed elsewhere ({}); its own result ({}) is not written", run.runId(),
                        run.stopped().message(), outcome.status());
                return;
            }
            write(run, outcome, exchange.getProperty(RunExchange.BASELINE, IssueStates.Baseline.class));
        } finally {
            heartbeats.stop(run);
            registry.remove(run);
        }
    }

    /** Cancels a live run of this process; it ends {@code cancelled} within one page. */
    public boolean cancel(String runId) {
        return registry.find(runId)
                .map(run -> run.stop(RunContext.StopKind.CANCELLED, "Run cancelled by an operator (cancelRun)"))
                .orElse(false);
    }

    private boolean isShuttingDown() {
        return shutdown.inProgress();
    }

    public long skippedRuns() {
        return skipped.get();
    }

    private record Outcome(String status, String errorMessage, String endedBy) {
        Outcome(String status, String errorMessage) {
            this(status, errorMessage, null);
        }
    }

    private Outcome decide(RunContext run) {
        // stop the branches that may still run after a split timeout, before reading their results
        List<String> unfinished = run.unfinishedTables();
        if (!unfinished.isEmpty()) {
            run.stop(run.deadlinePassed() ? RunContext.StopKind.DEADLINE : RunContext.StopKind.FAILED,
                    run.deadlinePassed() ? run.deadlineMessage() : "tables did not finish: " + unfinished);
        }
        run.rules().finishRun(finishedTables(run));
        RunContext.Stop stop = run.stopped();
        // a shutdown that comes once every table is read takes nothing away: the run keeps its own result
        if (stop == null || stop.kind() == RunContext.StopKind.SHUTDOWN && unfinished.isEmpty()) {
            return new Outcome(run.rules().totalIssues() > 0 ? "warning" : "success", null);
        }
        return switch (stop.kind()) {
            case CANCELLED -> new Outcome("cancelled", stop.message());
            case SHUTDOWN -> new Outcome("cancelled", stop.message(), "shutdown");
            case FAILED -> new Outcome("error", stop.message());
            case DEADLINE, LEASE_LOST -> new Outcome("timeout",
                    stop.message() + "; unfinished tables: " + String.join(", ", unfinished));
            case FENCED -> new Outcome("fenced", stop.message());
        };
    }

    private void write(RunContext run, Outcome outcome, IssueStates.Baseline baseline) {
        Map<String, Object> fields = resultFields(run);
        if (outcome.endedBy() != null) {
            fields.put(RunFields.ENDED_BY, outcome.endedBy());
        }
        RunDiff diff = history.compare(run, baseline, finishedTables(run), fields);
        storeIssues(run, fields, diff);
        history.storeResolved(run, diff, fields);
        boolean nextBaseline = RunFields.STATUS_SUCCESS.equals(outcome.status())
                || RunFields.STATUS_WARNING.equals(outcome.status());
        RunTransactions.ChainAdvance advance = nextBaseline ? history.keepState(run, diff, fields) : null;
        int attempts = props.getFirestore().getFinishAttempts();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                RunTransactions.FinishOutcome done = store.finishIfRunning(run.runId(), outcome.status(),
                        outcome.errorMessage(), fields, advance);
                if (done.applied()) {
                    metrics.runEnded(outcome.status(), Duration.between(run.startedAt(), Instant.now()),
                            (long) fields.get("records_scanned"), run.rules().issuesByType());
                    LOG.info("Run {} ended {}{} ({} issues, {} records)", run.runId(), outcome.status(),
                            outcome.errorMessage() == null ? "" : ": " + outcome.errorMessage(),
                            run.rules().totalIssues(), fields.get("records_scanned"));
                } else {
                    LOG.warn("Run {} ended {} but its document was already '{}' (closed elsewhere): left as it is",
                            run.runId(), outcome.status(), done.statusFound());
                }
                return;
            } catch (RunStoreException e) {
                LOG.warn("Run {}: writing the final status (attempt {}/{}) failed: {}", run.runId(), attempt, attempts,
                        e.getMessage());
                if (!e.retryable()) {
                    break;
                }
                if (attempt < attempts) {
                    sleepQuietly(Duration.ofMillis(500L << (attempt - 1)));
                }
            }
        }
        LOG.error("Run {}: the final status '{}' could not be written; its heartbeat has stopped, so the hung-run "
                + "sweep will close it", run.runId(), outcome.status());
    }

    /**
     * Stores the kept issues before the status, so a reader who sees the status finds the issues. Storing them may
     * fail (Firestore down, a rejected document) without costing the run its status: the failure is recorded in
     * {@code issues_store_error} and {@code issues_stored} says how many made it.
     */
    private void storeIssues(RunContext run, Map<String, Object> fields, RunDiff diff) {
        var issues = run.issues().kept();
        int attempts = props.getFirestore().getFinishAttempts();
        int stored = 0;
        for (int attempt = 1; attempt <= attempts && !issues.isEmpty(); attempt++) {
            try {
                stored = issueWriter.writeIssues(run.runId(), issues, issue -> RunHistory.issueFields(run, diff, issue));
                fields.remove(RunFields.ISSUES_STORE_ERROR);
                break;
            } catch (IssueWriter.IssuesWriteException e) {
                stored = Math.max(stored, e.written());
                fields.put(RunFields.ISSUES_STORE_ERROR, e.getMessage());
                LOG.warn("Run {}: storing its issues (attempt {}/{}) failed after {} of {}: {}", run.runId(), attempt,
                        attempts, e.written(), issues.size(), e.getMessage());
                if (!e.retryable() || isShuttingDown()) {
                    break;
                }
                if (attempt < attempts) {
                    sleepQuietly(Duration.ofMillis(500L << (attempt - 1)));
                }
            }
        }
        fields.put("issues_stored", (long) stored);
    }

    private static Set<String> finishedTables(RunContext run) {
        return run.allProgress().values().stream()
                .filter(TableProgress::finished).map(TableProgress::table).collect(Collectors.toSet());
    }

    private static Map<String, Object> resultFields(RunContext run) {
        Map<String, Object> tables = new LinkedHashMap<>();
        long records = 0;
        for (TableProgress p : run.allProgress().values()) {
            var rules = run.rules().table(p.table());
            tables.put(p.table(), p.toDocument(rules.counts(), rules.issueCount()));
            records += p.records();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("table_results", tables);
        fields.put("unfinished_tables", run.unfinishedTables());
        if (!run.schemaDrift().isEmpty()) {
            fields.put("schema_drift", run.schemaDrift());
        }
        fields.put("records_scanned", records);
        fields.put("issues_found", run.rules().totalIssues());
        fields.put("counters", run.counters().toDocument());
        return fields;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
