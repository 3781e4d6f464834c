package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code pattern}: the value's text ({@link Values#text}: strings as-is, other JSON as compact JSON) must match
 * {@code regex} entirely ({@link Matcher#matches()}). Empty values are skipped and each element of an array is
 * checked ({@link ValueRule}). The regex is compiled once per table and its matcher reused. Message:
 * {@code Value 'X' of 'Email' does not match pattern '<regex>'}.
 */
final class PatternRule extends ValueRule {
    private final Matcher matcher;

    PatternRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink, "does not match pattern " + quoted(String.valueOf(spec.getRegex())));
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
    }

    @Override
    boolean accepts(String text) {
        boolean matches = matcher.reset(text).matches();
        matcher.reset(""); // do not keep the record's text alive
        return matches;
    }
}
