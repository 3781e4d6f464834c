package com.airtableintegrity.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;

import io.grpc.ManagedChannelBuilder;

/** Builds the Firestore client the store classes use; the runtime wiring calls it with the configured settings. */
public final class FirestoreClients {

    private static final Logger LOG = LoggerFactory.getLogger(FirestoreClients.class);
    static final String EMULATOR_ENV = "FIRESTORE_EMULATOR_HOST";

    private FirestoreClients() {
    }

    /**
     * A Firestore client for {@code projectId}. With an emulator host ("host:port") it connects to the emulator
     * (plaintext, the emulator's own credentials; never NoCredentials, which would silently reach production);
     * otherwise to production Firestore with the default Google credentials. Either way its channels reconnect as
     * soon as a call finds Firestore unavailable ({@link ReconnectOnUnavailable}), except when the environment
     * variable {@value #EMULATOR_ENV} is set: the Google client then builds the emulator channel itself, whatever
     * channel it is given, and that channel reconnects on gRPC's own backoff (up to 2 minutes after an outage).
     */
    public static Firestore connect(String projectId, String emulatorHostOrNull) {
        FirestoreOptions.Builder builder = FirestoreOptions.newBuilder();
        if (projectId != null && !projectId.isBlank()) {
            builder.setProjectId(projectId);
        }
        boolean emulator = emulatorHostOrNull != null && !emulatorHostOrNull.isBlank();
        String fromEnvironment = System.getenv(EMULATOR_ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            LOG.info("{} is set: the Firestore client builds the emulator channel itself (after an outage it "
                    + "reconnects on gRPC's backoff, up to 2 minutes)", EMULATOR_ENV);
            if (emulator) {
                builder.setEmulatorHost(emulatorHostOrNull); // the configured host, not the environment's
            }
            return builder.build().getService();
        }
        if (emulator) {
            builder.setChannelProvider(InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(emulatorHostOrNull)
                    .setChannelConfigurator(new ReconnectOnUnavailable(ManagedChannelBuilder::usePlaintext))
                    .build());
            builder.setCredentialsProvider(FixedCredentialsProvider.create(new FirestoreOptions.EmulatorCredentials()));
        } else {
            builder.setChannelProvider(FirestoreOptions.getDefaultTransportChannelProviderBuilder()
                    .setChannelConfigurator(new ReconnectOnUnavailable(null))
                    .build());
        }
        return builder.build().getService();
    }
}
