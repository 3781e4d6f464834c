package com.airtableintegrity.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.cloud.firestore.Firestore;

/** The run documents in the emulator, read the way a dashboard would, for tests of runners in other processes. */
public final class EmulatorRuns {
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
}
