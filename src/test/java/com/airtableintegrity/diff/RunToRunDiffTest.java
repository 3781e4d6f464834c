package com.airtableintegrity.diff;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/**
 * What changed since the last run, through the real routes and the emulator: the Airtable double's records change
 * between runs, and each run's document says exactly what is new, persisting, resolved or first seen, against the
 * baseline it names.
 */
class RunToRunDiffTest extends RunnerTestBase {
    private static final int CUSTOMERS = 250;
    private static final List<TableSpec> EMAIL_RULES = List.of(new TableSpec("Customers", List.of(
            RuleSpec.required("Email"), RuleSpec.unique("Email"))));

    /** Customers whose Email is missing where {@code missing} says, deleted where {@code deleted} says. */
    private void customers(IntPredicate missing, IntPredicate deleted) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> record : Records.of('C', CUSTOMERS, i -> fields("Name", "Customer " + i,
                "Email", missing.test(i) ? null : "user" + i + "@example.com", "Status", i < 3 ? "Gone" : "Active"))) {
            int i = Integer.parseInt(((String) record.get("id")).substring(4));
            if (!deleted.test(i)) {
                records.add(record);
            }
        }
        airtable.addTable(TestSettings.BASE, "Customers", records);
    }

    private static IntPredicate between(int from, int to) {
        return i -> i >= from && i <= to;
    }

    @Test
    void threeRunsCountNewPersistingAndResolvedIssuesExactlyAgainstThePreviousRun() throws Exception {
        startRunner(EMAIL_RULES);
        customers(between(1, 10), i -> false);
        String first = runner.runNow();
        customers(between(7, 13), i -> i == 6); // 1-5 fixed, 6 deleted, 7-10 still missing, 11-13 new
        String second = runner.runNow();
        customers(between(9, 14), i -> i == 6); // 7-8 fixed, 9-13 still missing, 14 new
        String third = runner.runNow();

        assertThat(doc(first)).containsEntry("issues_found", 10L).containsEntry("issues_first_run", 10L)
                .containsEntry("issues_new", 0L).containsEntry("issues_persisting", 0L)
                .containsEntry("issues_resolved", 0L).containsEntry("baseline_run_id", null);
        assertThat(map(doc(first), "baseline")).containsEntry("none_because",
                "no earlier run of this schedule ended success or warning");
        assertThat(doc(second)).containsEntry("baseline_run_id", first).containsEntry("issues_found", 7L)
                .containsEntry("issues_new", 3L).containsEntry("issues_persisting", 4L)
                .containsEntry("issues_resolved", 6L).containsEntry("issues_first_run", 0L)
                .containsEntry("issues_resolved_stored", 6L).containsEntry("tables_not_compared", List.of());
        assertThat(map(doc(second), "table_results", "Customers", "diff_by_rule", "required:Email"))
                .containsEntry("issues_new", 3L).containsEntry("issues_persisting", 4L)
                .containsEntry("issues_resolved", 6L).containsEntry("issues_first_run", 0L);
        assertThat(doc(third)).containsEntry("baseline_run_id", second).containsEntry("issues_found", 6L)
                .containsEntry("issues_new", 1L).containsEntry("issues_persisting", 5L)
                .containsEntry("issues_resolved", 2L);
    }

    @Test
    void storedIssuesCarryTheirStateAndTheRunThatFirstSawThem() throws Exception {
        startRunner(EMAIL_RULES);
        customers(between(1, 3), i -> false);
        String first = runner.runNow();
        customers(between(2, 4), i -> false);
        String second = runner.runNow();

        Map<String, Map<String, Object>> byRecord = new java.util.TreeMap<>();
        for (Map<String, Object> issue : issues(second)) {
            byRecord.put((String) issue.get("record_id"), issue);
        }
        assertThat(byRecord.keySet()).containsExactly(Records.id('C', 2), Records.id('C', 3), Records.id('C', 4));
        assertThat(byRecord.get(Records.id('C', 2))).containsEntry("state", "persisting")
                .containsEntry("first_seen_run_id", first)
                .containsEntry("first_seen_at", doc(first).get("started_at"));
        assertThat(byRecord.get(Records.id('C', 4))).containsEntry("state", "new")
                .containsEntry("first_seen_run_id", second)
                .containsEntry("first_seen_at", doc(second).get("started_at"));
        List<Map<String, Object>> resolved = stored(second, "resolved");
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0)).containsEntry("table", "Customers").containsEntry("record_id", Records.id('C', 1))
                .containsEntry("rule", "required").containsEntry("field", "Email").containsEntry("state", "resolved")
                .containsEntry("first_seen_run_id", first);
    }

    @Test
    void aRuleAddedCountsItsIssuesAsFirstRunAndARuleRemovedResolvesNothing() throws Exception {
        customers(between(1, 4), i -> false);
        startRunner(EMAIL_RULES);
        String first = runner.runNow();
        runner.close();
        startRunner(List.of(new TableSpec("Customers", List.of(RuleSpec.unique("Email"),
                RuleSpec.allowedValues("Status", List.of("Active"))))));
        String second = runner.runNow();

        assertThat(doc(second)).containsEntry("baseline_run_id", first).containsEntry("issues_found", 3L)
                .containsEntry("issues_first_run", 3L).containsEntry("issues_new", 0L)
                .containsEntry("issues_resolved", 0L);
        assertThat(map(doc(second), "table_results", "Customers", "diff_by_rule")).containsOnlyKeys(
                "unique:Email", "allowed_values:Status");
        assertThat(issues(second)).allSatisfy(issue -> assertThat(issue).containsEntry("state", "first_run"));
    }

    @Test
    void aTableTheRunDidNotFinishResolvesNothingAndTheChainKeepsItsBaseline() throws Exception {
        IntPredicate pageTwo = i -> i == 150 || i == 151;
        startRunner(EMAIL_RULES);
        customers(between(1, 4).or(pageTwo), i -> false);
        String first = runner.runNow();
        customers(between(2, 5).or(pageTwo), i -> false);
        airtable.fault(Fault.status(404, "NOT_FOUND", "Could not find what you are looking for")
                .onTable("Customers").onPage(2).always());
        String failed = runner.runNow();
        airtable.clearFaults();
        String third = runner.runNow();

        assertThat(doc(failed)).containsEntry("status", "error").containsEntry("baseline_run_id", first)
                .containsEntry("issues_found", 4L).containsEntry("issues_new", 1L)
                .containsEntry("issues_persisting", 3L).containsEntry("issues_resolved", 0L)
                .containsEntry("tables_not_compared", List.of("Customers")).doesNotContainKey("issue_state");
        assertThat(map(doc(failed), "table_results", "Customers")).containsEntry("compared", false);
        assertThat(doc(third)).containsEntry("baseline_run_id", first).containsEntry("issues_found", 6L)
                .containsEntry("issues_persisting", 5L).containsEntry("issues_new", 1L)
                .containsEntry("issues_resolved", 1L);
    }

    @Test
    void storedAndResolvedIssuesLinkToTheirRecordInAirtable() throws Exception {
        startRunner(EMAIL_RULES, p -> p.getIssues().setRecordLinks(true));
        customers(between(1, 2), i -> false);
        runner.runNow();
        customers(between(2, 2), i -> false);
        String second = runner.runNow();

        String table = airtable.tableId(TestSettings.BASE, "Customers");
        assertThat(issues(second)).singleElement().satisfies(issue -> assertThat(issue).containsEntry("record_url",
                "https://airtable.com/" + TestSettings.BASE + "/" + table + "/" + Records.id('C', 2)));
        assertThat(stored(second, "resolved")).singleElement().satisfies(issue -> assertThat(issue).containsEntry(
                "record_url", "https://airtable.com/" + TestSettings.BASE + "/" + table + "/" + Records.id('C', 1)));
        assertThat(airtable.schemaRequests(TestSettings.BASE)).hasSize(2);
    }

    @Test
    void aTokenThatMayNotReadTheSchemaGetsIssuesWithoutLinks() throws Exception {
        airtable.forbidSchema(TestSettings.BASE);
        startRunner(EMAIL_RULES, p -> p.getIssues().setRecordLinks(true));
        customers(between(1, 2), i -> false);

        String runId = runner.runNow();

        assertThat(doc(runId)).containsEntry("status", "warning").containsEntry("issues_found", 2L);
        assertThat(issues(runId)).hasSize(2).allSatisfy(issue -> assertThat(issue).doesNotContainKey("record_url"));
    }

    @Test
    void aBaselineCorruptedByHandIsNamedAndEveryIssueCountsAsFirstRun() throws Exception {
        startRunner(EMAIL_RULES);
        customers(between(1, 4), i -> false);
        String first = runner.runNow();
        runner.firestore().collection("integrity_runs").document(first).collection("issue_state")
                .document("000000").update("records", 42).get(10, TimeUnit.SECONDS);
        String second = runner.runNow();

        assertThat(doc(second)).containsEntry("baseline_run_id", null).containsEntry("issues_first_run", 4L)
                .containsEntry("issues_new", 0L).containsEntry("status", "warning");
        assertThat(map(doc(second), "baseline")).containsEntry("none_because", "baseline run " + first
                + "'s issue state document 000000 has no records bytes");
    }

    @Test
    void aRunOfNoChangeIsAllPersistingAndItsOwnStateIsTheNextBaseline() throws Exception {
        startRunner(EMAIL_RULES);
        customers(between(1, 4), i -> false);
        runner.runNow();
        String second = runner.runNow();
        String third = runner.runNow();

        assertThat(doc(third)).containsEntry("baseline_run_id", second).containsEntry("issues_persisting", 4L)
                .containsEntry("issues_new", 0L).containsEntry("issues_resolved", 0L);
        assertThat(map(doc(third), "issue_state")).containsEntry("documents", 1L).containsEntry("entries", 4L);
        assertThat(Set.copyOf(stored(third, "issue_state"))).hasSize(1);
    }

    private List<Map<String, Object>> stored(String runId, String subcollection) throws Exception {
        return runner.firestore().collection("integrity_runs").document(runId).collection(subcollection)
                .get().get(10, TimeUnit.SECONDS).getDocuments().stream().map(QueryDocumentSnapshot::getData).toList();
    }
}
