package com.airtableintegrity.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.airtableintegrity.config.NotifySpec;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;
import com.google.cloud.firestore.DocumentSnapshot;

/**
 * Reads a schedule document field by field, checking each field's type: a document written to Firestore by hand (as
 * the docs allow) with a field of the wrong type is a {@link MalformedSchedule} naming the document and the field,
 * never a {@code ClassCastException} that fails a whole list.
 */
final class ScheduleReader {
    private final String id;

    private ScheduleReader(String id) {
        this.id = id;
    }

    static ScheduleSpec read(DocumentSnapshot doc) {
        ScheduleReader r = new ScheduleReader(doc.getId());
        Map<String, Object> d = doc.getData() == null ? Map.of() : doc.getData();
        ScheduleSpec s = new ScheduleSpec();
        s.setName(r.string(d, "name"));
        s.setBaseId(r.string(d, "base_id"));
        s.setCron(r.string(d, "cron"));
        s.setTimeZone(r.string(d, "time_zone"));
        s.setEnabled(Boolean.TRUE.equals(r.typed(d, "enabled", Boolean.class, "a boolean")));
        List<TableSpec> tables = new ArrayList<>();
        List<?> tableList = r.typed(d, "tables", List.class, "a list");
        for (int i = 0; tableList != null && i < tableList.size(); i++) {
            String at = "tables[" + i + "]";
            Map<?, ?> t = r.map(tableList.get(i), at);
            List<RuleSpec> rules = new ArrayList<>();
            List<?> ruleList = r.typed(t, at + ".rules", "rules", List.class, "a list");
            for (int j = 0; ruleList != null && j < ruleList.size(); j++) {
                String ruleAt = at + ".rules[" + j + "]";
                Map<?, ?> m = r.map(ruleList.get(j), ruleAt);
                RuleSpec rule = new RuleSpec(r.typed(m, ruleAt + ".type", "type", String.class, "a string"),
                        r.typed(m, ruleAt + ".field", "field", String.class, "a string"));
                List<?> values = r.typed(m, ruleAt + ".values", "values", List.class, "a list");
                if (values != null) {
                    List<String> strings = new ArrayList<>();
                    for (int k = 0; k < values.size(); k++) {
                        strings.add(r.as(values.get(k), ruleAt + ".values[" + k + "]", String.class, "a string"));
                    }
                    rule.setValues(strings);
                }
                rule.setTable(r.typed(m, ruleAt + ".table", "table", String.class, "a string"));
                rule.setRegex(r.typed(m, ruleAt + ".regex", "regex", String.class, "a string"));
                rule.setValuesFrom(r.typed(m, ruleAt + ".values_from", "values_from", String.class, "a string"));
                rules.add(rule);
            }
            tables.add(new TableSpec(r.typed(t, at + ".name", "name", String.class, "a string"), rules));
        }
        s.setTables(tables);
        s.setMaxDurationSeconds(r.seconds(d, "max_duration_seconds"));
        s.setRequestTimeoutSeconds(r.seconds(d, "request_timeout_seconds"));
        List<?> notifyList = r.typed(d, "notify", List.class, "a list");
        List<NotifySpec> notify = new ArrayList<>();
        for (int i = 0; notifyList != null && i < notifyList.size(); i++) {
            String at = "notify[" + i + "]";
            Map<?, ?> n = r.map(notifyList.get(i), at);
            List<?> events = r.typed(n, at + ".events", "events", List.class, "a list");
            List<String> names = new ArrayList<>();
            for (int j = 0; events != null && j < events.size(); j++) {
                names.add(r.as(events.get(j), at + ".events[" + j + "]", String.class, "a string"));
            }
            notify.add(new NotifySpec(r.typed(n, at + ".channel", "channel", String.class, "a string"), names));
        }
        s.setNotify(notify);
        return s;
    }

    private String string(Map<?, ?> d, String key) {
        return typed(d, key, String.class, "a string");
    }

    private Integer seconds(Map<?, ?> d, String key) {
        Long value = typed(d, key, Long.class, "a whole number");
        if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw new MalformedSchedule(id, key + " is out of range (" + value + ")");
        }
        return value == null ? null : value.intValue();
    }

    private <T> T typed(Map<?, ?> d, String key, Class<T> type, String what) {
        return typed(d, key, key, type, what);
    }

    private <T> T typed(Map<?, ?> d, String path, String key, Class<T> type, String what) {
        return as(d.get(key), path, type, what);
    }

    private Map<?, ?> map(Object value, String path) {
        Map<?, ?> m = as(value, path, Map.class, "a map");
        if (m == null) {
            throw new MalformedSchedule(id, path + " is missing");
        }
        return m;
    }

    private <T> T as(Object value, String path, Class<T> type, String what) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new MalformedSchedule(id, path + " must be " + what + ", is " + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a map";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
