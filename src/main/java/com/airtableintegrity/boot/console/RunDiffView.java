package com.airtableintegrity.boot.console;

import java.util.List;
import java.util.Map;

/**
 * A run compared with its baseline, as its document says (the fields the run-to-run diff writes at the end of a
 * run): the exact counts of new, persisting, resolved and first-run issues, the baseline run, or why there was none,
 * and the tables that could not be compared. {@link #of} answers null for a document without them (a run still
 * running, or one written before the diff existed): the pages then show nothing of the diff.
 */
public record RunDiffView(String issuesNew, String issuesPersisting, String issuesResolved, String issuesFirstRun,
                          String issuesResolvedStored, String baselineRunId, String noneBecause,
                          List<String> tablesNotCompared) {

    /** The diff of a run document, or null when it has none. */
    static RunDiffView of(Map<String, Object> doc) {
        if (!doc.containsKey("issues_new") && !doc.containsKey("baseline")) {
            return null;
        }
        String noneBecause = doc.get("baseline") instanceof Map<?, ?> baseline
                ? Display.text(baseline.get("none_because")) : "";
        return new RunDiffView(Display.number(doc.get("issues_new")), Display.number(doc.get("issues_persisting")),
                Display.number(doc.get("issues_resolved")), Display.number(doc.get("issues_first_run")),
                Display.number(doc.get("issues_resolved_stored")),
                doc.get("baseline_run_id") instanceof String id && !id.isEmpty() ? id : null, noneBecause,
                doc.get("tables_not_compared") instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                        : List.of());
    }

    /** Whether the run had a baseline to be compared with (then its new and resolved counts mean something). */
    public boolean compared() {
        return baselineRunId != null;
    }
}
