package com.airtableintegrity.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.diff.IssueState;
import com.airtableintegrity.diff.RunDiff;
import com.airtableintegrity.rules.Issue;
import com.airtableintegrity.store.IssueStates;
import com.airtableintegrity.store.IssueWriter;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunStoreException;
import com.airtableintegrity.store.RunTransactions;

/**
 * What changed since the last run, at a run's close: compares the run's issues with its baseline ({@link RunDiff}),
 * puts the exact counts on the run document's fields, gives each stored issue its state, stores the resolved issues
 * (capped like the issues), and, for a run that ends {@code success} or {@code warning}, writes its issue state for
 * the next run and names the chain to move to it with the terminal status.
 */
public final class RunHistory {
    private static final Logger LOG = LoggerFactory.getLogger(RunHistory.class);
    public static final String RESOLVED_SUBCOLLECTION = "resolved";

    private final IssueStates states;
    private final IssueWriter writer;
    private final int maxStored;

    public RunHistory(IssueStates states, IssueWriter writer, int maxStored) {
        this.states = states;
        this.writer = writer;
        this.maxStored = maxStored;
    }

    /**
     * The run's baseline, read when it starts (Firestore has just answered its start, and a close during an outage
     * then spends no call on it). Never throws: what cannot be read is a {@link IssueStates.None} with why.
     */
    public IssueStates.Baseline baseline(RunContext run) {
        return states.load(IssueStates.chain(run.scheduleId()), run.baseId());
    }

    /** Compares the run with its baseline and puts the diff's counts into {@code fields} (the terminal write's). */
    public RunDiff compare(RunContext run, IssueStates.Baseline baseline, Set<String> finished,
                           Map<String, Object> fields) {
        if (baseline == null) {
            baseline = new IssueStates.None("the run's baseline was not read");
        }
        IssueState before = baseline instanceof IssueStates.Found found ? found.state() : null;
        Map<String, List<String>> rules = new LinkedHashMap<>();
        for (String table : run.tables()) {
            rules.put(table, List.copyOf(run.rules().table(table).counts().keySet()));
        }
        RunDiff diff = RunDiff.compute(run.runId(), run.baseId(), run.recordedStart(), before, rules, finished,
                run.issues().identities(), maxStored);
        fields.putAll(diff.total().toDocument());
        Map<String, Object> described = new LinkedHashMap<>();
        if (before != null) {
            described.put("run_id", before.runId());
            fields.put("baseline_run_id", before.runId());
        } else {
            String reason = ((IssueStates.None) baseline).reason();
            described.put("run_id", null);
            described.put("none_because", reason);
            fields.put("baseline_run_id", null);
            LOG.info("Run {}: no baseline ({}): every issue counts as first_run", run.runId(), reason);
        }
        fields.put("baseline", described);
        fields.put("tables_not_compared", diff.notCompared());
        if (fields.get("table_results") instanceof Map<?, ?> results) {
            diff.tables().forEach((table, result) -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> doc = (Map<String, Object>) results.get(table);
                if (doc != null) {
                    doc.put("compared", result.compared());
                    doc.putAll(result.total().toDocument());
                    Map<String, Object> byRule = new LinkedHashMap<>();
                    result.byRule().forEach((key, counts) -> byRule.put(key, counts.toDocument()));
                    doc.put("diff_by_rule", byRule);
                }
            });
        }
        return diff;
    }

    /**
     * The fields a stored issue gets from the diff: {@code state}, {@code first_seen_at}, {@code first_seen_run_id},
     * and {@code record_url} when the run knows its table's id.
     */
    public static Map<String, Object> issueFields(RunContext run, RunDiff diff, Issue issue) {
        RunDiff.Classified c = diff.classify(issue);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", c.state());
        m.put("first_seen_at", RunCollection.toTimestamp(c.firstSeen().at()));
        m.put("first_seen_run_id", c.firstSeen().runId());
        putRecordUrl(m, run, issue.table(), issue.recordId());
        return m;
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    /**
     * {@code https://airtable.com/{baseId}/{tableId}/{recordId}}, the record's page in Airtable, when the run read its
     * base's schema and every part is a plain id (nothing else ever goes into the link).
     */
    static void putRecordUrl(Map<String, Object> doc, RunContext run, String table, String recordId) {
        String tableId = run.tableIds().get(table);
        if (tableId != null && ID.matcher(tableId).matches() && ID.matcher(run.baseId()).matches()
                && recordId != null && ID.matcher(recordId).matches()) {
            doc.put("record_url", "https://airtable.com/" + run.baseId() + "/" + tableId + "/" + recordId);
        }
    }

    /**
     * Stores the first resolved issues under the run ({@code <runs>/{runId}/resolved/{seq}}) and sets
     * {@code issues_resolved_stored} (and {@code resolved_store_error} when that failed).
     */
    public void storeResolved(RunContext run, RunDiff diff, Map<String, Object> fields) {
        List<Map<String, Object>> docs = diff.resolved().stream().map(r -> {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("table", r.table());
            doc.put("record_id", r.recordId());
            doc.put("field", r.field());
            doc.put("rule", r.rule());
            doc.put("state", "resolved");
            doc.put("first_seen_at", RunCollection.toTimestamp(r.firstSeen().at()));
            doc.put("first_seen_run_id", r.firstSeen().runId());
            putRecordUrl(doc, run, r.table(), r.recordId());
            return doc;
        }).toList();
        long stored = 0;
        try {
            stored = writer.write(run.runId(), RESOLVED_SUBCOLLECTION, numbered(docs));
        } catch (IssueWriter.IssuesWriteException e) {
            stored = e.written();
            fields.put("resolved_store_error", e.getMessage());
            LOG.warn("Run {}: storing its resolved issues failed after {} of {}: {}", run.runId(), e.written(),
                    docs.size(), e.getMessage());
        }
        fields.put("issues_resolved_stored", stored);
    }

    private static List<Map<String, Object>> numbered(List<Map<String, Object>> docs) {
        for (int i = 0; i < docs.size(); i++) {
            docs.get(i).put("seq", (long) i);
        }
        return docs;
    }

    /**
     * Prepares the run's issue state for the next run and returns the chain to move with its terminal status: a small
     * state goes in that same commit; a large one is written ahead, and when that fails the previous baseline stays
     * in force ({@code issue_state_error} says why) and null is returned.
     */
    public RunTransactions.ChainAdvance keepState(RunContext run, RunDiff diff, Map<String, Object> fields) {
        IssueStates.Prepared prepared = states.prepare(diff.next());
        String chain = IssueStates.chain(run.scheduleId());
        if (!prepared.inline()) {
            try {
                states.writeAhead(prepared);
            } catch (RunStoreException e) {
                fields.put("issue_state_error", e.getMessage());
                LOG.warn("Run {}: writing its issue state failed ({}): the previous baseline stays in force",
                        run.runId(), e.getMessage());
                return null;
            }
        }
        fields.put(IssueStates.ISSUE_STATE, prepared.manifest().toDocument());
        return new RunTransactions.ChainAdvance(chain, run.baseId(),
                prepared.inline() ? prepared.documents() : List.of());
    }
}
