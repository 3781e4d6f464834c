package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code allowed_values}: a string must be one of {@code values} exactly (case-sensitive); any other value (number,
 * boolean, object, nested array) is compared by its compact JSON text, so {@code 1} is allowed by {@code "1"}.
 * Empty values are skipped and each element of a multiple select is checked ({@link ValueRule}). Message:
 * {@code Value 'X' of 'Status' is not one of [A, B]}. With {@code values_from: schema} the values are the field's
 * choices as the run's schema read found them, {@link #bind bound} before the table's first page.
 */
final class AllowedValuesRule extends ValueRule {
    private final boolean fromSchema;
    private volatile Set<String> allowed;
    private volatile String violation;

    AllowedValuesRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink, null);
        this.fromSchema = spec.valuesFromSchema();
        if (!fromSchema) {
            bind(spec.getValues(), "");
        }
    }

    /** Whether its values are the field's choices in the schema. */
    boolean fromSchema() {
        return fromSchema;
    }

    /** Its values from now on: the field's {@code choices} (from the schema). */
    void bind(List<String> choices) {
        bind(choices, " (the field's choices in Airtable)");
    }

    private void bind(List<String> values, String source) {
        allowed = Set.copyOf(values);
        violation = "is not one of [" + String.join(", ", values) + "]" + source;
    }

    @Override
    String violation() {
        return violation;
    }

    @Override
    boolean accepts(String text) {
        Set<String> values = allowed;
        if (values == null) {
            throw new IllegalStateException("Rule " + key + " of table '" + table + "' takes its values from the "
                    + "schema, which was not read before the table's records");
        }
        return values.contains(text);
    }
}
