package com.airtableintegrity.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.NotifySpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a schedule from a request body (the JSON tree the REST binding parsed) into a {@link ScheduleSpec}, listing
 * every problem of shape with its JSON path: a body that is not an object, unknown fields (at the top, in a table,
 * in a rule), values of the wrong JSON type. What the values mean (a valid cron, a base id, rules) is then checked
 * by {@link com.airtableintegrity.config.ScheduleValidator}, which names problems by the same paths.
 * <p>
 * Written by hand rather than with Jackson's data binding: binding stops at the first problem, and a writer is owed
 * all of them at once, each with its path.
 */
public final class ScheduleBodies {
    private static final Set<String> SCHEDULE_FIELDS = Set.of("name", "base_id", "cron", "time_zone", "enabled",
            "notify", "tables", "max_duration_seconds", "request_timeout_seconds");
    private static final Set<String> TABLE_FIELDS = Set.of("name", "rules");
    private static final Set<String> NOTIFY_FIELDS = Set.of("channel", "events");
    private static final Set<String> RULE_FIELDS = Set.of("type", "field", "values", "table", "regex",
            "values_from");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A schedule read from a body, or the problems that kept it from being read. */
    public record Read(ScheduleSpec spec, List<String> problems) {
    }

    private final List<String> problems = new ArrayList<>();

    private ScheduleBodies() {
    }

    /** A whole schedule ({@code POST}, {@code PUT}). */
    public static Read read(JsonNode body) {
        ScheduleBodies reader = new ScheduleBodies();
        ScheduleSpec spec = reader.schedule(body);
        return new Read(spec, List.copyOf(reader.problems));
    }

