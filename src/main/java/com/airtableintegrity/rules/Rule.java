package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Consumer;

/**
 * One configured rule applied to one table in one run. Fed by a single thread (the table's); the count is volatile
 * so that other threads (e.g. {@link RunRules#totalIssues()}) read an up-to-date value.
 */
abstract class Rule {
    final String table;
    final String field;
    final String type;
    final String key;
    private final Consumer<Issue> sink;
    private volatile long count;

    Rule(String table, RuleSpec spec, Consumer<Issue> sink) {
        this.table = table;
        this.field = spec.getField();
        this.type = spec.getType();
        this.key = spec.key();
        this.sink = sink;
    }

    /** Checks one record; {@code value} is the field's value, {@code null} when the key is missing. */
    abstract void accept(String recordId, JsonNode value);

    /** The table was fully scanned. */
    void finishTable() {
    }

    /** Forgets all state and the count. */
    void reset() {
        count = 0;
    }

    final long count() {
        return count;
    }

    /** Counts one issue and hands it to the sink. */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // single writer
    final void emit(String recordId, String value, String message) {
        count++;
        sink.accept(new Issue(table, recordId, field, type, value, message));
    }

    static String quoted(String text) {
        return "'" + text + "'";
    }
}
