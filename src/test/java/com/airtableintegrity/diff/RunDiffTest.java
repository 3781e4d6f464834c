package com.airtableintegrity.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.diff.IssueState.RuleIssues;
import com.airtableintegrity.diff.IssueState.Seen;
import com.airtableintegrity.rules.Issue;

/** The diff's rules, without Camel or Firestore. */
class RunDiffTest {
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Seen RUN1 = new Seen("run1", T1);

    private static IssueState baseline(String table, String rule, String... records) {
        Seen[] seen = new Seen[records.length];
        java.util.Arrays.fill(seen, RUN1);
        Map<String, Map<String, RuleIssues>> tables = new LinkedHashMap<>();
        tables.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(rule, new RuleIssues(records, seen));
        return new IssueState("run1", "appBase", tables);
    }

    private static IssueIdentities found(Issue... issues) {
        IssueIdentities ids = new IssueIdentities();
        for (Issue issue : issues) {
            ids.add(issue);
        }
        return ids;
    }

    private static Issue issue(String table, String rule, String field, String record) {
        return new Issue(table, record, field, rule, "v", "m");
    }

    private static RunDiff diff(IssueState before, Map<String, List<String>> rules, Set<String> finished,
                                IssueIdentities found) {
        return RunDiff.compute("run2", "appBase", T2, before, rules, finished, found, 100);
    }

    @Test
    void twoBadElementsOfOneRecordAreTwoIssuesOfOneIdentity() {
        IssueState before = baseline("T", "allowed_values:Tags", "recA");
        RunDiff diff = diff(before, Map.of("T", List.of("allowed_values:Tags")), Set.of("T"), found(
                issue("T", "allowed_values", "Tags", "recA"), issue("T", "allowed_values", "Tags", "recA"),
                issue("T", "allowed_values", "Tags", "recB")));

        assertThat(diff.total()).isEqualTo(new RunDiff.Counts(1, 2, 0, 0));
        assertThat(diff.next().tables().get("T").get("allowed_values:Tags").records())
                .containsExactly("recA", "recB");
    }

    @Test
    void aTableTheBaselineNeverReadIsFirstRunAndNotCompared() {
        IssueState before = baseline("T", "required:Name", "recA");
        RunDiff diff = diff(before, Map.of("T", List.of("required:Name"), "U", List.of("required:Name")),
                Set.of("T", "U"), found(issue("U", "required", "Name", "recX")));

        assertThat(diff.total()).isEqualTo(new RunDiff.Counts(0, 0, 1, 1));
        assertThat(diff.notCompared()).containsExactly("U");
        assertThat(diff.classify(issue("U", "required", "Name", "recX")).state()).isEqualTo("first_run");
    }

    @Test
    void aTableTheRunDidNotFinishKeepsNoStateAndResolvesNothing() {
        IssueState before = baseline("T", "required:Name", "recA", "recB");
        RunDiff diff = diff(before, Map.of("T", List.of("required:Name")), Set.of(),
                found(issue("T", "required", "Name", "recB")));

        assertThat(diff.total()).isEqualTo(new RunDiff.Counts(0, 1, 0, 0));
        assertThat(diff.next().tables()).isEmpty();
        assertThat(diff.resolved()).isEmpty();
    }

    @Test
    void aPersistingIssueKeepsTheRunThatFirstSawItAndANewOneGetsThisRun() {
        IssueState before = baseline("T", "required:Name", "recA");
        RunDiff diff = diff(before, Map.of("T", List.of("required:Name")), Set.of("T"),
                found(issue("T", "required", "Name", "recA"), issue("T", "required", "Name", "recB")));

        RuleIssues next = diff.next().tables().get("T").get("required:Name");
        assertThat(next.find("recA")).isEqualTo(RUN1);
        assertThat(next.find("recB")).isEqualTo(new Seen("run2", T2));
    }

    @Test
    void resolvedIssuesAreCountedExactlyButKeptOnlyUpToTheCap() {
        String[] many = new String[250];
        for (int i = 0; i < many.length; i++) {
            many[i] = String.format("rec%05d", i);
        }
        RunDiff diff = RunDiff.compute("run2", "appBase", T2, baseline("T", "unique:Email", many),
                Map.of("T", List.of("unique:Email")), Set.of("T"), new IssueIdentities(), 100);

        assertThat(diff.total().resolved()).isEqualTo(250);
        assertThat(diff.resolved()).hasSize(100);
        assertThat(diff.resolved().get(0)).isEqualTo(new RunDiff.Resolved("T", "unique:Email", "rec00000", RUN1));
    }

    @Test
    void aRuleWithNoIssueIsStillPartOfTheStateSoThatItsFirstIssueLaterIsNew() {
        RunDiff diff = diff(null, Map.of("T", List.of("required:Name")), Set.of("T"), new IssueIdentities());

        assertThat(diff.next().tables().get("T")).containsOnlyKeys("required:Name");
        RunDiff later = RunDiff.compute("run3", "appBase", T2, diff.next(), Map.of("T", List.of("required:Name")),
                Set.of("T"), found(issue("T", "required", "Name", "recA")), 100);
        assertThat(later.total()).isEqualTo(new RunDiff.Counts(1, 0, 0, 0));
    }
}