    /**
     * A JSON merge patch ({@code PATCH}, RFC 7396) applied to the stored schedule's document: the fields it names
     * replace the stored ones ({@code tables} as a whole), a {@code null} removes an optional override.
     */
    public static Read patch(Map<String, Object> storedDocument, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return new Read(null, List.of(notAnObject(patch)));
        }
        ObjectNode merged = JSON.valueToTree(storedDocument);
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), field.getValue());
            }
        }
        return read(merged);
    }

    private ScheduleSpec schedule(JsonNode body) {
        if (body == null || !body.isObject()) {
            problems.add(notAnObject(body));
            return null;
        }
        unknownFields("$", body, SCHEDULE_FIELDS);
        ScheduleSpec s = new ScheduleSpec();
        text(body, "$", "name", s::setName);
        text(body, "$", "base_id", s::setBaseId);
        text(body, "$", "cron", s::setCron);
        text(body, "$", "time_zone", s::setTimeZone);
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull()) {
            if (enabled.isBoolean()) {
                s.setEnabled(enabled.booleanValue());
            } else {
                problems.add("$.enabled must be true or false, was " + type(enabled));
            }
        }
        whole(body, "max_duration_seconds", s::setMaxDurationSeconds);
        whole(body, "request_timeout_seconds", s::setRequestTimeoutSeconds);
        JsonNode tables = body.get("tables");
        if (tables != null && !tables.isNull()) {
            if (tables.isArray()) {
                s.setTables(tables(tables));
            } else {
                problems.add("$.tables must be an array of tables, was " + type(tables));
            }
        }
        JsonNode notify = body.get("notify");
        if (notify != null && !notify.isNull()) {
            if (notify.isArray()) {
                s.setNotify(notify(notify));
            } else {
                problems.add("$.notify must be an array of {\"channel\": ..., \"events\": [...]}, was " + type(notify));
            }
        }
        return problems.isEmpty() ? s : null;
    }

    private List<NotifySpec> notify(JsonNode list) {
        List<NotifySpec> read = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "$.notify[" + i + "]";
            JsonNode n = list.get(i);
            if (!n.isObject()) {
                problems.add(path + " must be an object such as {\"channel\": \"ops-hook\", \"events\": [\"error\"]},"
                        + " was " + type(n));
                continue;
            }
            unknownFields(path, n, NOTIFY_FIELDS);
            NotifySpec spec = new NotifySpec();
            text(n, path, "channel", spec::setChannel);
            List<String> events = strings(n, path, "events");
            if (events != null) {
                spec.setEvents(events);
            }
            read.add(spec);
        }
        return read;
    }

    private List<TableSpec> tables(JsonNode tables) {
        List<TableSpec> read = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            String path = "$.tables[" + i + "]";
            JsonNode t = tables.get(i);
            if (!t.isObject()) {
                problems.add(path + " must be an object with 'name' and 'rules', was " + type(t));
                continue;
            }
            unknownFields(path, t, TABLE_FIELDS);
            TableSpec table = new TableSpec();
            text(t, path, "name", table::setName);
            JsonNode rules = t.get("rules");
            List<RuleSpec> ruleSpecs = new ArrayList<>();
            if (rules != null && !rules.isNull() && !rules.isArray()) {
                problems.add(path + ".rules must be an array of rules, was " + type(rules));
            } else if (rules != null) {
                for (int j = 0; j < rules.size(); j++) {
                    RuleSpec rule = rule(path + ".rules[" + j + "]", rules.get(j));
                    if (rule != null) {
                        ruleSpecs.add(rule);
                    }
                }
            }
            table.setRules(ruleSpecs);
            read.add(table);
        }
        return read;
    }

    private RuleSpec rule(String path, JsonNode r) {
        if (!r.isObject()) {
            problems.add(path + " must be an object such as {\"type\": \"required\", \"field\": \"Name\"}, was "
                    + type(r));
            return null;
        }
        unknownFields(path, r, RULE_FIELDS);
        RuleSpec rule = new RuleSpec();
        text(r, path, "type", rule::setType);
        text(r, path, "field", rule::setField);
        text(r, path, "table", rule::setTable);
        text(r, path, "regex", rule::setRegex);
        text(r, path, "values_from", rule::setValuesFrom);
        JsonNode values = r.get("values");
        if (values != null && !values.isNull()) {
            List<String> list = strings(r, path, "values");
            rule.setValues(list == null ? new ArrayList<>() : list);
        }
        return rule;
    }

    /**
     * The array of strings at {@code object.name}: null when absent or JSON null, and when it is not an array (a
     * problem naming it); an element that is not a string is a problem naming it and is left out.
     */
    private List<String> strings(JsonNode object, String path, String name) {
        JsonNode array = object.get(name);
        if (array == null || array.isNull()) {
            return null;
        }
        if (!array.isArray()) {
            problems.add(path + "." + name + " must be an array of strings, was " + type(array));
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).isTextual()) {
                list.add(array.get(i).textValue());
            } else {
                problems.add(path + "." + name + "[" + i + "] must be a string, was " + type(array.get(i)));
            }
        }
        return list;
    }

    private void unknownFields(String path, JsonNode object, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(path + "." + name + " is not a field of " + what(path) + "; allowed: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private void text(JsonNode object, String path, String field, Consumer<String> set) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isTextual()) {
            set.accept(value.textValue());
        } else {
            problems.add(path + "." + field + " must be a string, was " + type(value));
        }
    }

    private void whole(JsonNode object, String field, Consumer<Integer> set) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (value.canConvertToInt() && value.isIntegralNumber()) {
            set.accept(value.intValue());
        } else {
            problems.add("$." + field + " must be a whole number of seconds, was " + type(value));
        }
    }

    private static String what(String path) {
        if (path.endsWith("]") && path.contains(".rules[")) {
            return "a rule";
        }
        if (path.startsWith("$.notify[")) {
            return "a notify entry";
        }
        return path.equals("$") ? "a schedule" : "a table";
    }

    private static String notAnObject(JsonNode body) {
        return "$ the request body must be a JSON object (a schedule), was " + type(body);
    }

    /** The JSON type of a value, with a short excerpt of it. */
    private static String type(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        String text = value.toString();
        String excerpt = text.length() <= 40 ? text : text.substring(0, 40) + "…";
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + excerpt;
    }
}
