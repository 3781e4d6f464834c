package com.airtableintegrity.diff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.airtableintegrity.diff.IssueState.RuleIssues;
import com.airtableintegrity.diff.IssueState.Seen;
import com.airtableintegrity.rules.Issue;

/**
 * What changed between a run and its baseline (the latest earlier {@code success}/{@code warning} run of its
 * schedule), exactly, for every issue found, not only those stored.
 * <ul>
 *   <li>An issue found whose rule the baseline evaluated on that table is {@code new} when the baseline had no issue
 *       of that identity, else {@code persisting} (first seen when the baseline's issue was). An issue of a rule or
 *       table the baseline did not evaluate is {@code first_run}: adding a rule is not an outbreak.</li>
 *   <li>A baseline issue is {@code resolved} when the run read its table to the end, still has its rule, and found no
 *       issue of that identity (a deleted record resolves its issues). A table the run did not finish resolves
 *       nothing; a rule removed resolves nothing.</li>
 * </ul>
 * Counts of found issues count issues (so {@code new + persisting + first_run = issues_found}); resolved counts
 * identities. The {@link #next() state} holds the tables this run finished, for the run after it.
 */
public final class RunDiff {
    /** The states a found issue can have. */
    public static final String NEW = "new";
    public static final String PERSISTING = "persisting";
    public static final String FIRST_RUN = "first_run";

    /** Exact counts of one rule, one table, or the run. */
    public record Counts(long newIssues, long persisting, long firstRun, long resolved) {
        static final Counts ZERO = new Counts(0, 0, 0, 0);

        Counts plus(Counts o) {
            return new Counts(newIssues + o.newIssues, persisting + o.persisting, firstRun + o.firstRun,
                    resolved + o.resolved);
        }

        /** As the run document holds them: {@code issues_new}, {@code issues_persisting}, ... */
        public Map<String, Object> toDocument() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("issues_new", newIssues);
            m.put("issues_persisting", persisting);
            m.put("issues_resolved", resolved);
            m.put("issues_first_run", firstRun);
            return m;
        }
    }

    /** A found issue's state and the run that first saw its identity. */
    public record Classified(String state, Seen firstSeen) {
    }

    /** A baseline issue the run no longer found. */
    public record Resolved(String table, String ruleKey, String recordId, Seen firstSeen) {
        /** The rule type (before the first ':' of the key). */
        public String rule() {
            return ruleKey.substring(0, ruleKey.indexOf(':'));
        }

        /** The field (after the first ':' of the key). */
        public String field() {
            return ruleKey.substring(ruleKey.indexOf(':') + 1);
        }
    }

    /** One table's result: whether it was compared with the baseline, and its counts by rule key. */
    public record TableDiff(boolean compared, Map<String, Counts> byRule) {
        public Counts total() {
            return byRule.values().stream().reduce(Counts.ZERO, Counts::plus);
        }
    }

    private final IssueState baseline;
    private final Seen thisRun;
    private final Map<String, TableDiff> tables = new LinkedHashMap<>();
    private final List<Resolved> resolved = new ArrayList<>();
    private final Map<String, Map<String, RuleIssues>> next = new LinkedHashMap<>();
    private final String runId;
    private final String baseId;

    private RunDiff(String runId, String baseId, IssueState baseline, Instant startedAt) {
        this.runId = runId;
        this.baseId = baseId;
        this.baseline = baseline;
        this.thisRun = new Seen(runId, startedAt);
    }

    /**
     * @param baseline    the baseline's state, or null when there is none (every issue is then {@code first_run})
     * @param rules       each table of the run → the rule keys configured on it, in order
     * @param finished    the tables the run read to the end
     * @param found       every issue the run found
     * @param maxResolved how many resolved issues to keep for storage (their count is exact regardless)
     */
    public static RunDiff compute(String runId, String baseId, Instant startedAt, IssueState baseline,
                                  Map<String, List<String>> rules, Set<String> finished, IssueIdentities found,
                                  int maxResolved) {
        RunDiff diff = new RunDiff(runId, baseId, baseline, startedAt);
        rules.forEach((table, keys) -> diff.table(table, keys, finished.contains(table), found, maxResolved));
        return diff;
    }

    private void table(String table, List<String> keys, boolean finished, IssueIdentities found, int maxResolved) {
        Map<String, RuleIssues> before = baseline == null ? null : baseline.tables().get(table);
        Map<String, Counts> byRule = new LinkedHashMap<>();
        Map<String, RuleIssues> kept = new LinkedHashMap<>();
        for (String key : keys) {
            if (byRule.containsKey(key)) {
                continue; // a rule configured twice shares its key, and its issues
            }
            RuleIssues was = before == null ? null : before.get(key);
            String[] ids = found.records(table, key).toArray(String[]::new);
            Arrays.sort(ids);
            long newIssues = 0;
            long persisting = 0;
            long firstRun = 0;
            List<String> distinct = new ArrayList<>();
            List<Seen> seen = new ArrayList<>();
            for (int i = 0; i < ids.length; ) {
                int j = i;
                while (j < ids.length && ids[j].equals(ids[i])) {
                    j++;
                }
                long issues = j - i;
                Seen first = was == null ? null : was.find(ids[i]);
                if (was == null) {
                    firstRun += issues;
                } else if (first == null) {
                    newIssues += issues;
                } else {
                    persisting += issues;
                }
                distinct.add(ids[i]);
                seen.add(first == null ? thisRun : first);
                i = j;
            }
            long gone = 0;
            if (was != null && finished) {
                for (int i = 0, k = 0; i < was.size(); i++) {
                    String id = was.records()[i];
                    while (k < distinct.size() && distinct.get(k).compareTo(id) < 0) {
                        k++;
                    }
                    if (k >= distinct.size() || !distinct.get(k).equals(id)) {
                        gone++;
                        if (resolved.size() < maxResolved) {
                            resolved.add(new Resolved(table, key, id, was.firstSeen()[i]));
                        }
                    }
                }
            }
            byRule.put(key, new Counts(newIssues, persisting, firstRun, gone));
            kept.put(key, new RuleIssues(distinct.toArray(String[]::new), seen.toArray(Seen[]::new)));
        }
        tables.put(table, new TableDiff(before != null && finished, byRule));
        if (finished) {
            next.put(table, kept);
        }
    }

    /** The state of a found issue (one the run found: its table and rule are the run's). */
    public Classified classify(Issue issue) {
        Map<String, RuleIssues> before = baseline == null ? null : baseline.tables().get(issue.table());
        RuleIssues was = before == null ? null : before.get(IssueIdentities.ruleKey(issue));
        if (was == null) {
            return new Classified(FIRST_RUN, thisRun);
        }
        Seen first = was.find(issue.recordId());
        return first == null ? new Classified(NEW, thisRun) : new Classified(PERSISTING, first);
    }

    public Map<String, TableDiff> tables() {
        return tables;
    }

    /** The run's totals. */
    public Counts total() {
        return tables.values().stream().map(TableDiff::total).reduce(Counts.ZERO, Counts::plus);
    }

    /** Tables not compared with the baseline (the run did not finish them, or the baseline has no state of them). */
    public List<String> notCompared() {
        return tables.entrySet().stream().filter(e -> !e.getValue().compared()).map(Map.Entry::getKey).toList();
    }

    /** The first resolved issues, up to the cap given. */
    public List<Resolved> resolved() {
        return resolved;
    }

    /** This run's state for the next run: the tables it finished. */
    public IssueState next() {
        return new IssueState(runId, baseId, next);
    }
}
