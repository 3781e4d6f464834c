package com.airtableintegrity.boot.console;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.editor.WhenItRuns;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The schedule editor's form as the person typed it: read from the posted fields ({@link #posted}) or from a stored
 * schedule ({@link #of}), written as the JSON body the REST API takes ({@link #body}), so that one code path checks
 * both; each problem that check names by its JSON path ({@code $.cron}, {@code $.tables[1].rules[0].regex}) is placed
 * next to the field at fault ({@link #place}). Rules are rows (table, type, field and the type's argument); the
 * tables are those the rows name, in the order they first appear.
 */
public final class ScheduleForm {
    /** Empty rule rows a form offers for new rules. */
    static final int BLANK_ROWS = 3;
    /** A row's rule type for an allowed_values rule that takes the field's choices ({@code values_from: schema}). */
    static final String FROM_CHOICES = "allowed_values:schema";
    /** The rule types a row offers: value → label. */
    static final Map<String, String> ROW_TYPES = rowTypes();
    /** The key of problems that belong to no one field. */
    static final String GENERAL = "form";
    private static final Pattern BASE_URL = Pattern.compile("https://airtable\\.com/(app[A-Za-z0-9]{14})(?:[/?#].*)?");
    private static final Pattern PROBLEM_PATH = Pattern.compile(
            "^\\$\\.(name|base_id|cron|time_zone|enabled|max_duration_seconds|request_timeout_seconds|tables)"
                    + "(?:\\[(\\d+)](?:\\.rules(?:\\[(\\d+)])?)?)?");

    /** One rule row: {@code values} one per line (allowed_values), {@code linkedTable} (links_to), {@code regex}. */
    public record Row(String table, String type, String field, String values, String linkedTable, String regex) {
        static Row blank() {
            return new Row("", "", "", "", "", "");
        }

        boolean isBlank() {
            return (table + type + field + values + linkedTable + regex).isBlank();
        }
    }

    public String name = "";
    public String base = "";
    public String preset = "hourly";
    public String minute = "0";
    public String time = "09:00";
    public String day = "MONDAY";
    public String cron = "";
    public String timeZone = "UTC";
    public boolean enabled = true;
    public String maxDurationSeconds = "";
    public String requestTimeoutSeconds = "";
    /** The stored schedule's {@code updated_at} when the form was opened: a save over a later one is refused. */
    public String version = "";
    public List<Row> rows = new ArrayList<>();
    /** Whether the form shows the base's schema (read again each time the form is shown). */
    public boolean withSchema;
    /** The base's tables ticked to scan (their suggestions are offered). */
    public List<String> scanTables = new ArrayList<>();
    /** The suggestions ticked, each as {@link #suggestionKey}. */
    public List<String> suggestions = new ArrayList<>();
    /** Field key → its problems: name, base, when, time_zone, max_duration_seconds, request_timeout_seconds, rows[i]. */
    public final Map<String, List<String>> errors = new LinkedHashMap<>();
    /** For each table of the body, the row index of each of its rules (to place a rule's problem at its row). */
    private final List<List<Integer>> rowOfRule = new ArrayList<>();

    /** A new schedule's form: hourly at minute 0, UTC, enabled, and blank rows. */
    public static ScheduleForm blank() {
        ScheduleForm form = new ScheduleForm();
        form.padRows();
        return form;
    }

    /** The form of a stored schedule, as {@code GET /api/schedules/{id}} renders it. */
    @SuppressWarnings("unchecked")
    public static ScheduleForm of(Map<String, Object> schedule) {
        ScheduleForm form = new ScheduleForm();
        form.name = text(schedule.get("name"));
        form.base = text(schedule.get("base_id"));
        form.timeZone = schedule.get("time_zone") == null ? "UTC" : text(schedule.get("time_zone"));
        form.enabled = !Boolean.FALSE.equals(schedule.get("enabled"));
        form.maxDurationSeconds = text(schedule.get("max_duration_seconds"));
        form.requestTimeoutSeconds = text(schedule.get("request_timeout_seconds"));
        form.version = text(schedule.get("updated_at"));
        WhenItRuns when = WhenItRuns.of(text(schedule.get("cron")));
        form.preset = when.preset().name().toLowerCase(Locale.ROOT);
        form.cron = when.cron();
        if (when.preset() == WhenItRuns.Preset.HOURLY) {
            form.minute = String.valueOf(when.minute());
        }
        if (when.time() != null) {
            form.time = when.time().toString();
        }
        if (when.day() != null) {
            form.day = when.day().name();
        }
        for (Object t : (List<Object>) schedule.getOrDefault("tables", List.of())) {
            Map<String, Object> table = (Map<String, Object>) t;
            for (Object r : (List<Object>) table.getOrDefault("rules", List.of())) {
                Map<String, Object> rule = (Map<String, Object>) r;
                String type = RuleSpec.VALUES_FROM_SCHEMA.equals(rule.get("values_from")) ? FROM_CHOICES
                        : text(rule.get("type"));
                form.rows.add(new Row(text(table.get("name")), type, text(rule.get("field")),
                        String.join("\n", (List<String>) rule.getOrDefault("values", List.of())),
                        text(rule.get("table")), text(rule.get("regex"))));
            }
        }
        form.padRows();
        return form;
    }

    /** The form as posted: {@code rule_*} fields repeat, one per row, in row order. */
    public static ScheduleForm posted(Map<String, List<String>> fields) {
        ScheduleForm form = new ScheduleForm();
        form.name = one(fields, "name");
        form.base = one(fields, "base");
        form.preset = one(fields, "preset");
        form.minute = one(fields, "minute");
        form.time = one(fields, "time");
        form.day = one(fields, "day");
        form.cron = one(fields, "cron");
        form.timeZone = one(fields, "time_zone");
        form.enabled = "on".equals(one(fields, "enabled"));
        form.maxDurationSeconds = one(fields, "max_duration_seconds");
        form.requestTimeoutSeconds = one(fields, "request_timeout_seconds");
        form.version = one(fields, "version");
        form.withSchema = "yes".equals(one(fields, "with_schema"));
        form.scanTables = new ArrayList<>(fields.getOrDefault("scan_table", List.of()));
        form.suggestions = new ArrayList<>(fields.getOrDefault("suggestion", List.of()));
        List<String> tables = fields.getOrDefault("rule_table", List.of());
        for (int i = 0; i < tables.size(); i++) {
            form.rows.add(new Row(tables.get(i).trim(), at(fields, "rule_type", i), at(fields, "rule_field", i),
                    at(fields, "rule_values", i), at(fields, "rule_linked_table", i), at(fields, "rule_regex", i)));
        }
        return form;
    }

    /** The tables the form scans: those its rows name, then those ticked, each once. */
    public List<String> scannedTables() {
        List<String> tables = new ArrayList<>();
        rows.stream().map(Row::table).filter(t -> !t.isBlank()).forEach(t -> {
            if (!tables.contains(t)) {
                tables.add(t);
            }
        });
        scanTables.stream().filter(t -> !tables.contains(t)).forEach(tables::add);
        return tables;
    }

    /** Turns each ticked suggestion into a row (before the blank ones), unless a row holds it already. */
    public void takeSuggestions() {
        List<Row> kept = new ArrayList<>(rows.stream().filter(r -> !r.isBlank()).toList());
        for (String key : suggestions) {
            SuggestedRow.parse(key).filter(row -> kept.stream().noneMatch(r -> SuggestedRow.same(r, row)))
                    .ifPresent(kept::add);
        }
        rows = kept;
        suggestions = new ArrayList<>();
    }

    /** Adds blank rows up to {@link #BLANK_ROWS} at the end. */
    public void padRows() {
        long blanks = rows.stream().filter(Row::isBlank).count();
        for (long i = blanks; i < BLANK_ROWS; i++) {
            rows.add(Row.blank());
        }
    }

    /** The base id: as typed, or taken from a pasted base URL ({@code https://airtable.com/appXXXX/...}). */
    public String baseId() {
        Matcher url = BASE_URL.matcher(base.trim());
        return url.matches() ? url.group(1) : base.trim();
    }

    /** When it runs, from the preset and its fields; null (with the problem placed at {@code when}) if unreadable. */
    public WhenItRuns when() {
        try {
            return switch (preset) {
                case "hourly" -> {
                    int m = Integer.parseInt(minute.trim());
                    if (m < 0 || m > 59) {
                        throw new NumberFormatException();
                    }
                    yield WhenItRuns.hourly(m);
                }
                case "daily" -> WhenItRuns.daily(LocalTime.parse(time.trim()));
                case "weekdays" -> WhenItRuns.weekdays(LocalTime.parse(time.trim()));
                case "weekly" -> WhenItRuns.weekly(DayOfWeek.valueOf(day), LocalTime.parse(time.trim()));
                case "cron" -> WhenItRuns.of(cron.trim());
                default -> throw new IllegalArgumentException();
            };
        } catch (NumberFormatException e) {
            error("when", "The minute must be a whole number from 0 to 59, was '" + minute + "'");
        } catch (DateTimeParseException e) {
            error("when", "The time must be hours and minutes such as 09:30, was '" + time + "'");
        } catch (IllegalArgumentException e) {
            error("when", "Choose when it runs: every hour, every day, every weekday, every week, or a cron");
        }
        return null;
    }

    /** The body {@code POST /api/schedules} would take; a problem already placed leaves the field out. */
    public ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", name.trim());
        body.put("base_id", baseId());
        WhenItRuns when = when();
        body.put("cron", when == null ? "" : when.cron());
        body.put("time_zone", timeZone.trim());
        body.put("enabled", enabled);
        number(body, "max_duration_seconds", maxDurationSeconds);
        number(body, "request_timeout_seconds", requestTimeoutSeconds);
        ArrayNode tables = body.putArray("tables");
        Map<String, ArrayNode> rulesOf = new LinkedHashMap<>();
        rowOfRule.clear();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (row.isBlank()) {
                continue;
            }
            ArrayNode rules = rulesOf.get(row.table());
            if (rules == null) {
                ObjectNode table = tables.addObject();
                table.put("name", row.table());
                rules = table.putArray("rules");
                rulesOf.put(row.table(), rules);
                rowOfRule.add(new ArrayList<>());
            }
            rowOfRule.get(new ArrayList<>(rulesOf.keySet()).indexOf(row.table())).add(i);
            rules.add(rule(row));
        }
        return body;
    }

    /** Places each problem of the body at its field: a rule's at its row, anything else at the form's top. */
    public void place(List<String> problems) {
        for (String problem : problems) {
            Matcher path = PROBLEM_PATH.matcher(problem);
            if (!path.find()) {
                error(GENERAL, problem);
                continue;
            }
            String key = switch (path.group(1)) {
                case "base_id" -> "base";
                case "cron" -> "when";
                case "tables" -> rowKey(path.group(2), path.group(3));
                default -> path.group(1);
            };
            error(key, problem);
        }
    }

    /** True when a problem is placed. */
    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** How many problems are placed. */
    public int errorCount() {
        return errors.values().stream().mapToInt(List::size).sum();
    }

    /** The problems at {@code key}; empty when none. */
    public List<String> errorsAt(String key) {
        return errors.getOrDefault(key, List.of());
    }

    private String rowKey(String table, String rule) {
        if (table == null) {
            return "rows";
        }
        int t = Integer.parseInt(table);
        if (t >= rowOfRule.size()) {
            return "rows";
        }
        List<Integer> rowsOfTable = rowOfRule.get(t);
        int r = rule == null ? 0 : Integer.parseInt(rule);
        return r < rowsOfTable.size() ? "rows[" + rowsOfTable.get(r) + "]" : "rows";
    }

    private void error(String key, String message) {
        errors.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }

    private void number(ObjectNode body, String key, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        try {
            body.put(key, Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            error(key, "$." + key + " must be a whole number of seconds, was '" + text + "'");
        }
    }

    private static ObjectNode rule(Row row) {
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        if (FROM_CHOICES.equals(row.type())) {
            rule.put("type", "allowed_values");
            rule.put("values_from", RuleSpec.VALUES_FROM_SCHEMA);
        } else {
            rule.put("type", row.type());
        }
        rule.put("field", row.field());
        if (!row.values().isBlank()) {
            ArrayNode values = rule.putArray("values");
            row.values().lines().map(String::strip).filter(v -> !v.isEmpty()).forEach(values::add);
        }
        if (!row.linkedTable().isBlank()) {
            rule.put("table", row.linkedTable().trim());
        }
        if (!row.regex().isEmpty()) {
            rule.put("regex", row.regex());
        }
        return rule;
    }

    private static Map<String, String> rowTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (String type : RuleSpec.TYPES) {
            types.put(type, type);
            if ("allowed_values".equals(type)) {
                types.put(FROM_CHOICES, "allowed_values: the field's choices");
            }
        }
        return types;
    }

    private static String one(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static String at(Map<String, List<String>> fields, String name, int i) {
        List<String> values = fields.getOrDefault(name, List.of());
        return i < values.size() ? values.get(i) : "";
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
