package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code allowed_values}: records without a value ({@link Values#isEmpty}) are skipped. A string must be one of
 * {@code values} exactly (case-sensitive). An array (multiple select) has each element checked, one issue per bad
 * element; empty elements are skipped. Any other value (number, boolean, object, or a nested array element) is
 * compared by its text ({@link Values#text}: compact JSON), so {@code 1} is allowed by {@code "1"}. Message:
 * {@code Value 'X' of 'Status' is not one of [A, B]}; the issue's value is the bad element's excerpt.
 */
final class AllowedValuesRule extends Rule {
    private final Set<String> allowed;
    private final String suffix;

    AllowedValuesRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink);
        this.allowed = new HashSet<>(spec.getValues());
        this.suffix = "' of " + quoted(field) + " is not one of [" + String.join(", ", spec.getValues()) + "]";
    }

    @Override
    void accept(String recordId, JsonNode value) {
        if (Values.isEmpty(value)) {
            return;
        }
        if (value.isArray()) {
            for (int i = 0, n = value.size(); i < n; i++) {
                JsonNode element = value.get(i);
                if (!Values.isEmpty(element)) {
                    check(recordId, element);
                }
            }
        } else {
            check(recordId, value);
        }
    }

    private void check(String recordId, JsonNode value) {
        String text = Values.text(value);
        if (!allowed.contains(text)) {
            String excerpt = Values.excerpt(text);
            emit(recordId, excerpt, "Value '" + excerpt + suffix);
        }
    }
}
