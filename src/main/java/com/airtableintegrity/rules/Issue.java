package com.airtableintegrity.rules;

/**
 * One integrity problem found in one record, as stored under the run
 * ({@code integrity_runs/{runId}/issues/{issueId}}).
 *
 * @param table    the Airtable table name
 * @param recordId the Airtable record id ({@code rec...})
 * @param field    the field the rule checks
 * @param rule     the rule kind: {@code required}, {@code unique}, {@code allowed_values}, {@code links_to}, {@code pattern}
 * @param value    a short excerpt of the offending value (at most 200 characters), or {@code null} when the field is empty
 * @param message  a human-readable explanation
 */
public record Issue(String table, String recordId, String field, String rule, String value, String message) {
}
