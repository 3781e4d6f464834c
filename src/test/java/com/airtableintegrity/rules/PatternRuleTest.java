package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PatternRuleTest extends RulesFixture {
    private static final String EMAIL = "[^@\\s]+@[^@\\s]+";
    private final TableRules t = single(RuleSpec.pattern("Email", EMAIL));

    private static String message(String value) {
        return "Value '" + value + "' of 'Email' does not match pattern '" + EMAIL + "'";
    }

    @Test
    void patternAcceptsMatchingValues() {
        t.accept("r1", json("{\"Email\":\"a@x.com\"}"));
        assertThat(issues).isEmpty();
        assertThat(t.counts()).containsExactly(Map.entry("pattern:Email", 0L));
    }

    @Test
    void patternFlagsNonMatchingValue() {
        t.accept("r1", json("{\"Email\":\"not-an-email\"}"));
        assertThat(issues).containsExactly(
                issue("T", "r1", "Email", "pattern", "not-an-email", message("not-an-email")));
        assertThat(t.issueCount()).isEqualTo(1);
    }

    @Test
    void patternRequiresTheWholeValueToMatch() {
        TableRules d = run(table("D", RuleSpec.pattern("Code", "[0-9]+"))).table("D");
        d.accept("r1", json("{\"Code\":\"123\"}"));
        d.accept("r2", json("{\"Code\":\"x123\"}"));
        d.accept("r3", json("{\"Code\":\"123 \"}"));
        assertThat(issues).extracting(Issue::recordId).containsExactly("r2", "r3");
        assertThat(issues).extracting(Issue::message).containsExactly(
                "Value 'x123' of 'Code' does not match pattern '[0-9]+'",
                "Value '123 ' of 'Code' does not match pattern '[0-9]+'");
    }

    @Test
    void patternChecksEachArrayElement() {
        t.accept("r1", json("{\"Email\":[\"a@x.com\",\"bad\",\"b@y.org\",\"worse\"]}"));
        assertThat(issues).containsExactly(
                issue("T", "r1", "Email", "pattern", "bad", message("bad")),
                issue("T", "r1", "Email", "pattern", "worse", message("worse")));
        assertThat(t.issueCount()).isEqualTo(2);
    }

    @Test
    void patternMatchesNumbersByTheirText() {
        TableRules d = run(table("D", RuleSpec.pattern("Qty", "[0-9]{1,2}"))).table("D");
        d.accept("r1", json("{\"Qty\":12}"));
        d.accept("r2", json("{\"Qty\":123}"));
        assertThat(issues).containsExactly(issue("D", "r2", "Qty", "pattern", "123",
                "Value '123' of 'Qty' does not match pattern '[0-9]{1,2}'"));
    }

    @Test
    void patternSkipsMissingValues() {
        t.accept("r1", json("{}"));
        t.accept("r2", json("{\"Email\":null}"));
        t.accept("r3", json("{\"Email\":\"\"}"));
        t.accept("r4", json("{\"Email\":[]}"));
        assertThat(issues).isEmpty();
    }

    @Test
    void patternThatBacktracksExponentiallyInJavaRegexRunsInLinearTime() {
        // java.util.regex spends minutes on this; RE2/J takes milliseconds. The bound is generous on purpose.
        TableRules d = run(table("D", RuleSpec.pattern("Code", "(a+){2,40}$"))).table("D");
        String text = "a".repeat(44) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> d.accept("r1", json("{\"Code\":\"" + text + "\"}")));
        assertThat(issues).containsExactly(issue("D", "r1", "Code", "pattern", text,
                "Value '" + text + "' of 'Code' does not match pattern '(a+){2,40}$'"));
        assertThat(d.issueCount()).isEqualTo(1);
    }

    @Test
    void patternUsingAFeatureRe2LeavesOutIsRejectedAtConstruction() {
        assertThatThrownBy(() -> run(table("D", RuleSpec.pattern("Code", "(a)\\1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rule pattern:Code of table 'D' has a regex that RE2 rejects: "
                        + "error parsing regexp: invalid escape sequence: `\\1`");
    }

    @Test
    void invalidPatternIsRejectedAtConstructionNamingTheRule() {
        assertThatThrownBy(() -> run(table("D", RuleSpec.pattern("Code", "[0-9"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern:Code")
                .hasMessageContaining("'D'");
    }
}
