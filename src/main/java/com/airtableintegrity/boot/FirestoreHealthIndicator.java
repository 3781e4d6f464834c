package com.airtableintegrity.boot;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import com.airtableintegrity.store.RunReads;

/**
 * Health {@code firestore}: UP when one bounded read of the run collection answers. Part of the readiness group, so
 * a runner that cannot record runs does not report ready.
 */
public final class FirestoreHealthIndicator extends AbstractHealthIndicator {
    private final RunReads store;

    public FirestoreHealthIndicator(RunReads store) {
        super("Firestore is not reachable");
        this.store = store;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        store.ping();
        builder.up().withDetail("collection", store.collection());
    }
}
