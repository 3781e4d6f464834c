package com.airtableintegrity.faults;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import com.airtableintegrity.support.FirestoreEmulator;
import com.google.cloud.firestore.Firestore;

class ScratchProbeTest {
    @Test
    void probe() throws Exception {
        FirestoreEmulator e = FirestoreEmulator.startNew();
        long t0 = System.nanoTime();
        try (Firestore db = e.newClient()) {
            db.collection("x").document("a").set(Map.of("k", 1)).get(10, TimeUnit.SECONDS);
            e.restart();
            System.out.println("RESTART took ms " + (System.nanoTime() - t0) / 1_000_000);
            var snap = db.collection("x").document("a").get().get(20, TimeUnit.SECONDS);
            System.out.println("AFTER RESTART exists=" + snap.exists());
        } finally {
            e.stop();
        }
    }
}
