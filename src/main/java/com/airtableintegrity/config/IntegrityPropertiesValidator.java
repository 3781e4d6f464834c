package com.airtableintegrity.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.quartz.CronExpression;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Checks {@link IntegrityProperties} at startup. Every problem is reported at once, each naming the key
 * (and its environment variable where there is one), the value found and what is allowed.
 */
public final class IntegrityPropertiesValidator {

    /** {@code app} and 14 letters or digits, as in a base's URL; anything else fails every run on a Firestore path. */
    private static final Pattern BASE_ID = Pattern.compile("app[A-Za-z0-9]{14}");
    /** One Firestore collection id (no '/'), kept to a safe character set; {@code __name__} ids are reserved. */
    private static final Pattern COLLECTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final Pattern RESERVED_ID = Pattern.compile("__.*__");
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final List<String> problems = new ArrayList<>();

    private IntegrityPropertiesValidator() {
    }

    /** @throws InvalidConfigurationException listing every problem found */
    public static void validate(IntegrityProperties p) {
        IntegrityPropertiesValidator v = new IntegrityPropertiesValidator();
        v.check(p);
        if (!v.problems.isEmpty()) {
            throw new InvalidConfigurationException(v.problems);
        }
    }

    private void check(IntegrityProperties p) {
        IntegrityProperties.Airtable a = p.getAirtable();
        required("integrity.airtable.token (env AIRTABLE_TOKEN)", a.getToken(), false);
        baseId("integrity.airtable.base-id (env AIRTABLE_BASE_ID)", a.getBaseId());
        apiUrl("integrity.airtable.api-url (env AIRTABLE_API_URL)", a.getApiUrl());
        range("integrity.airtable.page-size", a.getPageSize(), 1, 100);
        positive("integrity.airtable.request-timeout-seconds (env AIRTABLE_REQUEST_TIMEOUT_SECONDS)",
                a.getRequestTimeoutSeconds());
        positive("integrity.airtable.connect-timeout-seconds", a.getConnectTimeoutSeconds());
        range("integrity.airtable.requests-per-second", a.getRequestsPerSecond(), 1, 100_000);
        positive("integrity.airtable.throttle-period-millis", a.getThrottlePeriodMillis());
        positive("integrity.airtable.max-attempts", a.getMaxAttempts());
        positive("integrity.airtable.backoff-initial-millis", a.getBackoffInitialMillis());
        if (a.getBackoffMaxMillis() < a.getBackoffInitialMillis()) {
            problems.add("integrity.airtable.backoff-max-millis must be >= integrity.airtable.backoff-initial-millis ("
                    + a.getBackoffInitialMillis() + "), was " + a.getBackoffMaxMillis());
        }
        range("integrity.airtable.retry-budget-seconds (0 = the request timeout)",
                a.getRetryBudgetSeconds(), 0, 86_400);
        range("integrity.airtable.rate-limit-wait-seconds", a.getRateLimitWaitSeconds(), 0, 3600);
        positive("integrity.airtable.rate-limit-max-attempts", a.getRateLimitMaxAttempts());
        range("integrity.airtable.iterator-restarts", a.getIteratorRestarts(), 0, 100);
        range("integrity.airtable.max-page-bytes (env AIRTABLE_MAX_PAGE_BYTES)",
                a.getMaxPageBytes(), 65_536, 1_073_741_824);

        positive("integrity.run.max-duration-seconds (env MAX_RUN_DURATION_SECONDS)",
                p.getRun().getMaxDurationSeconds());
        positive("integrity.run.heartbeat-interval-seconds (env HEARTBEAT_INTERVAL_SECONDS)",
                p.getRun().getHeartbeatIntervalSeconds());

        cron("integrity.schedule.cron (env INTEGRITY_SCHEDULE_CRON)", p.getSchedule().getCron());
        cron("integrity.sweep.cron (env INTEGRITY_SWEEP_CRON)", p.getSweep().getCron());
        positive("integrity.sweep.max-age-seconds (env HUNG_RUN_THRESHOLD_SECONDS)", p.getSweep().getMaxAgeSeconds());
        positive("integrity.sweep.heartbeat-stale-after-seconds (env HEARTBEAT_STALE_AFTER_SECONDS)",
                p.getSweep().getHeartbeatStaleAfterSeconds());
        if (p.getSweep().getHeartbeatStaleAfterSeconds() <= p.getRun().getHeartbeatIntervalSeconds()) {
            problems.add("integrity.sweep.heartbeat-stale-after-seconds ("
                    + p.getSweep().getHeartbeatStaleAfterSeconds()
                    + ") must be greater than integrity.run.heartbeat-interval-seconds ("
                    + p.getRun().getHeartbeatIntervalSeconds()
                    + "), or live runs would be swept");
        }
        if (p.getSweep().getMaxAgeSeconds() < p.getRun().getMaxDurationSeconds()) {
            problems.add("integrity.sweep.max-age-seconds (env HUNG_RUN_THRESHOLD_SECONDS, "
                    + p.getSweep().getMaxAgeSeconds() + ") must not be below integrity.run.max-duration-seconds "
                    + "(env MAX_RUN_DURATION_SECONDS, " + p.getRun().getMaxDurationSeconds()
                    + "), or the sweep would time out healthy runs before their own deadline");
        }

        required("integrity.firestore.project-id (env GOOGLE_CLOUD_PROJECT)", p.getFirestore().getProjectId(), true);
        collection("integrity.firestore.collection (env INTEGRITY_RUNS_COLLECTION)", p.getFirestore().getCollection());
        positive("integrity.firestore.call-timeout-seconds (env FIRESTORE_CALL_TIMEOUT_SECONDS)",
                p.getFirestore().getCallTimeoutSeconds());
        positive("integrity.firestore.finish-attempts", p.getFirestore().getFinishAttempts());
        range("integrity.issues.max-stored (env INTEGRITY_ISSUES_MAX_STORED)",
                p.getIssues().getMaxStored(), 0, 1_000_000);

        range("integrity.api.start-burst (env INTEGRITY_API_START_BURST)", p.getApi().getStartBurst(), 1, 1000);
        range("integrity.api.start-per-minute (env INTEGRITY_API_START_PER_MINUTE)",
                p.getApi().getStartPerMinute(), 1, 6000);
        range("integrity.api.max-body-bytes (env INTEGRITY_API_MAX_BODY_BYTES)",
                p.getApi().getMaxBodyBytes(), 1024, 10_485_760);
        range("integrity.shutdown.timeout-seconds (env INTEGRITY_SHUTDOWN_TIMEOUT_SECONDS)",
                p.getShutdown().getTimeoutSeconds(), 1, 3600);

        tables(p.getTables());
    }

