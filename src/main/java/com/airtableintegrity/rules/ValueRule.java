package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Consumer;

/**
 * A rule that judges each value on its own: records without a value ({@link Values#isEmpty}) are skipped, an array
 * has each non-empty element checked (one issue per bad element), and a value is judged by its text
 * ({@link Values#text}). The issue message is {@code Value '<excerpt>' of '<field>' <violation>}.
 */
abstract class ValueRule extends Rule {
    private final String of;
    private final String violation;

    ValueRule(String table, RuleSpec spec, Consumer<Issue> sink, String violation) {
        super(table, spec, sink);
        this.of = "' of " + quoted(field) + " ";
        this.violation = violation;
    }

    /** What a bad value violates, for the issue's message. */
    String violation() {
        return violation;
    }

    /** True when the value's text satisfies the rule. */
    abstract boolean accepts(String text);

    @Override
    final void accept(String recordId, JsonNode value) {
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
        if (!accepts(text)) {
            String excerpt = Values.excerpt(text);
            emit(recordId, excerpt, "Value '" + excerpt + of + violation());
        }
    }
}
