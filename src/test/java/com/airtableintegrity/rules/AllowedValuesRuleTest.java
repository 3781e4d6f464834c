package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AllowedValuesRuleTest extends RulesFixture {
    private final TableRules t = single(RuleSpec.allowedValues("Status", List.of("A", "B")));

    @Test
    void allowedValuesAcceptsListedStrings() {
        t.accept("r1", json("{\"Status\":\"A\"}"));
        t.accept("r2", json("{\"Status\":\"B\"}"));
        assertThat(issues).isEmpty();
        assertThat(t.counts()).containsExactly(Map.entry("allowed_values:Status", 0L));
    }

    @Test
    void allowedValuesFlagsStringNotInList() {
        t.accept("r1", json("{\"Status\":\"X\"}"));
        assertThat(issues).containsExactly(issue("T", "r1", "Status", "allowed_values", "X",
                "Value 'X' of 'Status' is not one of [A, B]"));
        assertThat(t.issueCount()).isEqualTo(1);
    }

    @Test
    void allowedValuesIsCaseSensitive() {
        t.accept("r1", json("{\"Status\":\"a\"}"));
        assertThat(issues).extracting(Issue::value).containsExactly("a");
    }

    @Test
    void allowedValuesChecksEachArrayElementWithOneIssuePerBadElement() {
        t.accept("r1", json("{\"Status\":[\"A\",\"X\",\"B\",\"Y\"]}"));
        assertThat(issues).containsExactly(
                issue("T", "r1", "Status", "allowed_values", "X", "Value 'X' of 'Status' is not one of [A, B]"),
                issue("T", "r1", "Status", "allowed_values", "Y", "Value 'Y' of 'Status' is not one of [A, B]"));
        assertThat(t.issueCount()).isEqualTo(2);
    }

    @Test
    void allowedValuesComparesOtherTypesByText() {
        TableRules n = run(table("N", RuleSpec.allowedValues("Level", List.of("1", "true")))).table("N");
        n.accept("r1", json("{\"Level\":1}"));
        n.accept("r2", json("{\"Level\":true}"));
        n.accept("r3", json("{\"Level\":2}"));
        n.accept("r4", json("{\"Level\":{\"k\": 1}}"));
        assertThat(issues).containsExactly(
                issue("N", "r3", "Level", "allowed_values", "2", "Value '2' of 'Level' is not one of [1, true]"),
                issue("N", "r4", "Level", "allowed_values", "{\"k\":1}",
                        "Value '{\"k\":1}' of 'Level' is not one of [1, true]"));
    }

    @Test
    void allowedValuesSkipsMissingValues() {
        t.accept("r1", json("{}"));
        t.accept("r2", json("{\"Status\":null}"));
        t.accept("r3", json("{\"Status\":[]}"));
        t.accept("r4", json("{\"Status\":\"\"}"));
        assertThat(issues).isEmpty();
        assertThat(t.issueCount()).isZero();
    }

    @Test
    void allowedValuesWithEmptyListRejectsEveryValue() {
        TableRules e = run(table("E", RuleSpec.allowedValues("Status", List.of()))).table("E");
        e.accept("r1", json("{\"Status\":\"A\"}"));
        assertThat(issues).containsExactly(
                issue("E", "r1", "Status", "allowed_values", "A", "Value 'A' of 'Status' is not one of []"));
    }
}
