package com.airtableintegrity.boot.console;

import java.util.List;
import java.util.Optional;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A suggested rule as the editor's checkbox posts it: a JSON array of the row it becomes (table, type, field, values
 * one per line, linked table, regex). What is posted is only ever a row the person could have typed: it goes through
 * the same validation as any row.
 */
final class SuggestedRow {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SuggestedRow() {
    }

    /** The checkbox value of {@code rule} of {@code table}. */
    static String key(String table, RuleSpec rule) {
        String type = rule.valuesFromSchema() ? ScheduleForm.FROM_CHOICES : rule.getType();
        return write(List.of(table, type, text(rule.getField()), String.join("\n", rule.getValues()),
                text(rule.getTable()), text(rule.getRegex())));
    }

    /** The row a posted checkbox value stands for; empty when it is not one. */
    static Optional<ScheduleForm.Row> parse(String key) {
        try {
            List<String> p = JSON.readValue(key, new TypeReference<List<String>>() { });
            return p.size() == 6 && p.stream().allMatch(v -> v != null)
                    ? Optional.of(new ScheduleForm.Row(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5)))
                    : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Whether two rows make the same rule (values compared line by line, blank lines and edges ignored). */
    static boolean same(ScheduleForm.Row a, ScheduleForm.Row b) {
        return a.table().trim().equals(b.table().trim()) && a.type().equals(b.type())
                && a.field().trim().equals(b.field().trim()) && values(a).equals(values(b))
                && a.linkedTable().trim().equals(b.linkedTable().trim()) && a.regex().equals(b.regex());
    }

    private static List<String> values(ScheduleForm.Row row) {
        return row.values().lines().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static String write(List<String> parts) {
        try {
            return JSON.writeValueAsString(parts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a list of strings always writes
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
