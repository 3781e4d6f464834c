package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunFields.*;

import com.airtableintegrity.rules.Issue;
import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import com.google.cloud.firestore.SetOptions;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.TransactionOptions;
import com.google.cloud.firestore.WriteBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that talks to Firestore: run documents ({@code <collection>/{runId}}), their issues
 * ({@code <collection>/{runId}/issues/{seq}}) and the per-base locks ({@code <collection>_locks/{baseId}}).
 *
 * <p>Every call is bounded by {@code callTimeout}: on timeout or failure it throws {@link RunStoreException}
 * naming the operation and the run (or base) — it never hangs. All timestamps come from the injected
 * {@link Clock} and are written as Firestore {@link Timestamp}s (microsecond precision, as Firestore stores them).
 */
public class RunStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunStore.class);

    /** Firestore's limit of writes per batch. */
    public static final int MAX_BATCH_WRITES = 500;
    /**
     * Bytes of issue documents per batch: Firestore rejects a request over 10 MiB (RESOURCE_EXHAUSTED); this leaves
     * room for field names and the request's own framing.
     */
    public static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;
    /** {@code error_message} is cut to this length (a Firestore string must stay under 1 MiB; a reader wants less). */
    public static final int MAX_ERROR_MESSAGE_CHARS = 2000;
    private static final int TRANSACTION_ATTEMPTS = 10;

    private final Firestore db;
    private final String collection;
    private final CollectionReference runs;
    private final CollectionReference locks;
    private final Duration callTimeout;
    private final Clock clock;
    private final ExecutorService txExecutor;
    private final TransactionOptions txOptions;

    public RunStore(Firestore db, String collection, Duration callTimeout, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.collection = collection == null || collection.isBlank() ? DEFAULT_COLLECTION : collection;
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runs = db.collection(this.collection);
        this.locks = db.collection(this.collection + LOCKS_SUFFIX);
        // Transaction functions block on their reads: give them their own threads, not the client's.
        this.txExecutor = Executors.newCachedThreadPool(daemonThreads("run-store-tx-"));
        this.txOptions = TransactionOptions.create(txExecutor, TRANSACTION_ATTEMPTS);
    }

    /**
     * A Firestore client for {@code projectId}. With an emulator host ("host:port") it connects to the emulator
     * (emulator host ALONE: adding NoCredentials would silently reach production); otherwise it uses the default
     * Google credentials.
     */
    public static Firestore connect(String projectId, String emulatorHostOrNull) {
        FirestoreOptions.Builder builder = FirestoreOptions.newBuilder();
        if (projectId != null && !projectId.isBlank()) {
            builder.setProjectId(projectId);
        }
        if (emulatorHostOrNull != null && !emulatorHostOrNull.isBlank()) {
            builder.setEmulatorHost(emulatorHostOrNull);
        }
        return builder.build().getService();
    }

    public String collection() {
        return collection;
    }

    public Clock clock() {
        return clock;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    /** Closes the Firestore client and the store's threads. */
    @Override
    public void close() {
        txExecutor.shutdownNow();
        try {
            db.close();
        } catch (Exception e) {
            log.warn("Closing the Firestore client failed: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------ start

    public record NewRun(String baseId, List<String> tables, String trigger, String runnerId, long maxDurationSeconds) {
    }

    public sealed interface StartResult permits Started, Skipped {
    }

    public record Started(String runId) implements StartResult {
    }

    public record Skipped(String liveRunId, long skippedCount) implements StartResult {
    }

    /**
     * No pile-up across processes: one transaction reads the lock doc {@code <coll>_locks/{baseId}}; if it names a
     * run that is {@code running} with a heartbeat (fallback {@code started_at}) newer than now - heartbeatStaleAfter,
     * the lock's {@code skipped_count} is incremented, {@code last_skipped_at} set, and {@link Skipped} returned.
     * Otherwise the run doc is created (auto id) and the lock pointed at it; {@link Started} is returned.
     */
    public StartResult startRun(NewRun run, Duration heartbeatStaleAfter) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(run.baseId(), "baseId");
        Objects.requireNonNull(heartbeatStaleAfter, "heartbeatStaleAfter");
        String subject = "base " + run.baseId();
        DocumentReference lockRef = locks.document(run.baseId());
        Skipped busy = skipIfHeld(lockRef, heartbeatStaleAfter, subject);
        if (busy != null) {
            return busy;
        }
        return inTransaction("startRun", subject, tx -> {
            DocumentSnapshot lock = inner(tx.get(lockRef), "startRun (read lock)", subject);
            Instant nowInstant = nowInstant();
            Timestamp now = toTimestamp(nowInstant);
            String liveRunId = lock.exists() ? lock.getString(LOCK_RUN_ID) : null;
            if (liveRunId != null && !liveRunId.isBlank()) {
                DocumentSnapshot live = inner(tx.get(runs.document(liveRunId)), "startRun (read live run)", subject);
                if (live.exists() && STATUS_RUNNING.equals(live.getString(STATUS))) {
                    Timestamp beat = heartbeatOrStart(live);
                    if (beat != null && toInstant(beat).isAfter(nowInstant.minus(heartbeatStaleAfter))) {
                        Long previous = lock.getLong(LOCK_SKIPPED_COUNT);
                        long skipped = (previous == null ? 0 : previous) + 1;
                        Map<String, Object> update = new HashMap<>();
                        update.put(LOCK_SKIPPED_COUNT, skipped);
                        update.put(LOCK_LAST_SKIPPED_AT, now);
                        tx.update(lockRef, update);
                        return new Skipped(liveRunId, skipped);
                    }
                }
            }
            DocumentReference runRef = runs.document();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put(STATUS, STATUS_RUNNING);
            doc.put(STARTED_AT, now);
            doc.put(HEARTBEAT_AT, now);
            doc.put(TRIGGER, run.trigger());
            doc.put(BASE_ID, run.baseId());
            doc.put(TABLES, run.tables() == null ? List.of() : List.copyOf(run.tables()));
            doc.put(RUNNER_ID, run.runnerId());
            doc.put(MAX_DURATION_SECONDS, run.maxDurationSeconds());
            doc.put(CANCEL_REQUESTED, false);
            tx.create(runRef, doc);
            Map<String, Object> lockDoc = new HashMap<>();
            lockDoc.put(LOCK_RUN_ID, runRef.getId());
            lockDoc.put(LOCK_RUNNER_ID, run.runnerId());
            lockDoc.put(LOCK_ACQUIRED_AT, now);
            if (!lock.exists() || lock.getLong(LOCK_SKIPPED_COUNT) == null) {
                lockDoc.put(LOCK_SKIPPED_COUNT, 0L);
            }
            tx.set(lockRef, lockDoc, SetOptions.merge());
            return new Started(runRef.getId());
        });
    }

    /**
     * The common case of a start while a run is live, without a transaction: plain reads of the lock and its run, and
     * an increment of the skip counter. A transaction here would lock the live run's document and, under a burst of
     * start requests, make that run's own final status write time out. Returns null when the base looks free (the
     * transaction then decides).
     */
    private Skipped skipIfHeld(DocumentReference lockRef, Duration heartbeatStaleAfter, String subject) {
        DocumentSnapshot lock = await(lockRef.get(), "startRun (check lock)", subject);
        String liveRunId = lock.exists() ? lock.getString(LOCK_RUN_ID) : null;
        if (liveRunId == null || liveRunId.isBlank()) {
            return null;
        }
        DocumentSnapshot live = await(runs.document(liveRunId).get(), "startRun (check live run)", subject);
        Timestamp beat = live.exists() && STATUS_RUNNING.equals(live.getString(STATUS)) ? heartbeatOrStart(live) : null;
        if (beat == null || !toInstant(beat).isAfter(nowInstant().minus(heartbeatStaleAfter))) {
            return null;
        }
        await(lockRef.update(LOCK_SKIPPED_COUNT, FieldValue.increment(1), LOCK_LAST_SKIPPED_AT, now()),
                "startRun (count skip)", subject);
        Long previous = lock.getLong(LOCK_SKIPPED_COUNT);
        return new Skipped(liveRunId, (previous == null ? 0 : previous) + 1);
    }

    // ------------------------------------------------------------------------------------------ alive

    /** {@code status} is {@code "missing"} when the run document does not exist. */
    public record RunState(String status, boolean cancelRequested) {
    }

    /** Transaction: if the run is {@code running}, set {@code heartbeat_at} = now; returns the state read. */
    public RunState heartbeat(String runId) {
        RunIds.require(runId);
        DocumentReference ref = runs.document(runId);
        String subject = "run " + runId;
        return inTransaction("heartbeat", subject, tx -> {
            DocumentSnapshot snap = inner(tx.get(ref), "heartbeat (read)", subject);
            RunState state = stateOf(snap);
            if (STATUS_RUNNING.equals(state.status())) {
                tx.update(ref, HEARTBEAT_AT, now());
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
        ListenerRegistration registration = runs.document(runId).addSnapshotListener(executor, (snap, error) -> {
            if (error != null) {
                log.warn("Watching run {} failed: {}", runId, error.toString());
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
                    log.warn("Run {} state callback failed", runId, e);
                }
            }
        });
        return registration::remove;
    }

    /** Set {@code cancel_requested: true} if the run is still running; returns whether it was set now. */
    public boolean requestCancel(String runId) {
        RunIds.require(runId);
        DocumentReference ref = runs.document(runId);
        String subject = "run " + runId;
        return inTransaction("requestCancel", subject, tx -> {
            DocumentSnapshot snap = inner(tx.get(ref), "requestCancel (read)", subject);
            RunState state = stateOf(snap);
            if (!STATUS_RUNNING.equals(state.status()) || state.cancelRequested()) {
                return false;
            }
            tx.update(ref, CANCEL_REQUESTED, true);
            return true;
        });
    }

    // ------------------------------------------------------------------------------------------ finish

    /** {@code statusFound} is the status read ({@code running} when applied, {@code missing} if no doc). */
    public record FinishOutcome(boolean applied, String statusFound) {
    }

    /**
     * Transaction: re-read; only if the status is still {@code running}: set {@code status}, {@code ended_at} = now,
     * {@code duration_ms} = ended_at - started_at, {@code error_message} (only when non-null) and every entry of
     * {@code extraFields} (top-level keys are field paths, values may be nested maps/lists). Otherwise nothing
     * changes and {@code applied=false} is returned with the status found.
     */
    public FinishOutcome finishIfRunning(String runId, String status, String errorMessage, Map<String, Object> extraFields) {
        if (!TERMINAL_STATUSES.contains(status)) {
            throw new IllegalArgumentException("Not a terminal status: " + status);
        }
        RunIds.require(runId);
        DocumentReference ref = runs.document(runId);
        String subject = "run " + runId;
        return inTransaction("finishIfRunning(" + status + ")", subject, tx -> {
            DocumentSnapshot snap = inner(tx.get(ref), "finishIfRunning (read)", subject);
            String found = snap.exists() ? snap.getString(STATUS) : STATUS_MISSING;
            if (!STATUS_RUNNING.equals(found)) {
                return new FinishOutcome(false, found);
            }
            Map<String, Object> update = new LinkedHashMap<>();
            if (extraFields != null) {
                update.putAll(extraFields);
            }
            putTerminal(update, snap, status, errorMessage);
            tx.update(ref, update);
            return new FinishOutcome(true, found);
        });
    }

    private void putTerminal(Map<String, Object> update, DocumentSnapshot snap, String status, String errorMessage) {
        Instant endedAt = nowInstant();
        update.put(STATUS, status);
        update.put(ENDED_AT, toTimestamp(endedAt));
        Timestamp startedAt = snap.getTimestamp(STARTED_AT);
        if (startedAt != null) {
            update.put(DURATION_MS, Duration.between(toInstant(startedAt), endedAt).toMillis());
        }
        if (errorMessage != null) {
            update.put(ERROR_MESSAGE, Issue.cut(errorMessage, MAX_ERROR_MESSAGE_CHARS));
        }
    }

    // ------------------------------------------------------------------------------------------ issues

    /**
     * Writes the issues to {@code <coll>/{runId}/issues/{seq}} ({@code seq} 0-based; the doc id is the zero-padded
     * seq, so a retried write overwrites instead of duplicating), in batches of at most {@link #MAX_BATCH_WRITES}
     * documents and about {@link #MAX_BATCH_BYTES} bytes.
     *
     * @return how many were written; on failure {@link IssuesWriteException} tells how many were written before it
     */
    public int writeIssues(String runId, List<Issue> issues) {
        RunIds.require(runId);
        if (issues == null || issues.isEmpty()) {
            return 0;
        }
        CollectionReference target = runs.document(runId).collection(ISSUES_SUBCOLLECTION);
        int written = 0;
        while (written < issues.size()) {
            WriteBatch batch = db.batch();
            int count = 0;
            long bytes = 0;
            for (int i = written; i < issues.size() && count < MAX_BATCH_WRITES; i++) {
                long size = approximateBytes(issues.get(i));
                if (count > 0 && bytes + size > MAX_BATCH_BYTES) {
                    break;
                }
                batch.set(target.document(String.format("%06d", (long) i)), issueDocument(issues.get(i), i));
                count++;
                bytes += size;
            }
            try {
                await(batch.commit(), "writeIssues (" + count + " issues from seq " + written + ")", "run " + runId);
            } catch (RunStoreException e) {
                throw new IssuesWriteException(written, e);
            }
            written += count;
        }
        return written;
    }

    /** Storing issues failed after {@code written} of them were stored. */
    public static final class IssuesWriteException extends RunStoreException {
        private final int written;

        IssuesWriteException(int written, RunStoreException cause) {
            super(cause.getMessage(), cause);
            this.written = written;
        }

        public int written() {
            return written;
        }
    }

    private static Map<String, Object> issueDocument(Issue issue, long seq) {
        Map<String, Object> doc = new HashMap<>();
        doc.put(ISSUE_TABLE, issue.table());
        doc.put(ISSUE_RECORD_ID, issue.recordId());
        doc.put(ISSUE_FIELD, issue.field());
        doc.put(ISSUE_RULE, issue.rule());
        doc.put(ISSUE_VALUE, issue.value());
        doc.put(ISSUE_MESSAGE, issue.message());
        doc.put(ISSUE_SEQ, seq);
        return doc;
    }

    /** Upper bound of an issue document's size: UTF-8 takes at most 3 bytes per Java char; names and the seq ~100. */
    private static long approximateBytes(Issue issue) {
        long chars = 0;
        for (String s : new String[] {issue.table(), issue.recordId(), issue.field(), issue.rule(), issue.value(),
                issue.message()}) {
            chars += s == null ? 0 : s.length();
        }
        return 3 * chars + 128;
    }

    // ------------------------------------------------------------------------------------------ queries

    /** Ids of runs with status {@code running} whose {@code runner_id} equals {@code runnerId} (startup recovery). */
    public List<String> findRunningRunsOf(String runnerId) {
        QuerySnapshot snapshot = await(runs.whereEqualTo(RUNNER_ID, runnerId).whereEqualTo(STATUS, STATUS_RUNNING).get(),
                "findRunningRunsOf", "runner " + runnerId);
        List<String> ids = new ArrayList<>();
        for (QueryDocumentSnapshot doc : snapshot.getDocuments()) {
            ids.add(doc.getId());
        }
        return ids;
    }

    /** The run document's data, or {@code null} if it does not exist (for tests and JMX). */
    public Map<String, Object> read(String runId) {
        RunIds.require(runId);
        DocumentSnapshot snap = await(runs.document(runId).get(), "read", "run " + runId);
        return snap.exists() ? snap.getData() : null;
    }

    /** The newest runs first (by {@code started_at}), at most {@code limit}, each with its id under {@code id}. */
    public List<Map<String, Object>> latestRuns(int limit) {
        QuerySnapshot snap = await(runs.orderBy(STARTED_AT, Query.Direction.DESCENDING).limit(limit).get(),
                "latestRuns", "the latest " + limit + " runs");
        List<Map<String, Object>> result = new ArrayList<>();
        for (QueryDocumentSnapshot doc : snap.getDocuments()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", doc.getId());
            data.putAll(doc.getData());
            result.add(data);
        }
        return result;
    }

    /** One bounded read of the run collection: throws {@link RunStoreException} when Firestore cannot be reached. */
    public void ping() {
        await(runs.select(STATUS).limit(1).get(), "ping", "collection " + collection);
    }

    /** The lock document of a base ({@code <coll>_locks/{baseId}}), or {@code null}. */
    public Map<String, Object> readLock(String baseId) {
        DocumentSnapshot snap = await(locks.document(baseId).get(), "readLock", "base " + baseId);
        return snap.exists() ? snap.getData() : null;
    }

    // ------------------------------------------------------------------------------------------ sweep

    /** What {@link #markTimeoutIfHung} did. */
    public enum MarkResult {
        MARKED_MAX_AGE, MARKED_HEARTBEAT_STALE,
        /** The doc is no longer {@code running} (or gone): left unchanged. */
        NOT_RUNNING,
        /** Still running, but neither rule holds at this moment (e.g. a heartbeat came in): left unchanged. */
        NOT_HUNG
    }

    /**
     * Pages through {@code status == "running" AND started_at < cutoff ORDER BY started_at} ({@code pageSize} per
     * page, cursor {@code startAfter}) and hands each page's run ids to {@code pageConsumer}. Each page query is
     * bounded by the call timeout.
     */
    public void forEachRunningStartedBefore(Instant cutoff, int pageSize, Consumer<List<String>> pageConsumer) {
        Query base = runs.whereEqualTo(STATUS, STATUS_RUNNING)
                .whereLessThan(STARTED_AT, toTimestamp(cutoff))
                .orderBy(STARTED_AT)
                .select(STARTED_AT)
                .limit(pageSize);
        DocumentSnapshot cursor = null;
        int page = 0;
        while (true) {
            Query query = cursor == null ? base : base.startAfter(cursor);
            QuerySnapshot snapshot = await(query.get(), "sweep query (page " + page + ")", "runs started before " + cutoff);
            List<QueryDocumentSnapshot> docs = snapshot.getDocuments();
            if (docs.isEmpty()) {
                return;
            }
            List<String> ids = new ArrayList<>(docs.size());
            for (QueryDocumentSnapshot doc : docs) {
                ids.add(doc.getId());
            }
            pageConsumer.accept(ids);
            if (docs.size() < pageSize) {
                return;
            }
            cursor = docs.get(docs.size() - 1);
            page++;
        }
    }

    /**
     * One transaction: re-reads the run and marks it {@code timeout} only if it is still {@code running} and a rule
     * holds now: {@code max_age} (started more than maxAge ago) first, else {@code heartbeat_stale} (heartbeat_at,
     * fallback started_at, older than heartbeatStaleAfter). Sets ended_at, duration_ms, error_message, swept_by and
     * sweep_rule.
     */
    public MarkResult markTimeoutIfHung(String runId, Duration maxAge, Duration heartbeatStaleAfter, String sweeperId) {
        RunIds.require(runId);
        DocumentReference ref = runs.document(runId);
        String subject = "run " + runId;
        return inTransaction("sweep mark", subject, tx -> {
            DocumentSnapshot snap = inner(tx.get(ref), "sweep mark (read)", subject);
            if (!snap.exists() || !STATUS_RUNNING.equals(snap.getString(STATUS))) {
                return MarkResult.NOT_RUNNING;
            }
            Instant now = nowInstant();
            Timestamp startedAt = snap.getTimestamp(STARTED_AT);
            Timestamp beat = heartbeatOrStart(snap);
            String rule;
            String message;
            MarkResult result;
            if (startedAt != null && toInstant(startedAt).isBefore(now.minus(maxAge))) {
                rule = RULE_MAX_AGE;
                message = maxAgeMessage(maxAge);
                result = MarkResult.MARKED_MAX_AGE;
            } else if (beat != null && toInstant(beat).isBefore(now.minus(heartbeatStaleAfter))) {
                rule = RULE_HEARTBEAT_STALE;
                message = HEARTBEAT_STALE_MESSAGE;
                result = MarkResult.MARKED_HEARTBEAT_STALE;
            } else {
                return MarkResult.NOT_HUNG;
            }
            Map<String, Object> update = new LinkedHashMap<>();
            putTerminal(update, snap, STATUS_TIMEOUT, message);
            update.put(SWEPT_BY, sweeperId);
            update.put(SWEEP_RULE, rule);
            tx.update(ref, update);
            return result;
        });
    }

    public static final String HEARTBEAT_STALE_MESSAGE = "Runner stopped sending heartbeats (process ended or machine asleep)";

    /** "Run exceeded maximum duration of N minutes ..." (N seconds when maxAge is not whole minutes). */
    public static String maxAgeMessage(Duration maxAge) {
        long seconds = maxAge.toSeconds();
        String amount = seconds % 60 == 0 ? (seconds / 60) + " minutes" : seconds + " seconds";
        return "Run exceeded maximum duration of " + amount + " and was marked as timeout by the hung-run sweep";
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static RunState stateOf(DocumentSnapshot snap) {
        if (!snap.exists()) {
            return new RunState(STATUS_MISSING, false);
        }
        String status = snap.getString(STATUS);
        return new RunState(status, Boolean.TRUE.equals(snap.getBoolean(CANCEL_REQUESTED)));
    }

    private static Timestamp heartbeatOrStart(DocumentSnapshot snap) {
        Timestamp beat = snap.getTimestamp(HEARTBEAT_AT);
        return beat != null ? beat : snap.getTimestamp(STARTED_AT);
    }

    private Instant nowInstant() {
        // Firestore keeps microseconds: truncate so what we compute with is what is stored.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private Timestamp now() {
        return toTimestamp(nowInstant());
    }

    public static Timestamp toTimestamp(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        return Timestamp.ofTimeSecondsAndNanos(micros.getEpochSecond(), micros.getNano());
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private <T> T inTransaction(String operation, String subject, Transaction.Function<T> function) {
        return await(db.runTransaction(function, txOptions), operation, subject);
    }

    /** A read inside a transaction: bounded too, so a transaction thread never blocks forever. */
    private <T> T inner(ApiFuture<T> future, String operation, String subject) {
        return await(future, operation, subject);
    }

    private <T> T await(ApiFuture<T> future, String operation, String subject) {
        long timeoutMs = callTimeout.toMillis();
        try {
            return future.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RunStoreException("Firestore " + operation + " for " + subject + " timed out after " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RunStoreException("Firestore " + operation + " for " + subject + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof RunStoreException rse) {
                    throw rse;
                }
            }
            throw new RunStoreException("Firestore " + operation + " for " + subject + " failed: " + cause, cause);
        } catch (RuntimeException e) {
            throw new RunStoreException("Firestore " + operation + " for " + subject + " failed: " + e, e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
