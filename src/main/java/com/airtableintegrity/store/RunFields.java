package com.airtableintegrity.store;

import java.util.Set;

/**
 * Field names and values of the run document contract ({@code integrity_runs/{runId}}), its lock
 * documents ({@code integrity_runs_locks/{baseId}}) and its issues ({@code integrity_runs/{runId}/issues}).
 * See {@code shared/notes/run-document.md}: these names are read by existing dashboards, keep them.
 */
public final class RunFields {

    private RunFields() {
    }

    // Run document
    public static final String STATUS = "status";
    public static final String STARTED_AT = "started_at";
    public static final String ENDED_AT = "ended_at";
    public static final String ERROR_MESSAGE = "error_message";
    public static final String HEARTBEAT_AT = "heartbeat_at";
    public static final String TRIGGER = "trigger";
    /** The schedule document that started the run, when one did ({@code integrity_schedules/{id}}). */
    public static final String SCHEDULE_ID = "schedule_id";
    public static final String BASE_ID = "base_id";
    public static final String TABLES = "tables";
    public static final String RUNNER_ID = "runner_id";
    public static final String MAX_DURATION_SECONDS = "max_duration_seconds";
    public static final String DURATION_MS = "duration_ms";
    public static final String CANCEL_REQUESTED = "cancel_requested";
    public static final String SWEPT_BY = "swept_by";
    public static final String SWEEP_RULE = "sweep_rule";
    /** What ended a run from outside its own scan, when something did: {@code shutdown} (the runner stopped). */
    public static final String ENDED_BY = "ended_by";
    /** Why storing the run's issues failed (the status is written all the same; {@code issues_stored} is exact). */
    public static final String ISSUES_STORE_ERROR = "issues_store_error";

    // Statuses
    public static final String STATUS_RUNNING = "running";
    public static final String STATUS_SUCCESS = "success";
    public static final String STATUS_WARNING = "warning";
    public static final String STATUS_ERROR = "error";
    public static final String STATUS_TIMEOUT = "timeout";
    public static final String STATUS_CANCELLED = "cancelled";
    /** Reported by {@link RunTransactions.RunState} when the run document does not exist (never written). */
    public static final String STATUS_MISSING = "missing";
    public static final Set<String> TERMINAL_STATUSES =
            Set.of(STATUS_SUCCESS, STATUS_WARNING, STATUS_ERROR, STATUS_TIMEOUT, STATUS_CANCELLED);

    // Sweep rules (value of sweep_rule)
    public static final String RULE_MAX_AGE = "max_age";
    public static final String RULE_HEARTBEAT_STALE = "heartbeat_stale";

    // Lock document <runs>_locks/{baseId}
    public static final String LOCKS_SUFFIX = "_locks";
    public static final String LOCK_RUN_ID = "run_id";
    public static final String LOCK_RUNNER_ID = "runner_id";
    public static final String LOCK_ACQUIRED_AT = "acquired_at";
    public static final String LOCK_SKIPPED_COUNT = "skipped_count";
    public static final String LOCK_LAST_SKIPPED_AT = "last_skipped_at";

    // Issues subcollection <runs>/{runId}/issues/{issueId}
    public static final String ISSUES_SUBCOLLECTION = "issues";
    public static final String ISSUE_TABLE = "table";
    public static final String ISSUE_RECORD_ID = "record_id";
    public static final String ISSUE_FIELD = "field";
    public static final String ISSUE_RULE = "rule";
    public static final String ISSUE_VALUE = "value";
    public static final String ISSUE_MESSAGE = "message";
    public static final String ISSUE_SEQ = "seq";

    /** Default name of the runs collection. */
    public static final String DEFAULT_COLLECTION = "integrity_runs";
}
