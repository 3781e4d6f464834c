package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code links_to}: the field, when it has a value ({@link Values#isEmpty}), must be an array of record id strings,
 * each the id of a record scanned in the target table in this run.
 * <p>
 * While the table is scanned this rule only remembers (recordId, linkedId) pairs, plus (recordId, value excerpt)
 * for values that are not an array of strings; nothing is counted or emitted. {@link RunRules#finishRun} evaluates
 * the rule once both this table and the target table finished, in scan order: one issue per broken reference
 * ({@code 'Orders' links to recXYZ, which is not a record of table 'Orders'}, value = the linked id) and one issue
 * per malformed value ({@code 'Orders' is not a linked-record field (value: ...)}, value = the excerpt). An array
 * holding any non-string element is malformed as a whole. The same id linked twice from one record counts twice.
 * Data enters messages only as excerpts ({@link Values#excerpt}), so a huge linked id never builds a huge message.
 */
final class LinksToRule extends Rule {
    private static final int INITIAL_CAPACITY = 256;

    final String target;
    private final String brokenMiddle;
    private final String brokenSuffix;
    private final String malformedPrefix;

    /** Parallel arrays: source record id, linked id (or value excerpt when {@code malformed.get(i)}). */
    private String[] sources;
    private String[] links;
    private BitSet malformed;
    private int size;
    private boolean evaluated;

    LinksToRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink);
        this.target = spec.getTable();
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("Rule " + key + " of table '" + table + "' has no target table");
        }
        this.brokenMiddle = quoted(field) + " links to ";
        this.brokenSuffix = ", which is not a record of table " + quoted(target);
        this.malformedPrefix = quoted(field) + " is not a linked-record field (value: ";
        clear();
    }

    @Override
    void accept(String recordId, JsonNode value) {
        if (Values.isEmpty(value)) {
            return;
        }
        int n = value.isArray() ? value.size() : -1;
        for (int i = 0; i < n; i++) {
            if (!Values.isString(value.get(i))) {
                n = -1;
                break;
            }
        }
        if (n < 0) {
            add(recordId, Values.excerpt(value));
            malformed.set(size - 1);
            return;
        }
        for (int i = 0; i < n; i++) {
            add(recordId, value.get(i).textValue());
        }
    }

    private void add(String recordId, String link) {
        if (size == sources.length) {
            int capacity = size + (size >> 1);
            sources = Arrays.copyOf(sources, capacity);
            links = Arrays.copyOf(links, capacity);
        }
        sources[size] = recordId;
        links[size] = link;
        size++;
    }

    boolean evaluated() {
        return evaluated;
    }

    /** Emits the issues against the target's record ids, once; then frees the pairs. */
    void evaluate(Set<String> targetIds) {
        if (evaluated) {
            return;
        }
        evaluated = true;
        for (int i = 0; i < size; i++) {
            String link = links[i];
            if (malformed.get(i)) {
                emit(sources[i], link, malformedPrefix + link + ")");
            } else if (!targetIds.contains(link)) {
                // the id comes from data and may be huge: the message embeds the excerpt, never the whole id
                String excerpt = Values.excerpt(link);
                emit(sources[i], excerpt, brokenMiddle + excerpt + brokenSuffix);
            }
        }
        clear();
    }

    private void clear() {
        sources = new String[INITIAL_CAPACITY];
        links = new String[INITIAL_CAPACITY];
        malformed = new BitSet();
        size = 0;
    }

    @Override
    void reset() {
        super.reset();
        clear();
        evaluated = false;
    }
}
