package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.function.Consumer;

/**
 * {@code pattern}: the value's text ({@link Values#text}: strings as-is, other JSON as compact JSON) must match
 * {@code regex} entirely ({@link Matcher#matches()}). Empty values are skipped and each element of an array is
 * checked ({@link ValueRule}). Message: {@code Value 'X' of 'Email' does not match pattern '<regex>'}.
 * <p>
 * The regex is RE2 syntax, run by RE2/J: matching takes time linear in the text whatever the regex, so a
 * configured regex such as {@code (a+){2,40}$} cannot stall a run the way a backtracking engine
 * ({@code java.util.regex}) does on {@code aaa…a!}. The price is that RE2 has no backreferences, lookaround,
 * possessive quantifiers or atomic groups; such a regex is rejected at construction (and at startup by
 * {@code IntegrityPropertiesValidator}). The regex is compiled once per table and its matcher reused.
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
            throw new IllegalArgumentException("Rule " + key + " of table '" + table
                    + "' has a regex that RE2 rejects: " + e.getMessage(), e);
        }
    }

    @Override
    boolean accepts(String text) {
        boolean matches = matcher.reset(text).matches();
        matcher.reset(""); // do not keep the record's text alive
        return matches;
    }
}
