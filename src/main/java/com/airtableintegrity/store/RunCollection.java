package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunFields.*;

import com.airtableintegrity.rules.Issue;
import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.WriteBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run collection in Firestore: run documents ({@code <collection>/{runId}}), their issues
 * ({@code <collection>/{runId}/issues/{seq}}) and the per-base locks ({@code <collection>_locks/{baseId}}), with the
 * bounded calls that every store class ({@link RunTransactions}, {@link HungRunQueries}, {@link IssueWriter},
 * {@link RunReads}) goes through.
 *
 * <p>Every call is bounded by {@code callTimeout}: on timeout or failure it throws {@link RunStoreException}
 * naming the operation and the run (or base) — it never hangs. All timestamps come from the injected
 * {@link Clock} and are written as Firestore {@link Timestamp}s (microsecond precision, as Firestore stores them).
 * The Firestore client belongs to the caller, who closes it.
 */
public final class RunCollection {

    /** {@code error_message} is cut to this length (a Firestore string must stay under 1 MiB; a reader wants less). */
    public static final int MAX_ERROR_MESSAGE_CHARS = 2000;
    private static final int WRITE_ATTEMPTS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(RunCollection.class);

    private final Firestore db;
    private final String collection;
    private final CollectionReference runs;
    private final CollectionReference locks;
    private final Duration callTimeout;
    private final Clock clock;

    public RunCollection(Firestore db, String collection, Duration callTimeout, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.collection = collection == null || collection.isBlank() ? DEFAULT_COLLECTION : collection;
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runs = db.collection(this.collection);
        this.locks = db.collection(this.collection + LOCKS_SUFFIX);
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

    /**
     * What one attempt of a {@link #compareAndSet} does: reads what it needs with plain reads (through
     * {@link #await}), decides, and adds its writes to {@code writes}, each conditioned on the document as it read it.
     */
    interface Attempt<T> {
        T apply(ConditionalWrites writes);
    }

    /**
     * Optimistic concurrency instead of Firestore transactions: plain reads, then one atomic commit of writes that each
     * hold only if their document is still as read (its update time, or absence for a create); when another writer
     * came first the commit fails as a whole and the attempt runs again on fresh reads, up to
     * {@value #WRITE_ATTEMPTS} times within one call timeout.
     *
     * <p>Why not transactions: a server-client transaction locks the documents it reads until it commits or the
     * database gives up on it (about a minute of silence). A runner suspended inside one (a closed laptop lid, SIGSTOP)
     * held its run and its base's lock that long, and every sweep, start and final status of that base timed out
     * meanwhile (soak finding; {@code FrozenRunnerTest}). Here no lock outlives a single commit, and a commit that
     * conflicts is refused, not kept waiting. An attempt that ends past the deadline (its caller has given up, or its
     * process was suspended or its machine asleep) commits nothing: the deadline is kept on the monotonic clock and on
     * the wall clock, since the monotonic one stands still while the machine sleeps.
     */
    <T> T compareAndSet(String operation, String subject, Attempt<T> attempt) {
        long deadline = System.nanoTime() + callTimeout.toNanos();
        long wallDeadline = System.currentTimeMillis() + callTimeout.toMillis();
        for (int n = 1; ; n++) {
            ConditionalWrites writes = new ConditionalWrites(db.batch());
            T result = attempt.apply(writes);
            if (writes.isEmpty()) {
                return result;
            }
            if (System.nanoTime() - deadline > 0 || System.currentTimeMillis() > wallDeadline) {
                // the caller has given up (or this thread was frozen past its deadline): decide nothing for it
                throw new RunStoreException("Firestore " + operation + " for " + subject + " timed out after "
                        + callTimeout.toMillis() + " ms (nothing written)");
            }
            try {
                await(writes.commit(), operation, subject, deadline);
                return result;
            } catch (RunStoreException e) {
                if (!ConditionalWrites.isConflict(e) || n >= WRITE_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("Firestore {} for {}: another writer came first (attempt {}), reading again", operation,
                        subject, n);
            }
        }
    }

    /** What a compare-and-set on one run document does with the document as read. */
    interface RunUpdate<T> {
        T apply(ConditionalWrites writes, DocumentSnapshot snap);
    }

    /**
     * A {@link #compareAndSet} on the run document {@code runId} (checked by {@link RunIds#require}): reads it
     * (bounded, as {@code "<operation> (read)"}) and hands it to {@code update}.
     */
    <T> T inRunUpdate(String runId, String operation, String readOperation, RunUpdate<T> update) {
        RunIds.require(runId);
        DocumentReference ref = runs.document(runId);
        String subject = "run " + runId;
        return compareAndSet(operation, subject,
                writes -> update.apply(writes, await(ref.get(), readOperation, subject)));
    }

    /**
     * Waits at most the call timeout. A read inside a compare-and-set goes through here too, so that no store call
     * blocks forever.
     */
    <T> T await(ApiFuture<T> future, String operation, String subject) {
        return await(future, operation, subject, System.nanoTime() + callTimeout.toNanos());
    }

    /** As {@link #await(ApiFuture, String, String)}, waiting until {@code deadline} ({@link System#nanoTime}). */
    private <T> T await(ApiFuture<T> future, String operation, String subject, long deadline) {
        long timeoutMs = callTimeout.toMillis();
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
     * started_at, {@code error_message} (only when non-null, cut to {@link #MAX_ERROR_MESSAGE_CHARS}), and the
     * notices the run owes ({@link Outbox}), so that no writer of a terminal status can leave them out.
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
        Outbox.owe(update, snap, status, endedAt);
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
