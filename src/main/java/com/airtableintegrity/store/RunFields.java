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

    // Notifications (see Outbox)
    /** The channels and events the run notifies ({@code [{channel, events}]}), copied from its schedule at start. */
    public static final String NOTIFY = "notify";
    /** The status of its base's previous run when it started (for the {@code recovered} event); absent if none. */
    public static final String PREVIOUS_STATUS = "previous_status";
    /** The notices the run owes, written with its terminal status: the outbox. */
    public static final String NOTICES = "notices";
    /** When the run's next pending notice is due; absent when none is pending (the delivery poll queries it). */
    public static final String NOTIFY_NEXT_AT = "notify_next_at";
    /** When its oldest pending notice was owed; absent when none is pending (the oldest-pending metric). */
    public static final String NOTIFY_PENDING_SINCE = "notify_pending_since";
    public static final String NOTICE_KEY = "key";
    public static final String NOTICE_CHANNEL = "channel";
    public static final String NOTICE_EVENT = "event";
    public static final String NOTICE_STATE = "state";
    public static final String NOTICE_ATTEMPTS = "attempts";
    public static final String NOTICE_CREATED_AT = "created_at";
    public static final String NOTICE_NEXT_ATTEMPT_AT = "next_attempt_at";
    public static final String NOTICE_DELIVERED_AT = "delivered_at";
    public static final String NOTICE_LAST_ERROR = "last_error";
    public static final String NOTICE_LAST_ANSWER = "last_answer";
    public static final String NOTICE_CLAIMED_BY = "claimed_by";
    public static final String NOTICE_SUPPRESSED_BEFORE = "suppressed_before";
    public static final String NOTICE_LIMIT_PASSED = "limit_passed";
    public static final String NOTICE_DUPLICATES = "duplicates";
    public static final String NOTICE_PENDING = "pending";
    public static final String NOTICE_DELIVERED = "delivered";
    /** Not sent: a notice of the same schedule, channel and event went out within the rate limit's window. */
    public static final String NOTICE_SUPPRESSED = "suppressed";
    /** Given up after {@code integrity.notify.retry-for}; {@code last_error} says why. */
    public static final String NOTICE_FAILED = "failed";
    /** Rate-limit documents {@code <runs>_notify_limits/{schedule~channel~event}}. */
    public static final String NOTIFY_LIMITS_SUFFIX = "_notify_limits";

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
