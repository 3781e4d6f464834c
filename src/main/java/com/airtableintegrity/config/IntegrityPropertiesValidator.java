package com.airtableintegrity.config;

/**
 * Checks {@link IntegrityProperties} at startup. Every problem is reported at once, each naming the key
 * (and its environment variable where there is one), the value found and what is allowed.
 */
public final class IntegrityPropertiesValidator {
    /** The key of the cap on schedule documents, as messages name it. */
    public static final String MAX_STORED_SCHEDULES_KEY =
            "integrity.schedule.max-stored (env INTEGRITY_SCHEDULE_MAX_STORED)";

    private final Checks checks = new Checks();

    private IntegrityPropertiesValidator() {
    }

    /** @throws InvalidConfigurationException listing every problem found */
    public static void validate(IntegrityProperties p) {
        IntegrityPropertiesValidator v = new IntegrityPropertiesValidator();
        v.check(p);
        if (!v.checks.problems().isEmpty()) {
            throw new InvalidConfigurationException(v.checks.problems());
        }
    }

    private void check(IntegrityProperties p) {
        IntegrityProperties.Airtable a = p.getAirtable();
        checks.required("integrity.airtable.token (env AIRTABLE_TOKEN)", a.getToken(), false);
        checks.baseId("integrity.airtable.base-id (env AIRTABLE_BASE_ID)", a.getBaseId());
        checks.apiUrl("integrity.airtable.api-url (env AIRTABLE_API_URL)", a.getApiUrl());
        checks.range("integrity.airtable.page-size", a.getPageSize(), 1, 100);
        checks.positive("integrity.airtable.request-timeout-seconds (env AIRTABLE_REQUEST_TIMEOUT_SECONDS)",
                a.getRequestTimeoutSeconds());
        checks.positive("integrity.airtable.connect-timeout-seconds", a.getConnectTimeoutSeconds());
        checks.positive("integrity.airtable.schema-read-timeout-seconds", a.getSchemaReadTimeoutSeconds());
        checks.range("integrity.airtable.requests-per-second", a.getRequestsPerSecond(), 1, 100_000);
        checks.range("integrity.airtable.token-requests-per-second (env AIRTABLE_TOKEN_REQUESTS_PER_SECOND)",
                a.getTokenRequestsPerSecond(), 1, 10_000); // Camel's throttle holds one permit object per request
        checks.positive("integrity.airtable.throttle-period-millis", a.getThrottlePeriodMillis());
        checks.positive("integrity.airtable.max-attempts", a.getMaxAttempts());
        checks.positive("integrity.airtable.backoff-initial-millis", a.getBackoffInitialMillis());
        if (a.getBackoffMaxMillis() < a.getBackoffInitialMillis()) {
            checks.add("integrity.airtable.backoff-max-millis must be >= integrity.airtable.backoff-initial-millis ("
                    + a.getBackoffInitialMillis() + "), was " + a.getBackoffMaxMillis());
        }
        checks.range("integrity.airtable.retry-budget-seconds (0 = the request timeout)",
                a.getRetryBudgetSeconds(), 0, 86_400);
        checks.range("integrity.airtable.rate-limit-wait-seconds", a.getRateLimitWaitSeconds(), 0, 3600);
        checks.positive("integrity.airtable.rate-limit-max-attempts", a.getRateLimitMaxAttempts());
        checks.range("integrity.airtable.iterator-restarts", a.getIteratorRestarts(), 0, 100);
        checks.range("integrity.airtable.max-page-bytes (env AIRTABLE_MAX_PAGE_BYTES)",
                a.getMaxPageBytes(), 65_536, 1_073_741_824);

        checks.positive("integrity.run.max-duration-seconds (env MAX_RUN_DURATION_SECONDS)",
                p.getRun().getMaxDurationSeconds());
        checks.positive("integrity.run.heartbeat-interval-seconds (env HEARTBEAT_INTERVAL_SECONDS)",
                p.getRun().getHeartbeatIntervalSeconds());
        checks.range("integrity.run.table-threads (env INTEGRITY_RUN_TABLE_THREADS)", p.getRun().getTableThreads(),
                1, 2000);

        checks.cron("integrity.schedule.cron (env INTEGRITY_SCHEDULE_CRON)", p.getSchedule().getCron());
        checks.range("integrity.schedule.min-interval-seconds (env INTEGRITY_SCHEDULE_MIN_INTERVAL_SECONDS)",
                p.getSchedule().getMinIntervalSeconds(), 1, 86_400);
        checks.range("integrity.schedule.threads (env INTEGRITY_SCHEDULE_THREADS)", p.getSchedule().getThreads(),
                1, 1000);
        checks.range(MAX_STORED_SCHEDULES_KEY, p.getSchedule().getMaxStored(), 1, 10_000);
        checks.cron("integrity.sweep.cron (env INTEGRITY_SWEEP_CRON)", p.getSweep().getCron());
        checks.positive("integrity.sweep.max-age-seconds (env HUNG_RUN_THRESHOLD_SECONDS)",
                p.getSweep().getMaxAgeSeconds());
        checks.positive("integrity.sweep.heartbeat-stale-after-seconds (env HEARTBEAT_STALE_AFTER_SECONDS)",
                p.getSweep().getHeartbeatStaleAfterSeconds());
        if (p.getSweep().getHeartbeatStaleAfterSeconds() <= p.getRun().getHeartbeatIntervalSeconds()) {
            checks.add("integrity.sweep.heartbeat-stale-after-seconds ("
                    + p.getSweep().getHeartbeatStaleAfterSeconds()
                    + ") must be greater than integrity.run.heartbeat-interval-seconds ("
                    + p.getRun().getHeartbeatIntervalSeconds()
                    + "), or live runs would be swept");
        }
        if (p.getSweep().getMaxAgeSeconds() < p.getRun().getMaxDurationSeconds()) {
            checks.add("integrity.sweep.max-age-seconds (env HUNG_RUN_THRESHOLD_SECONDS, "
                    + p.getSweep().getMaxAgeSeconds() + ") must not be below integrity.run.max-duration-seconds "
                    + "(env MAX_RUN_DURATION_SECONDS, " + p.getRun().getMaxDurationSeconds()
                    + "), or the sweep would time out healthy runs before their own deadline");
        }

        checks.required("integrity.firestore.project-id (env GOOGLE_CLOUD_PROJECT)",
                p.getFirestore().getProjectId(), true);
        checks.collection("integrity.firestore.collection (env INTEGRITY_RUNS_COLLECTION)",
                p.getFirestore().getCollection());
        checks.collection("integrity.firestore.schedules-collection (env INTEGRITY_SCHEDULES_COLLECTION)",
                p.getFirestore().getSchedulesCollection());
        checks.positive("integrity.firestore.call-timeout-seconds (env FIRESTORE_CALL_TIMEOUT_SECONDS)",
                p.getFirestore().getCallTimeoutSeconds());
        checks.positive("integrity.firestore.finish-attempts", p.getFirestore().getFinishAttempts());
        checks.range("integrity.issues.max-stored (env INTEGRITY_ISSUES_MAX_STORED)",
                p.getIssues().getMaxStored(), 0, 1_000_000);

        checks.range("integrity.api.start-burst (env INTEGRITY_API_START_BURST)", p.getApi().getStartBurst(), 1, 1000);
        checks.range("integrity.api.start-per-minute (env INTEGRITY_API_START_PER_MINUTE)",
                p.getApi().getStartPerMinute(), 1, 6000);
        checks.range("integrity.api.max-body-bytes (env INTEGRITY_API_MAX_BODY_BYTES)",
                p.getApi().getMaxBodyBytes(), 1024, 10_485_760);
        checks.range("integrity.api.max-schedule-body-bytes (env INTEGRITY_API_MAX_SCHEDULE_BODY_BYTES)",
                p.getApi().getMaxScheduleBodyBytes(), 1024, 10_485_760);
        checks.range("integrity.shutdown.timeout-seconds (env INTEGRITY_SHUTDOWN_TIMEOUT_SECONDS)",
                p.getShutdown().getTimeoutSeconds(), 1, 3600);

        checks.tables("integrity.tables", p.getTables());
        NotifyValidator.settings(checks, p.getNotify());
        NotifyValidator.notifyList(checks, "integrity.schedule.notify", p.getSchedule().getNotify(),
                p.getNotify().getChannels().keySet());
        String publicUrl = p.getConsole().getPublicUrl();
        if (publicUrl != null && !publicUrl.isBlank()) {
            checks.consoleUrl("integrity.console.public-url (env INTEGRITY_CONSOLE_PUBLIC_URL)", publicUrl);
        }
    }
}
