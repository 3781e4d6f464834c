package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredRuleTest extends RulesFixture {
    private static final String MESSAGE = "Required field 'Email' is empty";

    @Test
    void requiredFlagsMissingKeyAsEmpty() {
        TableRules t = single(RuleSpec.required("Email"));
        t.accept("rec1", json("{\"Name\":\"Ann\"}"));
        assertThat(issues).containsExactly(issue("T", "rec1", "Email", "required", null, MESSAGE));
        assertThat(t.counts()).containsExactly(java.util.Map.entry("required:Email", 1L));
    }

    @Test
    void requiredFlagsJsonNull() {
        TableRules t = single(RuleSpec.required("Email"));
        t.accept("rec1", json("{\"Email\":null}"));
        assertThat(issues).containsExactly(issue("T", "rec1", "Email", "required", null, MESSAGE));
    }

    @Test
    void requiredFlagsEmptyString() {
        TableRules t = single(RuleSpec.required("Email"));
        t.accept("rec1", json("{\"Email\":\"\"}"));
        assertThat(issues).containsExactly(issue("T", "rec1", "Email", "required", null, MESSAGE));
    }

    @Test
    void requiredFlagsWhitespaceOnlyString() {
        TableRules t = single(RuleSpec.required("Email"));
        t.accept("rec1", json("{\"Email\":\" \\t\\n \"}"));
        assertThat(issues).containsExactly(issue("T", "rec1", "Email", "required", null, MESSAGE));
    }

    @Test
    void requiredFlagsEmptyArray() {
        TableRules t = single(RuleSpec.required("Email"));
        t.accept("rec1", json("{\"Email\":[]}"));
        assertThat(issues).containsExactly(issue("T", "rec1", "Email", "required", null, MESSAGE));
    }

    @Test
    void requiredTreatsNullFieldsObjectAsEmpty() {
        TableRules t = single(RuleSpec.required("Email"));
        t.accept("rec1", null);
        assertThat(issues).containsExactly(issue("T", "rec1", "Email", "required", null, MESSAGE));
        assertThat(t.records()).isEqualTo(1);
    }

    @Test
    void requiredAcceptsAnyNonEmptyValueIncludingZeroFalseAndObjects() {
        TableRules t = single(RuleSpec.required("Email"));
        t.accept("rec1", json("{\"Email\":\"a@x.com\"}"));
        t.accept("rec2", json("{\"Email\":0}"));
        t.accept("rec3", json("{\"Email\":false}"));
        t.accept("rec4", json("{\"Email\":[\"x\"]}"));
        t.accept("rec5", json("{\"Email\":{\"url\":\"u\"}}"));
        t.accept("rec6", json("{\"Email\":\" a \"}"));
        assertThat(issues).isEmpty();
        assertThat(t.issueCount()).isZero();
    }

    @Test
    void requiredFieldNamesAreCaseSensitive() {
        TableRules t = single(RuleSpec.required("Email"));
        t.accept("rec1", json("{\"email\":\"a@x.com\"}"));
        assertThat(issues).containsExactly(issue("T", "rec1", "Email", "required", null, MESSAGE));
    }
}
