package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Consumer;

/**
 * {@code required}: one issue per record whose field is empty in the sense of {@link Values#isEmpty}: key missing
 * (Airtable omits empty fields), JSON {@code null}, a string that is empty or whitespace only, or an empty array.
 * {@code 0}, {@code false} and objects count as values. The issue's value is always {@code null}; its message is
 * {@code Required field 'Email' is empty}.
 */
final class RequiredRule extends Rule {
    private final String message;

    RequiredRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink);
        this.message = "Required field " + quoted(field) + " is empty";
    }

    @Override
    void accept(String recordId, JsonNode value) {
        if (Values.isEmpty(value)) {
            emit(recordId, null, message);
        }
    }
}
