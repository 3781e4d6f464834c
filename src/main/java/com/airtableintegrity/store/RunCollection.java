package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunFields.*;

import com.airtableintegrity.rules.Issue;
import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.TransactionOptions;
import com.google.cloud.firestore.WriteBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The run collection in Firestore: run documents ({@code <collection>/{runId}}), their issues
 * ({@code <collection>/{runId}/issues/{seq}}) and the per-base locks ({@code <collection>_locks/{baseId}}), with the
 * bounded calls that every store class ({@link RunTransactions}, {@link HungRunQueries}, {@link IssueWriter},
 * {@link RunReads}) goes through.
 *
 * <p>Every call is bounded by {@code callTimeout}: on timeout or failure it throws {@link RunStoreException}
 * naming the operation and the run (or base) — it never hangs. All timestamps come from the injected
 * {@link Clock} and are written as Firestore {@link Timestamp}s (microsecond precision, as Firestore stores them).
 * The Firestore client and the transaction executor belong to the caller, who closes them.
 */
public final class RunCollection {

    /** {@code error_message} is cut to this length (a Firestore string must stay under 1 MiB; a reader wants less). */
    public static final int MAX_ERROR_MESSAGE_CHARS = 2000;
    private static final int TRANSACTION_ATTEMPTS = 10;

    private final Firestore db;
    private final String collection;
    private final CollectionReference runs;
    private final CollectionReference locks;
    private final Duration callTimeout;
    private final Clock clock;
    private final TransactionOptions txOptions;

    /**
     * @param transactionExecutor runs the transaction functions, which block on their reads: their own threads, not
     *                            the client's (see {@code run/RunnerExecutors})
     */
    public RunCollection(Firestore db, String collection, Duration callTimeout, Clock clock,
                         Executor transactionExecutor) {
        this.db = Objects.requireNonNull(db, "db");
        this.collection = collection == null || collection.isBlank() ? DEFAULT_COLLECTION : collection;
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runs = db.collection(this.collection);
        this.locks = db.collection(this.collection + LOCKS_SUFFIX);
        this.txOptions = TransactionOptions.create(Objects.requireNonNull(transactionExecutor, "transactionExecutor"),
                TRANSACTION_ATTEMPTS);
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

    CollectionReference runs() {
        return runs;
    }

    CollectionReference locks() {
        return locks;
    }

    /** Another collection of the same database (e.g. the schedules beside the runs). */
    CollectionReference sibling(String name) {
        return db.collection(name);
    }

    WriteBatch batch() {
        return db.batch();
    }

    <T> T inTransaction(String operation, String subject, Transaction.Function<T> function) {
        return await(db.runTransaction(function, txOptions), operation, subject);
    }

    /** What a transaction on one run document does with the document as read inside it. */
    interface RunUpdate<T> {
        T apply(Transaction tx, DocumentReference ref, DocumentSnapshot snap);
    }

    /**
     * A transaction on the run document {@code runId} (checked by {@link RunIds#require}): reads it (bounded, as
     * {@code "<operation> (read)"}) and hands it to {@code update}.
     */
    <T> T inRunTransaction(String runId, String operation, String readOperation, RunUpdate<T> update) {
        RunIds.require(runId);
        DocumentReference ref = runs.document(runId);
        String subject = "run " + runId;
        return inTransaction(operation, subject,
                tx -> update.apply(tx, ref, await(tx.get(ref), readOperation, subject)));
    }

    /**
     * Waits at most the call timeout. A read inside a transaction goes through here too, so that a transaction thread
     * never blocks forever.
     */
    <T> T await(ApiFuture<T> future, String operation, String subject) {
        long timeoutMs = callTimeout.toMillis();
        try {
            return future.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RunStoreException("Firestore " + operation + " for " + subject + " timed out after " + timeoutMs
                    + " ms", e);
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

    /**
     * The fields that close a run: {@code status}, {@code ended_at} = now, {@code duration_ms} = ended_at -
     * started_at, and {@code error_message} (only when non-null, cut to {@link #MAX_ERROR_MESSAGE_CHARS}).
     */
    void putTerminal(Map<String, Object> update, DocumentSnapshot snap, String status, String errorMessage) {
        putTerminal(update, snap, status, errorMessage, nowInstant());
    }

    /** As {@link #putTerminal(Map, DocumentSnapshot, String, String)}, ended at {@code endedAt}. */
    void putTerminal(Map<String, Object> update, DocumentSnapshot snap, String status, String errorMessage,
                     Instant endedAt) {
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

    static Timestamp heartbeatOrStart(DocumentSnapshot snap) {
        Timestamp beat = snap.getTimestamp(HEARTBEAT_AT);
        return beat != null ? beat : snap.getTimestamp(STARTED_AT);
    }

    Instant nowInstant() {
        // Firestore keeps microseconds: truncate so what we compute with is what is stored.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    Timestamp now() {
        return toTimestamp(nowInstant());
    }

    public static Timestamp toTimestamp(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        return Timestamp.ofTimeSecondsAndNanos(micros.getEpochSecond(), micros.getNano());
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
