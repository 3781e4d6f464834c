package com.airtableintegrity.hung;

import static com.airtableintegrity.store.RunCollection.toTimestamp;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.airtableintegrity.store.RunCollection;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/** Run documents written or read directly in the emulator, for the hung-run tests. */
final class HungRunDocs {
    static final String RUNS = "integrity_runs";

    private HungRunDocs() {
    }

    /** A run document as {@code RunTransactions.startRun} writes it, with the status and times of our choosing. */
    static Map<String, Object> runDoc(String status, String runnerId, Instant startedAt, Instant heartbeatAt) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", status);
        doc.put("started_at", toTimestamp(startedAt));
        doc.put("heartbeat_at", toTimestamp(heartbeatAt));
        doc.put("trigger", "schedule");
        doc.put("base_id", "appSEEDEDBASE0001");
        doc.put("tables", List.of("T"));
        doc.put("runner_id", runnerId);
        doc.put("max_duration_seconds", 1800L);
        doc.put("cancel_requested", false);
        return doc;
    }

    static void put(Firestore db, String runId, Map<String, Object> doc) throws Exception {
        db.collection(RUNS).document(runId).set(doc).get(10, TimeUnit.SECONDS);
    }

    static List<QueryDocumentSnapshot> all(Firestore db) throws Exception {
        return db.collection(RUNS).get().get(10, TimeUnit.SECONDS).getDocuments();
    }

    static List<QueryDocumentSnapshot> ofRunner(Firestore db, String runnerId) throws Exception {
        return db.collection(RUNS).whereEqualTo("runner_id", runnerId).get().get(10, TimeUnit.SECONDS).getDocuments();
    }

    static int issueCount(Firestore db, String runId) throws Exception {
        return db.collection(RUNS).document(runId).collection("issues").get().get(10, TimeUnit.SECONDS).size();
    }

    static Instant instant(Object timestamp) {
        return RunCollection.toInstant((Timestamp) timestamp);
    }
}
