package com.airtableintegrity.store;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.WriteBatch;
import com.google.cloud.firestore.WriteResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writes of one {@link RunCollection#compareAndSet} attempt, committed together: each holds only while the
 * document is as it was read (same update time; still absent for a create), so a writer that came in between makes the
 * whole commit fail with a conflict ({@link #isConflict}) instead of being overwritten.
 */
final class ConditionalWrites {

    private static final Set<StatusCode.Code> CONFLICTS = Set.of(StatusCode.Code.FAILED_PRECONDITION,
            StatusCode.Code.ALREADY_EXISTS, StatusCode.Code.NOT_FOUND, StatusCode.Code.ABORTED);

    private final WriteBatch batch;
    private int count;

    ConditionalWrites(WriteBatch batch) {
        this.batch = batch;
    }

    /** Sets {@code fields} (top-level field paths) on {@code read}'s document if it has not changed since read. */
    void update(DocumentSnapshot read, Map<String, Object> fields) {
        if (!read.exists()) {
            throw new IllegalStateException("update of a document read as absent: " + read.getReference().getPath());
        }
        batch.update(read.getReference(), fields, Precondition.updatedAt(read.getUpdateTime()));
        count++;
    }

    /** Creates {@code ref}; fails the commit if it exists by then. */
    void create(DocumentReference ref, Map<String, Object> doc) {
        batch.create(ref, doc);
        count++;
    }

    /**
     * Makes {@code read}'s document hold exactly {@code doc}: created if it was read as absent, otherwise its fields
     * replaced and those not in {@code doc} removed, if it has not changed since read.
     */
    void replace(DocumentSnapshot read, Map<String, Object> doc) {
        if (!read.exists()) {
            create(read.getReference(), doc);
            return;
        }
        Map<String, Object> fields = new HashMap<>(doc);
        Map<String, Object> old = read.getData();
        if (old != null) {
            old.keySet().stream().filter(k -> !doc.containsKey(k)).forEach(k -> fields.put(k, FieldValue.delete()));
        }
        update(read, fields);
    }

    /** Writes {@code doc} to {@code ref} whatever it holds (a document only this commit's writer writes). */
    void set(DocumentReference ref, Map<String, Object> doc) {
        batch.set(ref, doc);
        count++;
    }

    /** Deletes {@code read}'s document if it has not changed since read. */
    void delete(DocumentSnapshot read) {
        batch.delete(read.getReference(), Precondition.updatedAt(read.getUpdateTime()));
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    ApiFuture<List<WriteResult>> commit() {
        return batch.commit();
    }

    /** Whether a failed commit was refused because a document changed since it was read. */
    static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiException api && CONFLICTS.contains(api.getStatusCode().getCode())) {
                return true;
            }
        }
        return false;
    }
}