    private void tables(List<TableSpec> tables) {
        if (tables.isEmpty()) {
            problems.add("integrity.tables must list at least one table to scan");
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < tables.size(); i++) {
            String name = tables.get(i).getName();
            if (name == null || name.isBlank()) {
                problems.add("integrity.tables[" + i + "].name is required");
            } else if (!names.add(name)) {
                problems.add("integrity.tables[" + i + "].name '" + name + "' is configured twice");
            }
        }
        for (int i = 0; i < tables.size(); i++) {
            List<RuleSpec> rules = tables.get(i).getRules();
            for (int j = 0; j < rules.size(); j++) {
                rule("integrity.tables[" + i + "].rules[" + j + "]", rules.get(j), names);
            }
        }
    }

    private void rule(String key, RuleSpec r, Set<String> tableNames) {
        if (r.getType() == null || !RuleSpec.TYPES.contains(r.getType())) {
            problems.add(key + ".type '" + r.getType() + "' is not a rule type; allowed: "
                    + String.join(", ", RuleSpec.TYPES));
            return;
        }
        if (r.getField() == null || r.getField().isBlank()) {
            problems.add(key + ".field is required for rule type " + r.getType());
        }
        switch (r.getType()) {
            case "allowed_values" -> {
                if (r.getValues().isEmpty()) {
                    problems.add(key + ".values must list at least one allowed value");
                }
            }
            case "links_to" -> {
                if (r.getTable() == null || !tableNames.contains(r.getTable())) {
                    problems.add(key + ".table '" + r.getTable() + "' is not a configured table; configured: "
                            + String.join(", ", tableNames));
                }
            }
            case "pattern" -> {
                if (r.getRegex() == null || r.getRegex().isEmpty()) {
                    problems.add(key + ".regex is required for rule type pattern");
                } else {
                    regex(key + ".regex", r.getRegex());
                }
            }
            default -> {
            }
        }
    }

