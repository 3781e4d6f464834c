package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TableRulesTest extends RulesFixture {

    @Test
    void countsListEveryRuleKeyInConfigOrderWithZeroWhenClean() {
        TableRules t = run(
                table("T",
                        RuleSpec.pattern("Email", ".+@.+"),
                        RuleSpec.required("Name"),
                        RuleSpec.unique("Email"),
                        RuleSpec.linksTo("Owner", "T"),
                        RuleSpec.allowedValues("Status", List.of("A")))).table("T");
        t.accept("r1", json("{\"Email\":\"a@x\",\"Name\":\"n\"}"));
        assertThat(t.counts()).containsExactly(
                Map.entry("pattern:Email", 0L),
                Map.entry("required:Name", 0L),
                Map.entry("unique:Email", 0L),
                Map.entry("links_to:Owner", 0L),
                Map.entry("allowed_values:Status", 0L));
        assertThat(t.issueCount()).isZero();
    }

    @Test
    void issueCountIsTheSumOfCounts() {
        TableRules t = single(RuleSpec.required("Name"), RuleSpec.allowedValues("Status", List.of("A")));
        t.accept("r1", json("{\"Status\":[\"X\",\"Y\"]}"));
        t.accept("r2", json("{\"Name\":\"n\",\"Status\":\"A\"}"));
        assertThat(t.counts()).containsExactly(Map.entry("required:Name", 1L), Map.entry("allowed_values:Status", 2L));
        assertThat(t.issueCount()).isEqualTo(3);
    }

    @Test
    void rulesOnTheSameKeyShareOneSummedCount() {
        TableRules t = single(RuleSpec.pattern("Code", "[a-z]+"), RuleSpec.pattern("Code", "[0-9]+"));
        t.accept("r1", json("{\"Code\":\"abc\"}"));
        assertThat(t.counts()).containsExactly(Map.entry("pattern:Code", 1L));
        assertThat(t.issueCount()).isEqualTo(1);
    }

    @Test
    void oneRecordCanRaiseIssuesFromSeveralRulesInConfigOrder() {
        TableRules t = single(RuleSpec.required("Name"), RuleSpec.pattern("Code", "[0-9]+"));
        t.accept("r1", json("{\"Code\":\"x\"}"));
        assertThat(issues).extracting(Issue::rule).containsExactly("required", "pattern");
    }

    @Test
    void recordsCountsAcceptedRecordsSinceReset() {
        TableRules t = single(RuleSpec.required("Name"));
        t.accept("r1", json("{}"));
        t.accept("r2", json("{}"));
        assertThat(t.records()).isEqualTo(2);
        t.reset();
        assertThat(t.records()).isZero();
        t.accept("r1", json("{}"));
        assertThat(t.records()).isEqualTo(1);
    }

    @Test
    void tableWithoutRulesOnlyCountsRecords() {
        TableRules t = single();
        t.accept("r1", json("{\"A\":1}"));
        t.finishTable();
        assertThat(t.counts()).isEmpty();
        assertThat(t.issueCount()).isZero();
        assertThat(t.records()).isEqualTo(1);
    }

    @Test
    void resetDiscardsPartialStateSoNothingIsCountedTwice() {
        TableRules t = single(RuleSpec.required("Name"), RuleSpec.unique("Email"));
        t.accept("r1", json("{\"Email\":\"a\"}"));
        t.accept("r2", json("{\"Email\":\"b\"}"));
        t.reset();
        assertThat(t.counts()).containsExactly(Map.entry("required:Name", 0L), Map.entry("unique:Email", 0L));
        issues.clear();
        t.accept("r1", json("{\"Email\":\"a\"}"));
        t.accept("r2", json("{\"Email\":\"b\",\"Name\":\"n\"}"));
        t.accept("r3", json("{\"Email\":\"c\",\"Name\":\"n\"}"));
        t.finishTable();
        // r1 and r2 re-seen after the reset are not duplicates of their earlier selves
        assertThat(issues).containsExactly(
                issue("T", "r1", "Name", "required", null, "Required field 'Name' is empty"));
        assertThat(t.counts()).containsExactly(Map.entry("required:Name", 1L), Map.entry("unique:Email", 0L));
        assertThat(t.records()).isEqualTo(3);
    }

    @Test
    void resetAfterFinishTableAllowsUniqueToBeEvaluatedAgain() {
        TableRules t = single(RuleSpec.unique("Email"));
        t.accept("r1", json("{\"Email\":\"a\"}"));
        t.accept("r2", json("{\"Email\":\"a\"}"));
        t.finishTable();
        t.reset();
        assertThat(t.issueCount()).isZero();
        t.accept("r1", json("{\"Email\":\"a\"}"));
        t.accept("r2", json("{\"Email\":\"a\"}"));
        t.finishTable();
        assertThat(t.issueCount()).isEqualTo(2);
    }

    @Test
    void fieldsThatAreNotAnObjectAreTreatedAsEmpty() {
        TableRules t = single(RuleSpec.required("Name"));
        t.accept("r1", json("[\"Name\"]"));
        t.accept("r2", json("{}").get("missing"));
        assertThat(issues).extracting(Issue::recordId).containsExactly("r1", "r2");
    }

    @Test
    void valueExcerptIsCutTo200CharactersWithEllipsis() {
        TableRules t = single(RuleSpec.pattern("Code", "[0-9]+"));
        String text = "x".repeat(500);
        t.accept("r1", json("{\"Code\":\"" + text + "\"}"));
        String excerpt = "x".repeat(199) + "…";
        assertThat(issues).containsExactly(issue("T", "r1", "Code", "pattern", excerpt,
                "Value '" + excerpt + "' of 'Code' does not match pattern '[0-9]+'"));
        assertThat(excerpt).hasSize(200);
    }

    @Test
    void valueOfExactly200CharactersIsKeptWhole() {
        TableRules t = single(RuleSpec.pattern("Code", "[0-9]+"));
        String text = "x".repeat(200);
        t.accept("r1", json("{\"Code\":\"" + text + "\"}"));
        assertThat(issues).extracting(Issue::value).containsExactly(text);
    }

    @Test
    void valueExcerptDoesNotSplitASurrogatePair() {
        TableRules t = single(RuleSpec.pattern("Code", "[0-9]+"));
        String text = "x".repeat(198) + "😀" + "y".repeat(10);
        t.accept("r1", json("{\"Code\":\"" + text + "\"}"));
        assertThat(issues).extracting(Issue::value).containsExactly("x".repeat(198) + "…");
    }

    @Test
    void nonStringValuesAreRenderedAsCompactJson() {
        TableRules t = single(RuleSpec.pattern("Data", "[0-9]+"));
        t.accept("r1", json("{\"Data\": { \"a\" : [ 1 , true , null ] } }"));
        assertThat(issues).extracting(Issue::value).containsExactly("{\"a\":[1,true,null]}");
    }

    @Test
    void countsStayExactWhenTheSinkKeepsNothing() {
        RunRules run = new RunRules(List.of(table("T", RuleSpec.required("Name"))), issue -> { });
        TableRules t = run.table("T");
        for (int i = 0; i < 500; i++) {
            t.accept("r" + i, json("{}"));
        }
        assertThat(t.issueCount()).isEqualTo(500);
        assertThat(run.totalIssues()).isEqualTo(500);
    }
}
