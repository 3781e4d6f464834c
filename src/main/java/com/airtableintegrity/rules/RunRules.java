package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rule state for one run across all configured tables.
 * <p>
 * Thread-safe for distinct tables used from distinct threads: each {@link TableRules} is fed by one thread; the
 * table map is fixed at construction. Counts may be read from any thread. {@link #finishRun} must be called after
 * all table threads are done with their tables (and their writes are visible, e.g. via a join or a lock).
 * <p>
 * Issues are handed to {@code issueSink} as they are found (on the feeding thread, or the {@code finishRun} caller's
 * for {@code links_to}); the sink may drop some, the counts are exact regardless. See {@link TableRules} for the
 * semantics of each rule type.
 */
public final class RunRules {
    private final Map<String, TableRules> tables;
    private final List<TableSpec> specs;

    /**
     * @param tables    the configured tables and their rules
     * @param issueSink receives every issue found
     * @throws IllegalArgumentException on a duplicate or missing table name, an unknown rule type, a rule without
     *                                  field, an invalid {@code pattern} regex, or a {@code links_to} target that is
     *                                  not one of {@code tables} (the message names it)
     */
    public RunRules(List<TableSpec> tables, Consumer<Issue> issueSink) {
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(issueSink, "issueSink");
        this.specs = List.copyOf(tables);
        Set<String> names = new HashSet<>();
        for (TableSpec table : tables) {
            if (table == null || table.getName() == null || table.getName().isEmpty()) {
                throw new IllegalArgumentException("A configured table has no name");
            }
            if (!names.add(table.getName())) {
                throw new IllegalArgumentException("Table '" + table.getName() + "' is configured twice");
            }
        }
        Set<String> targets = new HashSet<>();
        for (TableSpec table : tables) {
            for (RuleSpec rule : table.getRules()) {
                if (rule != null && "links_to".equals(rule.getType()) && rule.getTable() != null) {
                    if (!names.contains(rule.getTable())) {
                        throw new IllegalArgumentException("Rule " + rule.key() + " of table '" + table.getName()
                                + "' links to table '" + rule.getTable() + "', which is not a configured table");
                    }
                    targets.add(rule.getTable());
                }
            }
        }
        Map<String, TableRules> map = new LinkedHashMap<>();
        for (TableSpec table : tables) {
            map.put(table.getName(), new TableRules(table.getName(), table.getRules(), issueSink,
                    targets.contains(table.getName())));
        }
        this.tables = Collections.unmodifiableMap(map);
    }

    /**
     * The rule state of one table.
     *
     * @throws IllegalArgumentException naming the table if it is not configured
     */
    /** The tables and rules these were made from, as configured. */
    public List<TableSpec> specs() {
        return specs;
    }

    public TableRules table(String tableName) {
        TableRules table = tables.get(tableName);
        if (table == null) {
            throw new IllegalArgumentException("Table '" + tableName + "' is not a configured table");
        }
        return table;
    }

    /**
     * Evaluates {@code links_to}: for every rule whose source table and target table are both in
     * {@code finishedTables}, emits one issue per broken reference or malformed value and sets the rule's count.
     * Rules whose source or target did not finish stay at count 0. Each rule is evaluated at most once (until its
     * table is reset), so calling this again does not emit or count twice. Call once at run end.
     */
    public void finishRun(Set<String> finishedTables) {
        Objects.requireNonNull(finishedTables, "finishedTables");
        for (TableRules source : tables.values()) {
            if (!finishedTables.contains(source.name())) {
                continue;
            }
            for (LinksToRule rule : source.linkRules()) {
                if (!rule.evaluated() && finishedTables.contains(rule.target)) {
                    rule.evaluate(tables.get(rule.target).ids());
                }
            }
        }
    }

    /** The exact issue counts so far across tables, by rule type ({@code unique}, {@code pattern}...). */
    public Map<String, Long> issuesByType() {
        Map<String, Long> byType = new LinkedHashMap<>();
        for (TableRules table : tables.values()) {
            table.counts().forEach((key, n) -> byType.merge(key.substring(0, key.indexOf(':')), n, Long::sum));
        }
        return byType;
    }

    /** The exact number of issues found so far, across tables. */
    public long totalIssues() {
        long total = 0;
        for (TableRules table : tables.values()) {
            total += table.issueCount();
        }
        return total;
    }
}
