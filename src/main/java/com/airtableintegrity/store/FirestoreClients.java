package com.airtableintegrity.store;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;

/** Builds the Firestore client the store classes use; the runtime wiring calls it with the configured settings. */
public final class FirestoreClients {

    private FirestoreClients() {
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
}
