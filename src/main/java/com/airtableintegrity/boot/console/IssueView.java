package com.airtableintegrity.boot.console;

import java.time.Instant;
import java.util.Map;

/**
 * One row of a run's issue list, ready to print: a stored issue ({@code integrity_runs/{runId}/issues/{seq}}) or a
 * resolved one ({@code .../resolved/{seq}}). {@code recordUrl} is the issue's {@code record_url} when that is a link
 * into Airtable ({@value #AIRTABLE}...), else null, and the record id is shown as plain text; {@code openFor} is how
 * long the issue had been open when the run started ({@link OpenFor}). Documents written before the run-to-run diff
 * have no state and no first sighting: those cells are empty.
 */
public record IssueView(String id, String seq, String table, String recordId, String recordUrl, String field,
                        String rule, String value, String message, String state, String stateLabel,
                        String openFor, Display.Time firstSeen, String firstSeenRunId) {
    /** The only links the page makes of a {@code record_url}. */
    static final String AIRTABLE = "https://airtable.com/";

    /** The row of {@code issue}, whose run started at {@code runStart} (null if unknown). */
    static IssueView of(Map<String, Object> issue, Instant runStart) {
        String state = Display.text(issue.get("state"));
        Instant firstSeen = Display.instant(issue.get("first_seen_at"));
        return new IssueView(Display.text(issue.get("id")), Display.text(issue.get("seq")),
                Display.text(issue.get("table")), Display.text(issue.get("record_id")),
                issue.get("record_url") instanceof String url && url.startsWith(AIRTABLE) ? url : null,
                Display.text(issue.get("field")), Display.text(issue.get("rule")), Display.text(issue.get("value")),
                Display.text(issue.get("message")), state, state.isEmpty() ? "" : Display.statusLabel(state),
                OpenFor.between(firstSeen, runStart), Display.Time.of(firstSeen),
                Display.text(issue.get("first_seen_run_id")));
    }

    /** What hovering "Open for" tells: when and in which run the issue was first seen; null when unknown. */
    public String firstSeenTitle() {
        return firstSeen == null ? null : "first seen " + firstSeen.utc() + " in run " + firstSeenRunId;
    }
}
