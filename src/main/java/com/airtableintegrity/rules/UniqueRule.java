package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code unique}: records without a value ({@link Values#isEmpty}) are skipped. Values are identical when both are
 * strings and equal exactly (case-sensitive), or both are non-strings with the same compact JSON text (so the
 * string {@code "1"} and the number {@code 1} differ; arrays compare as a whole, element order included).
 * <p>
 * Nothing is emitted or counted until {@link #finishTable()}: then every record whose value is shared with at least
 * one other record gets one issue, and the count is the number of such records. Issues are grouped by value, the
 * groups in the order in which their value was first seen a second time, records in scan order. Message:
 * {@code Value 'a@x.com' of 'Email' is shared by 3 records: recA, recB, recC} (at most 10 ids, then
 * {@code and N more}).
 * <p>
 * Memory: one map entry value → first record id, and an id list only for values seen twice or more.
 */
final class UniqueRule extends Rule {
    static final int MAX_LISTED_IDS = 10;
    /** Prefix of keys of non-string values, so that they never equal a string key. */
    private static final char NON_STRING = '\u0000';

    /** value key → first record id (String) or, once the value is shared, the ids sharing it (List&lt;String&gt;). */
    private Map<String, Object> seen = new HashMap<>();
    /** Keys of shared values, in the order in which they became shared. */
    private List<String> shared = new ArrayList<>();
    private boolean finished;

    UniqueRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink);
    }

    @Override
    @SuppressWarnings("unchecked")
    void accept(String recordId, JsonNode value) {
        if (Values.isEmpty(value)) {
            return;
        }
        String key = Values.isString(value) ? value.textValue() : NON_STRING + value.toString();
        Object previous = seen.putIfAbsent(key, recordId);
        if (previous == null) {
            return;
        }
        if (previous instanceof String firstId) {
            List<String> ids = new ArrayList<>(4);
            ids.add(firstId);
            ids.add(recordId);
            seen.put(key, ids);
            shared.add(key);
        } else {
            ((List<String>) previous).add(recordId);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    void finishTable() {
        if (finished) {
            return;
        }
        finished = true;
        for (String key : shared) {
            List<String> ids = (List<String>) seen.get(key);
            String text = !key.isEmpty() && key.charAt(0) == NON_STRING ? key.substring(1) : key;
            String excerpt = Values.excerpt(text);
            String message = message(excerpt, ids);
            for (String id : ids) {
                emit(id, excerpt, message);
            }
        }
        seen = new HashMap<>();
        shared = new ArrayList<>();
    }

    private String message(String excerpt, List<String> ids) {
        StringBuilder sb = new StringBuilder(64 + 20 * Math.min(ids.size(), MAX_LISTED_IDS));
        sb.append("Value '").append(excerpt).append("' of ").append(quoted(field))
                .append(" is shared by ").append(ids.size()).append(" records: ");
        int listed = Math.min(ids.size(), MAX_LISTED_IDS);
        for (int i = 0; i < listed; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(ids.get(i));
        }
        if (ids.size() > listed) {
            sb.append(" and ").append(ids.size() - listed).append(" more");
        }
        return sb.toString();
    }

    @Override
    void reset() {
        super.reset();
        seen = new HashMap<>();
        shared = new ArrayList<>();
        finished = false;
    }
}
