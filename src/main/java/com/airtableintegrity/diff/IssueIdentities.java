package com.airtableintegrity.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.airtableintegrity.rules.Issue;

/**
 * The identity of every issue a run found, however many are stored: per table and rule key ({@code type:field}),
 * the record id of each issue, repeats kept (a record can break one rule more than once, e.g. two bad elements of a
 * multi-value field: one identity, two issues). An issue is the same issue across runs of a base when table, rule key
 * and record id are the same; its value may change. Thread-safe.
 */
public final class IssueIdentities {
    private final Map<String, Map<String, List<String>>> found = new LinkedHashMap<>();

    /** The rule key of an issue: {@code type:field}, as the run document's {@code issues_by_rule} names it. */
    public static String ruleKey(Issue issue) {
        return issue.rule() + ":" + issue.field();
    }

    public synchronized void add(Issue issue) {
        found.computeIfAbsent(issue.table(), t -> new HashMap<>())
                .computeIfAbsent(ruleKey(issue), k -> new ArrayList<>()).add(issue.recordId());
    }

    /** A table's iteration restarted from page 1: forget what it reported. */
    public synchronized void discardTable(String table) {
        found.remove(table);
    }

    /** The record ids of a table's issues under a rule key, one per issue (empty when none). */
    public synchronized List<String> records(String table, String ruleKey) {
        return found.getOrDefault(table, Map.of()).getOrDefault(ruleKey, List.of());
    }
}
