package com.airtableintegrity.airtable;

import java.time.Duration;

import com.airtableintegrity.config.IntegrityProperties;

/** The Airtable settings the page loop needs, in the units it uses (the base is each run's own). */
public record AirtableSettings(
        String token,
        int pageSize,
        Duration requestTimeout,
        int maxAttempts,
        Duration backoffInitial,
        Duration backoffMax,
        Duration retryBudget,
        Duration rateLimitWait,
        int rateLimitMaxAttempts,
        int iteratorRestarts) {

    public static AirtableSettings of(IntegrityProperties.Airtable a) {
        Duration requestTimeout = Duration.ofSeconds(a.getRequestTimeoutSeconds());
        return new AirtableSettings(
                a.getToken(),
                a.getPageSize(),
                requestTimeout,
                a.getMaxAttempts(),
                Duration.ofMillis(a.getBackoffInitialMillis()),
                Duration.ofMillis(a.getBackoffMaxMillis()),
                a.getRetryBudgetSeconds() > 0 ? Duration.ofSeconds(a.getRetryBudgetSeconds()) : requestTimeout,
                Duration.ofSeconds(a.getRateLimitWaitSeconds()),
                a.getRateLimitMaxAttempts(),
                a.getIteratorRestarts());
    }

    /** Never print the token. */
    @Override
    public String toString() {
        return "AirtableSettings[pageSize=" + pageSize + ", requestTimeout=" + requestTimeout + "]";
    }
}
