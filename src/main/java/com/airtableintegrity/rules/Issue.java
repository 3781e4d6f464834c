package com.airtableintegrity.rules;

/**
 * One integrity problem found in one record, as stored under the run
 * ({@code integrity_runs/{runId}/issues/{issueId}}).
 * <p>
 * Every string field is bounded here, whoever builds the issue: an issue is a Firestore document, and one whose
 * message embedded a 1.1 MB value was rejected as too large. Longer text is cut by {@link Values#truncate}: it keeps
 * a prefix (never half of a surrogate pair) followed by {@code …}, and the result is at most the limit.
 *
 * @param table    the Airtable table name (at most {@link #MAX_TABLE} characters)
 * @param recordId the Airtable record id ({@code rec...}; at most {@link #MAX_RECORD_ID} characters)
 * @param field    the field the rule checks (at most {@link #MAX_FIELD} characters)
 * @param rule     the rule kind: {@code required}, {@code unique}, {@code allowed_values}, {@code links_to}, {@code
 * pattern}
 *                 (at most {@link #MAX_RULE} characters)
 * @param value    a short excerpt of the offending value (at most {@link #MAX_VALUE} characters), or {@code null} when
 *                 the field is empty
 * @param message  a human-readable explanation (at most {@link #MAX_MESSAGE} characters)
 */
public record Issue(String table, String recordId, String field, String rule, String value, String message) {
    public static final int MAX_TABLE = 200;
    public static final int MAX_RECORD_ID = 200;
    public static final int MAX_FIELD = 200;
    public static final int MAX_RULE = 200;
    public static final int MAX_VALUE = 200;
    public static final int MAX_MESSAGE = 1000;

    public Issue {
        table = Values.truncate(table, MAX_TABLE);
        recordId = Values.truncate(recordId, MAX_RECORD_ID);
        field = Values.truncate(field, MAX_FIELD);
        rule = Values.truncate(rule, MAX_RULE);
        value = Values.truncate(value, MAX_VALUE);
        message = Values.truncate(message, MAX_MESSAGE);
    }

    /** Cuts any text bound for a stored document the same way (e.g. a run's error message). */
    public static String cut(String text, int max) {
        return Values.truncate(text, max);
    }
}
