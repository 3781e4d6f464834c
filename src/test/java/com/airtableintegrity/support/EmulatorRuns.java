package com.airtableintegrity.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.WriteBatch;

/**
 * The run documents in the emulator, read the way a dashboard would, for tests of runners in other processes; and
 * written directly (as another writer of the collection would), in batches of at most 500, for tests of readers.
 */
public final class EmulatorRuns {
    private static final int BATCH = 500;

    private final Firestore db;

    public EmulatorRuns(FirestoreEmulator emulator) {
        this.db = emulator.newClient();
    }

    /** Every run document, each with its id under {@code id}. */
    public List<Map<String, Object>> all() throws Exception {
        return db.collection("integrity_runs").get().get(10, TimeUnit.SECONDS).getDocuments().stream().map(d -> {
            Map<String, Object> data = new HashMap<>(d.getData());
            data.put("id", d.getId());
            return data;
        }).toList();
    }

    public Map<String, Object> read(String runId) throws Exception {
        var snap = db.collection("integrity_runs").document(runId).get().get(10, TimeUnit.SECONDS);
        if (!snap.exists()) {
            return null;
        }
        Map<String, Object> data = new HashMap<>(snap.getData());
        data.put("id", runId);
        return data;
    }

    /** The first run of this runner id, or null. */
    public Map<String, Object> firstOf(String runnerId) throws Exception {
        return all().stream().filter(r -> runnerId.equals(r.get("runner_id"))).findFirst().orElse(null);
    }

    /** Writes run documents (id to fields), 500 to a batch. */
    public void putAll(Map<String, Map<String, Object>> runs) throws Exception {
        CollectionReference coll = db.collection("integrity_runs");
        WriteBatch batch = db.batch();
        int inBatch = 0;
        for (Map.Entry<String, Map<String, Object>> run : runs.entrySet()) {
            batch.set(coll.document(run.getKey()), run.getValue());
            if (++inBatch == BATCH) {
                batch.commit().get(30, TimeUnit.SECONDS);
                batch = db.batch();
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            batch.commit().get(30, TimeUnit.SECONDS);
        }
    }

    public void put(String runId, Map<String, Object> doc) throws Exception {
        putAll(Map.of(runId, doc));
    }

    /** Writes issue documents under a run as the runner does: ids are the zero-padded seq, 500 to a batch. */
    public void putIssues(String runId, List<Map<String, Object>> issues) throws Exception {
        putUnder(runId, "issues", issues);
    }

    /** Writes documents under a run's subcollection ({@code issues}, {@code resolved}) as the runner does. */
    public void putUnder(String runId, String subcollection, List<Map<String, Object>> issues) throws Exception {
        CollectionReference coll = db.collection("integrity_runs").document(runId).collection(subcollection);
        for (int from = 0; from < issues.size(); from += BATCH) {
            WriteBatch batch = db.batch();
            for (int i = from; i < Math.min(issues.size(), from + BATCH); i++) {
                batch.set(coll.document(String.format("%06d", i)), issues.get(i));
            }
            batch.commit().get(30, TimeUnit.SECONDS);
        }
    }
}
