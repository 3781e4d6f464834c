package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code pattern}: records without a value ({@link Values#isEmpty}) are skipped. The value's text
 * ({@link Values#text}: strings as-is, other JSON as compact JSON) must match {@code regex} entirely
 * ({@link Matcher#matches()}). An array has each non-empty element checked, one issue per bad element.
 * The regex is compiled once per table and its matcher reused. Message:
 * {@code Value 'X' of 'Email' does not match pattern '<regex>'}.
 */
final class PatternRule extends Rule {
    private final Matcher matcher;
    private final String suffix;

    PatternRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink);
        String regex = spec.getRegex();
        if (regex == null) {
            throw new IllegalArgumentException("Rule " + key + " of table '" + table + "' has no regex");
        }
        try {
            this.matcher = Pattern.compile(regex).matcher("");
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "Rule " + key + " of table '" + table + "' has an invalid regex: " + e.getMessage(), e);
        }
        this.suffix = "' of " + quoted(field) + " does not match pattern " + quoted(regex);
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
        if (!matcher.reset(text).matches()) {
            String excerpt = Values.excerpt(text);
            emit(recordId, excerpt, "Value '" + excerpt + suffix);
        }
        matcher.reset(""); // do not keep the record's text alive
    }
}
