package com.airtableintegrity.schema;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a schedule's rules no longer fit its base, from a schema read: a table or field renamed or deleted, a link
 * field that is no longer a link (or points elsewhere), a select whose choices and a rule's fixed list parted ways,
 * a rule that takes a select's choices from a field that has none. Each {@link Drift} names the table, the rule
 * ({@code type:field}, or {@code *} for the whole table) and the change, in words for the person who owns the base.
 */
public final class SchemaDrift {
    /** One rule that no longer fits. */
    public record Drift(String table, String rule, String change) {
        /** As the run document stores it. */
        public Map<String, Object> toDocument() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("table", table);
            doc.put("rule", rule);
            doc.put("change", change);
            return doc;
        }
    }

    private SchemaDrift() {
    }

    /** The drift of {@code tables}' rules against {@code base}; empty when every rule fits. */
    public static List<Drift> of(BaseTables base, List<TableSpec> tables) {
        List<Drift> drift = new ArrayList<>();
        for (TableSpec t : tables) {
            Optional<BaseTables.Table> table = base.table(t.getName());
            if (table.isEmpty()) {
                drift.add(new Drift(t.getName(), "*", "table '" + t.getName() + "' is not in the base (renamed or "
                        + "deleted?)"));
                continue;
            }
            for (RuleSpec rule : t.getRules()) {
                check(base, table.get(), rule).ifPresent(change -> drift.add(new Drift(t.getName(), rule.key(),
                        change)));
            }
        }
        return drift;
    }

    private static Optional<String> check(BaseTables base, BaseTables.Table table, RuleSpec rule) {
        Optional<BaseTables.Field> found = table.field(rule.getField());
        if (found.isEmpty()) {
            return Optional.of("field '" + rule.getField() + "' is not in table '" + table.name()
                    + "' (renamed or deleted?)");
        }
        BaseTables.Field field = found.get();
        return switch (rule.getType()) {
            case "allowed_values" -> rule.valuesFromSchema() ? field.choices().isEmpty()
                    ? Optional.of("field '" + field.name() + "' has no choices (" + field.type()
                    + ", no longer a select?), and the rule takes its values from them") : Optional.empty()
                    : choicesApart(field, rule.getValues());
            case "links_to" -> linkApart(base, field, rule.getTable());
            default -> Optional.empty();
        };
    }

    private static Optional<String> choicesApart(BaseTables.Field field, List<String> values) {
        if (field.choices().isEmpty()) {
            return Optional.empty(); // a fixed list on a text field is the rule's own business
        }
        Set<String> gone = new LinkedHashSet<>(values);
        field.choices().forEach(gone::remove);
        Set<String> added = new LinkedHashSet<>(field.choices());
        values.forEach(added::remove);
        if (gone.isEmpty() && added.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("the field's choices " + String.join(", ", added) + " are not in the rule's list (records "
                    + "using them are issues)");
        }
        if (!gone.isEmpty()) {
            parts.add("the rule's values " + String.join(", ", gone) + " are no longer choices of the field");
        }
        return Optional.of(String.join("; ", parts) + "; values_from: schema would follow the field");
    }

    private static Optional<String> linkApart(BaseTables base, BaseTables.Field field, String target) {
        if (!"multipleRecordLinks".equals(field.type())) {
            return Optional.of("field '" + field.name() + "' is " + field.type() + ", not a link to another table");
        }
        Optional<String> linked = Optional.ofNullable(field.linkedTableId()).flatMap(base::tableName);
        if (linked.isPresent() && !linked.get().equals(target)) {
            return Optional.of("field '" + field.name() + "' links to table '" + linked.get() + "', not '" + target
                    + "'");
        }
        return Optional.empty();
    }
}
