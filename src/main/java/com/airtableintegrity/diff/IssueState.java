package com.airtableintegrity.diff;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run leaves for the next run of its schedule to compare with: for each table it read to the end, each rule
 * key it evaluated (those with no issue too, so that a rule added later is told from a rule that found nothing) with
 * the record ids of its issues, sorted and distinct, and the run that first saw each.
 *
 * @param runId  the run this state is of
 * @param baseId its base
 * @param tables table name → rule key → issues
 */
public record IssueState(String runId, String baseId, Map<String, Map<String, RuleIssues>> tables) {
    public IssueState {
        Objects.requireNonNull(runId, "runId");
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** The run that first saw an issue, and when that run started. */
    public record Seen(String runId, Instant at) {
        public Seen {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The issues of one rule of one table: {@code records} sorted (by {@link String#compareTo}) and distinct,
     * {@code firstSeen[i]} the run that first saw {@code records[i]}.
     */
    public record RuleIssues(String[] records, Seen[] firstSeen) {
        public static final RuleIssues NONE = new RuleIssues(new String[0], new Seen[0]);

        public RuleIssues {
            if (records.length != firstSeen.length) {
                throw new IllegalArgumentException(records.length + " records but " + firstSeen.length
                        + " first-seen runs");
            }
            for (int i = 1; i < records.length; i++) {
                if (records[i - 1].compareTo(records[i]) >= 0) {
                    throw new IllegalArgumentException("records are not sorted and distinct at '" + records[i] + "'");
                }
            }
        }

        /** When the issue of that record was first seen, or null if this rule has no issue for it. */
        public Seen find(String recordId) {
            int at = Arrays.binarySearch(records, recordId);
            return at >= 0 ? firstSeen[at] : null;
        }

        public int size() {
            return records.length;
        }
    }

    /** The number of issues (identities) in the state. */
    public long size() {
        long n = 0;
        for (Map<String, RuleIssues> rules : tables.values()) {
            for (RuleIssues issues : rules.values()) {
                n += issues.size();
            }
        }
        return n;
    }

    /** Table → its rule keys, in order. */
    public Map<String, List<String>> ruleKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        tables.forEach((table, rules) -> keys.put(table, List.copyOf(rules.keySet())));
        return keys;
    }
}
