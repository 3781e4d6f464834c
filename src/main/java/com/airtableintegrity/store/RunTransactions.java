package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunCollection.heartbeatOrStart;
import static com.airtableintegrity.store.RunCollection.toInstant;
import static com.airtableintegrity.store.RunCollection.toTimestamp;
import static com.airtableintegrity.store.RunFields.*;

import com.airtableintegrity.config.NotifySpec;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.ListenerRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's life in Firestore, each step one bounded compare-and-set ({@link RunCollection#compareAndSet}) over the
 * run document and its base's lock ({@code <collection>_locks/{baseId}}): start (or skip while a live run holds the
 * base), heartbeat, watch, cancel request and the final status.
 */
public final class RunTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(RunTransactions.class);

    private final RunCollection store;

    public RunTransactions(RunCollection store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The deadline of each Firestore call. */
    public Duration callTimeout() {
        return store.callTimeout();
    }

    // ------------------------------------------------------------------------------------------ start

    /** {@code scheduleId} is null for a run of no schedule document (the configured schedule, a manual run). */
    public record NewRun(String baseId, List<String> tables, String trigger, String runnerId, long maxDurationSeconds,
                         String scheduleId, List<NotifySpec> notifications) {
        public NewRun(String baseId, List<String> tables, String trigger, String runnerId, long maxDurationSeconds) {
            this(baseId, tables, trigger, runnerId, maxDurationSeconds, null);
        }

        public NewRun(String baseId, List<String> tables, String trigger, String runnerId, long maxDurationSeconds,
                      String scheduleId) {
            this(baseId, tables, trigger, runnerId, maxDurationSeconds, scheduleId, List.of());
        }

        public NewRun {
            notifications = notifications == null ? List.of() : List.copyOf(notifications);
        }
    }

    public sealed interface StartResult permits Started, Skipped {
    }

    /**
     * The run was created. {@code otherRunnerEndedAt}: when the base's previous run ended, if another runner ran it
     * and it ended by itself or by the sweep (its last requests may still count in Airtable's per-base window, which
     * this process's throttle knows nothing of); null after a run of this runner, a stale run taken over, or none.
     * {@code startedAt}: the run document's {@code started_at}.
     */
    public record Started(String runId, Instant otherRunnerEndedAt, Instant startedAt) implements StartResult {
    }

    public record Skipped(String liveRunId, long skippedCount) implements StartResult {
    }

    /**
     * No pile-up across processes: one transaction reads the lock doc {@code <coll>_locks/{baseId}}; if it names a
     * run that is {@code running} with a heartbeat (fallback {@code started_at}) newer than now - heartbeatStaleAfter,
     * the lock's {@code skipped_count} is incremented, {@code last_skipped_at} set, and {@link Skipped} returned.
     * Otherwise the run doc is created (auto id) and the lock pointed at it; {@link Started} is returned. A lock
     * run still {@code running} with a stale heartbeat is closed as {@code timeout} in the same transaction.
     */
    public StartResult startRun(NewRun run, Duration heartbeatStaleAfter) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(run.baseId(), "baseId");
        Objects.requireNonNull(heartbeatStaleAfter, "heartbeatStaleAfter");
        String subject = "base " + run.baseId();
        DocumentReference lockRef = store.locks().document(run.baseId());
        Skipped busy = skipIfHeld(lockRef, heartbeatStaleAfter, subject);
        if (busy != null) {
            return busy;
        }
        return store.compareAndSet("startRun", subject, writes -> {
            DocumentSnapshot lock = store.await(lockRef.get(), "startRun (read lock)", subject);
            String liveRunId = lock.exists() ? lock.getString(LOCK_RUN_ID) : null;
            DocumentSnapshot live = liveRunId == null || liveRunId.isBlank() ? null
                    : store.await(store.runs().document(liveRunId).get(), "startRun (read live run)", subject);
            // the clock is read after the reads: a run another writer closed before they saw it ended no later
            // than this one starts (soak finding: a sweep's ended_at fell after the next run's started_at)
            Instant nowInstant = store.nowInstant();
            Timestamp now = toTimestamp(nowInstant);
            DocumentSnapshot stale = null;
            if (live != null && live.exists() && STATUS_RUNNING.equals(live.getString(STATUS))) {
                stale = live;
                Timestamp beat = heartbeatOrStart(live);
                if (beat != null && toInstant(beat).isAfter(nowInstant.minus(heartbeatStaleAfter))) {
                    Long previous = lock.getLong(LOCK_SKIPPED_COUNT);
                    long skipped = (previous == null ? 0 : previous) + 1;
                    Map<String, Object> update = new HashMap<>();
                    update.put(LOCK_SKIPPED_COUNT, skipped);
                    update.put(LOCK_LAST_SKIPPED_AT, now);
                    writes.update(lock, update);
                    return new Skipped(liveRunId, skipped);
                }
            }
            DocumentReference runRef = store.runs().document();
            if (stale != null) {
                closeTakenOver(writes, stale, runRef.getId(), run.runnerId(), nowInstant);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put(STATUS, STATUS_RUNNING);
            doc.put(STARTED_AT, now);
            doc.put(HEARTBEAT_AT, now);
            doc.put(TRIGGER, run.trigger());
            if (run.scheduleId() != null) {
                doc.put(SCHEDULE_ID, run.scheduleId());
            }
            doc.put(BASE_ID, run.baseId());
            doc.put(TABLES, run.tables() == null ? List.of() : List.copyOf(run.tables()));
            doc.put(RUNNER_ID, run.runnerId());
            doc.put(MAX_DURATION_SECONDS, run.maxDurationSeconds());
            doc.put(CANCEL_REQUESTED, false);
            if (!run.notifications().isEmpty()) {
                doc.put(NOTIFY, Outbox.notifyField(run.notifications()));
                String previous = stale != null ? STATUS_TIMEOUT
                        : live != null && live.exists() ? live.getString(STATUS) : null;
                if (previous != null) {
                    doc.put(PREVIOUS_STATUS, previous);
                }
            }
            writes.create(runRef, doc);
            Map<String, Object> lockDoc = new HashMap<>();
            lockDoc.put(LOCK_RUN_ID, runRef.getId());
            lockDoc.put(LOCK_RUNNER_ID, run.runnerId());
            lockDoc.put(LOCK_ACQUIRED_AT, now);
            if (!lock.exists() || lock.getLong(LOCK_SKIPPED_COUNT) == null) {
                lockDoc.put(LOCK_SKIPPED_COUNT, 0L);
            }
            if (lock.exists()) {
                writes.update(lock, lockDoc);
            } else {
                writes.create(lockRef, lockDoc);
            }
            return new Started(runRef.getId(), endedByOtherRunner(live, run.runnerId()), nowInstant);
        });
    }

    /**
     * The lock's run is {@code running} but its heartbeat is stale (its runner died, slept, or never heard that its
     * start committed): it is closed as {@code timeout} in the start's own transaction, as the sweep would close it
     * ({@code sweep_rule: heartbeat_stale}, {@code swept_by}: the starting runner), so that it has ended (its
     * {@code ended_at} is the new run's {@code started_at}) before the new run of its base begins.
     */
    private void closeTakenOver(ConditionalWrites writes, DocumentSnapshot stale, String newRunId, String runnerId,
                                Instant now) {
        Map<String, Object> update = new LinkedHashMap<>();
        store.putTerminal(update, stale, STATUS_TIMEOUT, HungRunQueries.HEARTBEAT_STALE_MESSAGE
                + "; closed when run " + newRunId + " of runner " + runnerId + " took over its base", now);
        update.put(SWEPT_BY, runnerId);
        update.put(SWEEP_RULE, RULE_HEARTBEAT_STALE);
        writes.update(stale, update);
        LOG.warn("Run {} had a stale heartbeat: closed as timeout, run {} takes over its base", stale.getId(),
                newRunId);
    }

    /** The previous run's ended_at if another runner ran it; null if none (a stale run taken over has none yet). */
    private static Instant endedByOtherRunner(DocumentSnapshot previous, String runnerId) {
        Timestamp ended = previous == null || !previous.exists() ? null : previous.getTimestamp(ENDED_AT);
        return ended == null || runnerId.equals(previous.getString(RUNNER_ID)) ? null : toInstant(ended);
    }

    /**
     * The common case of a start while a run is live, without a compare-and-set: plain reads of the lock and its run,
     * and an increment of the skip counter, which needs no condition (a burst of starts would otherwise conflict with
     * one another and retry). Returns null when the base looks free (the compare-and-set then decides).
     */
    private Skipped skipIfHeld(DocumentReference lockRef, Duration heartbeatStaleAfter, String subject) {
        DocumentSnapshot lock = store.await(lockRef.get(), "startRun (check lock)", subject);
        String liveRunId = lock.exists() ? lock.getString(LOCK_RUN_ID) : null;
        if (liveRunId == null || liveRunId.isBlank()) {
            return null;
        }
        DocumentSnapshot live = store.await(store.runs().document(liveRunId).get(), "startRun (check live run)",
                subject);
        Timestamp beat = live.exists() && STATUS_RUNNING.equals(live.getString(STATUS)) ? heartbeatOrStart(live) : null;
        if (beat == null || !toInstant(beat).isAfter(store.nowInstant().minus(heartbeatStaleAfter))) {
            return null;
        }
        store.await(lockRef.update(LOCK_SKIPPED_COUNT, FieldValue.increment(1), LOCK_LAST_SKIPPED_AT, store.now()),
                "startRun (count skip)", subject);
        Long previous = lock.getLong(LOCK_SKIPPED_COUNT);
        return new Skipped(liveRunId, (previous == null ? 0 : previous) + 1);
    }

    // ------------------------------------------------------------------------------------------ alive

    /** {@code status} is {@code "missing"} when the run document does not exist. */
    public record RunState(String status, boolean cancelRequested) {
    }

    /** If the run is {@code running}, set {@code heartbeat_at} = now; returns the state read. */
    public RunState heartbeat(String runId) {
        return store.inRunUpdate(runId, "heartbeat", "heartbeat (read)", (writes, snap) -> {
            RunState state = stateOf(snap);
            if (STATUS_RUNNING.equals(state.status())) {
                writes.update(snap, Map.of(HEARTBEAT_AT, store.now()));
            }
            return state;
        });
    }

    /**
     * Snapshot listener on the run doc: {@code onChange} runs on {@code executor} with each new (distinct) state,
     * starting with the current one. Returns a handle whose {@code close()} removes the listener.
     */
    public AutoCloseable watch(String runId, Executor executor, Consumer<RunState> onChange) {
        Objects.requireNonNull(onChange, "onChange");
        RunIds.require(runId);
        AtomicReference<RunState> last = new AtomicReference<>();
        ListenerRegistration registration = store.runs().document(runId).addSnapshotListener(executor,
                (snap, error) -> {
                    if (error != null) {
                        LOG.warn("Watching run {} failed: {}", runId, error.toString());
                        return;
                    }
                    if (snap == null) {
                        return;
                    }
                    RunState state = stateOf(snap);
                    if (!state.equals(last.getAndSet(state))) {
                        try {
                            onChange.accept(state);
                        } catch (RuntimeException e) {
                            LOG.warn("Run {} state callback failed", runId, e);
                        }
                    }
                });
        return registration::remove;
    }

    /** Set {@code cancel_requested: true} if the run is still running; returns whether it was set now. */
    public boolean requestCancel(String runId) {
        return store.inRunUpdate(runId, "requestCancel", "requestCancel (read)", (writes, snap) -> {
            RunState state = stateOf(snap);
            if (!STATUS_RUNNING.equals(state.status()) || state.cancelRequested()) {
                return false;
            }
            writes.update(snap, Map.of(CANCEL_REQUESTED, true));
            return true;
        });
    }

    // ------------------------------------------------------------------------------------------ finish

    /** {@code statusFound} is the status read ({@code running} when applied, {@code missing} if no doc). */
    public record FinishOutcome(boolean applied, String statusFound) {
    }

    /**
     * Re-read; only if the status is still {@code running}: set {@code status}, {@code ended_at} = now,
     * {@code duration_ms} = ended_at - started_at, {@code error_message} (only when non-null) and every entry of
     * {@code extraFields} (top-level keys are field paths, values may be nested maps/lists). Otherwise nothing
     * changes and {@code applied=false} is returned with the status found.
     */
    public FinishOutcome finishIfRunning(String runId, String status, String errorMessage,
                                         Map<String, Object> extraFields) {
        return finishIfRunning(runId, status, errorMessage, extraFields, null);
    }

    /**
     * The baseline chain to move to the run in the commit of its terminal status (see {@link IssueStates}), with the
     * run's state documents that go in that commit (none when they were written ahead).
     */
    public record ChainAdvance(String chain, String baseId, List<Map<String, Object>> stateDocuments) {
    }

    /**
     * As {@link #finishIfRunning(String, String, String, Map)}; when {@code advance} is non-null, the same commit
     * points chain {@code advance.chain()} at this run, unless it already points at a run that started later.
     */
    public FinishOutcome finishIfRunning(String runId, String status, String errorMessage,
                                         Map<String, Object> extraFields, ChainAdvance advance) {
        if (!TERMINAL_STATUSES.contains(status)) {
            throw new IllegalArgumentException("Not a terminal status: " + status);
        }
        String operation = "finishIfRunning(" + status + ")";
        return store.inRunUpdate(runId, operation, "finishIfRunning (read)", (writes, snap) -> {
            String found = snap.exists() ? snap.getString(STATUS) : STATUS_MISSING;
            if (!STATUS_RUNNING.equals(found)) {
                return new FinishOutcome(false, found);
            }
            if (advance != null) {
                DocumentSnapshot chain = store.await(IssueStates.chainDocument(store, advance.chain()).get(),
                        "finishIfRunning (read baseline chain)", "chain " + advance.chain());
                Timestamp started = snap.getTimestamp(STARTED_AT);
                Timestamp pointed = chain.exists() ? chain.getTimestamp(STARTED_AT) : null;
                if (started != null && (pointed == null || pointed.compareTo(started) < 0)) {
                    writes.replace(chain, IssueStates.chainFields(runId, advance.baseId(), started,
                            store.nowInstant()));
                }
                for (int i = 0; i < advance.stateDocuments().size(); i++) {
                    writes.set(IssueStates.document(store, runId, i), advance.stateDocuments().get(i));
                }
            }
            Map<String, Object> update = new LinkedHashMap<>();
            if (extraFields != null) {
                update.putAll(extraFields);
            }
            store.putTerminal(update, snap, status, errorMessage);
            writes.update(snap, update);
            return new FinishOutcome(true, found);
        });
    }

    private static RunState stateOf(DocumentSnapshot snap) {
        if (!snap.exists()) {
            return new RunState(STATUS_MISSING, false);
        }
        String status = snap.getString(STATUS);
        return new RunState(status, Boolean.TRUE.equals(snap.getBoolean(CANCEL_REQUESTED)));
    }
}