    private void required(String key, String value, boolean showValue) {
        if (value == null || value.isBlank()) {
            problems.add(key + " is required" + (showValue ? "" : " (the value is secret and never printed)"));
        }
    }

    private void positive(String key, int value) {
        if (value <= 0) {
            problems.add(key + " must be a positive number, was " + value);
        }
    }

    private void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(key + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private void baseId(String key, String value) {
        required(key, value, true);
        if (value != null && !value.isBlank() && !BASE_ID.matches(value)) {
            problems.add(key + " '" + value + "' is not an Airtable base id: 'app' followed by 14 letters or digits, "
                    + "as in the base's URL (https://airtable.com/appXXXXXXXXXXXXXX/...)");
        }
    }

    private void collection(String key, String value) {
        required(key, value, true);
        if (value != null && !value.isBlank() && (!COLLECTION_ID.matches(value) || RESERVED_ID.matches(value))) {
            problems.add(key + " '" + value + "' is not a valid Firestore collection id: 1 to 100 characters from "
                    + "A-Z, a-z, 0-9, '_' and '-' (one collection, no '/'), and not of the reserved form __name__");
        }
    }

    /** https, or http only to this machine: the token travels in a header, which plain http sends in clear. */
    private void apiUrl(String key, String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (RuntimeException e) {
            uri = null;
        }
        boolean web = uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        if (!web || uri.getHost() == null) {
            problems.add(key + " must be an http(s) URL such as https://api.airtable.com, was '" + value + "'");
        } else if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
            problems.add(key + " '" + value + "' must use https: the Airtable token would be sent in clear over http, "
                    + "which is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost)");
        }
    }

    /** Decides from the literal only: a name other than localhost is never resolved, so DNS cannot vouch for it. */
    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (IPV4_LITERAL.matches(host)) {
            String[] octets = host.split("\\.");
            for (String octet : octets) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (host.startsWith("[")) { // java.net.URI only accepts a valid IPv6 literal between brackets
            try {
                return InetAddress.getByName(host).isLoopbackAddress(); // parsed, never looked up
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** The pattern rule runs RE2/J (linear time), so the regex must compile there, not just in java.util.regex. */
    private void regex(String key, String regex) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            String why = e.getPattern() == null ? e.getDescription()
                    : e.getDescription() + ": `" + e.getPattern() + "`";
            if (isJavaRegex(regex)) {
                problems.add(key + " '" + regex + "' is not supported: " + why + "; patterns use RE2 syntax "
                        + "(no backreferences or lookaround), which always runs in linear time");
            } else {
                problems.add(key + " '" + regex + "' is not a valid regular expression: " + why);
            }
        }
    }

    /**
     * Only tells a plain syntax error (rejected by both engines) from a feature RE2 leaves out, so that the message
     * says which. Compiling never matches anything, so this cannot backtrack.
     */
    private static boolean isJavaRegex(String regex) {
        try {
            java.util.regex.Pattern.compile(regex);
            return true;
        } catch (java.util.regex.PatternSyntaxException e) {
            return false;
        }
    }

    private void cron(String key, String value) {
        if (value == null || !CronExpression.isValidExpression(value)) {
            String why;
            try {
                CronExpression.validateExpression(value);
                why = "";
            } catch (Exception e) {
                why = ": " + e.getMessage();
            }
            problems.add(key + " '" + value + "' is not a valid Quartz cron expression (six or seven fields: "
                    + "sec min hour day-of-month month day-of-week [year], e.g. '0 0 * * * ?')" + why);
        }
    }
}
