package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code allowed_values}: a string must be one of {@code values} exactly (case-sensitive); any other value (number,
 * boolean, object, nested array) is compared by its compact JSON text, so {@code 1} is allowed by {@code "1"}.
 * Empty values are skipped and each element of a multiple select is checked ({@link ValueRule}). Message:
 * {@code Value 'X' of 'Status' is not one of [A, B]}.
 */
final class AllowedValuesRule extends ValueRule {
    private final Set<String> allowed;

    AllowedValuesRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink, "is not one of [" + String.join(", ", spec.getValues()) + "]");
        this.allowed = new HashSet<>(spec.getValues());
    }

    @Override
    boolean accepts(String text) {
        return allowed.contains(text);
    }
}
