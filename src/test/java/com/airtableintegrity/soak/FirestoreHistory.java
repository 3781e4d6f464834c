package com.airtableintegrity.soak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunFields;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentChange;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.QuerySnapshot;

/**
 * The soak's own view of Firestore, straight to the emulator (not through the runners' proxy): a listener keeps each
 * run document's history (the update time of its first terminal version), another the skip counter increments of
 * each base's lock document with their {@code last_skipped_at}.
 */
final class FirestoreHistory implements AutoCloseable {

    /** A counted skip of a firing on a base. */
    record Skip(String baseId, Instant at) {
    }

    private final Firestore db;
    private final Map<String, Timestamp> firstTerminalUpdate = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> firstTerminalOutcome = new ConcurrentHashMap<>();
    private final Map<String, Long> skipCounts = new ConcurrentHashMap<>();
    private final List<Skip> skips = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final ListenerRegistration runs;
    private final ListenerRegistration locks;

    FirestoreHistory(Firestore db) {
        this.db = db;
        String coll = RunFields.DEFAULT_COLLECTION;
        this.runs = db.collection(coll).addSnapshotListener((snap, e) -> onRuns(snap, e));
        this.locks = db.collection(coll + RunFields.LOCKS_SUFFIX).addSnapshotListener((snap, e) -> onLocks(snap, e));
    }

    private void onRuns(QuerySnapshot snap, Exception e) {
        if (e != null) {
            synchronized (errors) {
                errors.add("runs listener: " + e);
            }
            return;
        }
        for (DocumentChange change : snap.getDocumentChanges()) {
            DocumentSnapshot doc = change.getDocument();
            if (RunFields.TERMINAL_STATUSES.contains(doc.getString(RunFields.STATUS))) {
                firstTerminalUpdate.putIfAbsent(doc.getId(), doc.getUpdateTime());
                firstTerminalOutcome.putIfAbsent(doc.getId(), outcome(doc.getData()));
            }
        }
    }

    private void onLocks(QuerySnapshot snap, Exception e) {
        if (e != null) {
            synchronized (errors) {
                errors.add("locks listener: " + e);
            }
            return;
        }
        for (DocumentChange change : snap.getDocumentChanges()) {
            DocumentSnapshot doc = change.getDocument();
            Long count = doc.getLong(RunFields.LOCK_SKIPPED_COUNT);
            Timestamp last = doc.getTimestamp(RunFields.LOCK_LAST_SKIPPED_AT);
            if (count == null) {
                continue;
            }
            long before = skipCounts.getOrDefault(doc.getId(), 0L);
            skipCounts.put(doc.getId(), Math.max(before, count));
            synchronized (skips) {
                for (long i = before; i < count && last != null; i++) {
                    skips.add(new Skip(doc.getId(), RunCollection.toInstant(last)));
                }
            }
        }
    }

    /** Every run document now, with {@code id} and {@code _update_time} (a {@link Timestamp}). */
    List<Map<String, Object>> runsNow() throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DocumentSnapshot d : db.collection(RunFields.DEFAULT_COLLECTION).get().get(30, TimeUnit.SECONDS)
                .getDocuments()) {
            Map<String, Object> data = new HashMap<>(d.getData());
            data.put("id", d.getId());
            data.put("_update_time", d.getUpdateTime());
            out.add(data);
        }
        return out;
    }

    /** The fields the notification outbox keeps changing after a run ended (its delivery records). */
    static final java.util.Set<String> OUTBOX_FIELDS = java.util.Set.of(RunFields.NOTICES, RunFields.NOTIFY_NEXT_AT,
            RunFields.NOTIFY_PENDING_SINCE);

    /** A run document's outcome: every field but the outbox's (and the soak's own id and update time). */
    static Map<String, Object> outcome(Map<String, Object> data) {
        Map<String, Object> outcome = new HashMap<>(data == null ? Map.of() : data);
        outcome.keySet().removeAll(OUTBOX_FIELDS);
        outcome.remove("id");
        outcome.remove("_update_time");
        return outcome;
    }

    /** The outcome of the first terminal version the listener saw, or null. */
    Map<String, Object> firstTerminalOutcome(String runId) {
        return firstTerminalOutcome.get(runId);
    }

    /** The update time of the first terminal version the listener saw, or null. */
    Timestamp firstTerminalUpdate(String runId) {
        return firstTerminalUpdate.get(runId);
    }

    /** The skip counters of the lock documents now (the listener's count can lag; this is the stored truth). */
    Map<String, Long> skipCountsNow() throws Exception {
        Map<String, Long> out = new HashMap<>();
        for (DocumentSnapshot d : db.collection(RunFields.DEFAULT_COLLECTION + RunFields.LOCKS_SUFFIX).get()
                .get(30, TimeUnit.SECONDS).getDocuments()) {
            Long c = d.getLong(RunFields.LOCK_SKIPPED_COUNT);
            out.put(d.getId(), c == null ? 0 : c);
        }
        return out;
    }

    List<Skip> skips() {
        synchronized (skips) {
            return List.copyOf(skips);
        }
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void close() {
        runs.remove();
        locks.remove();
        try {
            db.close();
        } catch (Exception ignored) {
            // closing
        }
    }
}
