package com.airtableintegrity.boot.console;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.airtableintegrity.airtable.SchemaReads;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.schema.BaseTables;
import com.airtableintegrity.schema.RuleSuggestions;

/**
 * The schedule editor's view of the base: its tables (each a checkbox: scan it), and for each table scanned the rules
 * its schema suggests, each a checkbox of its own. Read through route {@code integrity-schema-read} each time the form
 * is shown with it, so it follows the base; when the token may not read the schema, the editor says so and the form
 * stays as it is, with names typed by hand.
 */
@Component
public class SchemaPanel {
    private static final Pattern BASE_ID = Pattern.compile("app[A-Za-z0-9]{14}");

    /** The panel: a problem (and {@code refused} for a 403), or the tables. */
    public record View(String problem, boolean refused, List<TableView> tables, Set<String> fieldNames) {
    }

    /** A table of the base: whether it is scanned, and its suggestions (offered only when it is). */
    public record TableView(String name, int fields, boolean scanned, List<SuggestionView> suggestions) {
    }

    /** A suggested rule: its checkbox value, how it reads, why it is offered, and whether a row holds it already. */
    public record SuggestionView(String key, String label, String reason, boolean present) {
    }

    private final ProducerTemplate camel;

    public SchemaPanel(ProducerTemplate camel) {
        this.camel = camel;
    }

    /** The panel for {@code form}, read from Airtable now. */
    public View of(ScheduleForm form) {
        String baseId = form.baseId();
        if (!BASE_ID.matcher(baseId).matches()) {
            return new View("Type the base id (app followed by 14 letters and digits) or paste the base's URL "
                    + "first", false, List.of(), Set.of());
        }
        SchemaReads.SchemaRead read = camel.requestBody("direct:integrity-schema-read", baseId,
                SchemaReads.SchemaRead.class);
        if (read.tables() == null) {
            return new View(read.problem(), read.refused(), List.of(), Set.of());
        }
        BaseTables base = read.tables();
        Set<String> scanned = new LinkedHashSet<>(form.scannedTables());
        List<TableView> tables = new ArrayList<>();
        Set<String> fieldNames = new LinkedHashSet<>();
        for (BaseTables.Table t : base.tables()) {
            boolean scan = scanned.contains(t.name());
            List<SuggestionView> suggestions = new ArrayList<>();
            if (scan) {
                t.fields().forEach(f -> fieldNames.add(f.name()));
                for (RuleSuggestions.Suggestion s : RuleSuggestions.of(base, t, scanned)) {
                    String key = SuggestedRow.key(t.name(), s.rule());
                    boolean present = SuggestedRow.parse(key).map(row -> form.rows.stream()
                            .anyMatch(r -> SuggestedRow.same(r, row))).orElse(false);
                    suggestions.add(new SuggestionView(key, label(s.rule()), s.reason(), present));
                }
            }
            tables.add(new TableView(t.name(), t.fields().size(), scan, suggestions));
        }
        return new View(null, false, tables, fieldNames);
    }

    private static String label(RuleSpec rule) {
        return switch (rule.getType()) {
            case "allowed_values" -> rule.valuesFromSchema() ? rule.getField() + " is one of the field's choices"
                    : rule.getField() + " is one of " + String.join(", ", rule.getValues());
            case "links_to" -> rule.getField() + " links to records of " + rule.getTable();
            case "pattern" -> rule.getField() + " matches " + rule.getRegex();
            default -> rule.getField() + " is " + rule.getType();
        };
    }
}
