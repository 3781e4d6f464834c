package com.airtableintegrity.scan;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;

/** A whole run through the real routes: paging, rules, and what lands in Firestore. */
class IntegrityScanTest extends RunnerTestBase {

    private static final List<TableSpec> TABLES = List.of(
            new TableSpec("Customers", List.of(
                    RuleSpec.required("Name"),
                    RuleSpec.required("Email"),
                    RuleSpec.unique("Email"),
                    RuleSpec.pattern("Email", "[^@\\s]+@[^@\\s]+\\.[a-z]+"),
                    RuleSpec.allowedValues("Status", List.of("Active", "Paused")))),
            new TableSpec("Order Lines", List.of(
                    RuleSpec.required("Customer"),
                    RuleSpec.linksTo("Customer", "Customers"))));

    private void loadDefectiveBase() {
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 250, i -> fields(
                "Name", i == 10 || i == 20 ? null : "Customer " + i,
                "Email", switch (i) {
                    case 5, 6 -> "dup@example.com";
                    case 7 -> "not-an-email";
                    case 8 -> null;
                    default -> "user" + i + "@example.com";
                },
                "Status", i == 9 ? "Unknown" : "Active")));
        airtable.addTable(TestSettings.BASE, "Order Lines", Records.of('O', 130, i -> fields(
                "Customer", switch (i) {
                    case 3 -> List.of("recMISSING0000001");
                    case 4 -> null;
                    default -> List.of(Records.id('C', i % 250));
                })));
    }

    @Test
    void multiPageMultiTableScanRecordsExactCountsAndStoresEveryIssue() throws Exception {
        loadDefectiveBase();
        startRunner(TABLES);

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("warning");
        assertThat(doc.get("trigger")).isEqualTo("manual");
        assertThat(doc.get("base_id")).isEqualTo(TestSettings.BASE);
        assertThat(doc.get("tables")).isEqualTo(List.of("Customers", "Order Lines"));
        assertThat(doc.get("runner_id")).isEqualTo("test-runner");
        assertThat(doc.get("max_duration_seconds")).isEqualTo(60L);
        assertThat(doc).containsKeys("started_at", "ended_at", "heartbeat_at", "duration_ms").doesNotContainKey("error_message");
        assertThat(doc.get("records_scanned")).isEqualTo(380L);
        assertThat(doc.get("issues_found")).isEqualTo(9L);
        assertThat(doc.get("issues_stored")).isEqualTo(9L);
        assertThat(doc.get("unfinished_tables")).isEqualTo(List.of());

        Map<String, Object> customers = map(doc, "table_results", "Customers");
        assertThat(customers).containsEntry("finished", true).containsEntry("records", 250L)
                .containsEntry("pages", 3L).containsEntry("issues", 7L);
        assertThat(map(customers, "issues_by_rule")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "required:Name", 2L, "required:Email", 1L, "unique:Email", 2L, "pattern:Email", 1L,
                "allowed_values:Status", 1L));
        Map<String, Object> orders = map(doc, "table_results", "Order Lines");
        assertThat(orders).containsEntry("finished", true).containsEntry("records", 130L).containsEntry("pages", 2L);
        assertThat(map(orders, "issues_by_rule")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "required:Customer", 1L, "links_to:Customer", 1L));
        assertThat(map(doc, "counters")).containsEntry("requests", 5L).containsEntry("pages", 5L)
                .containsEntry("retries", 0L).containsEntry("rate_limited_429", 0L);

        List<Map<String, Object>> issues = issues(runId);
        assertThat(issues).hasSize(9);
        assertThat(issues).filteredOn(i -> "unique".equals(i.get("rule")))
                .extracting(i -> i.get("record_id"))
                .containsExactlyInAnyOrder(Records.id('C', 5), Records.id('C', 6));
        assertThat(issues).filteredOn(i -> "links_to".equals(i.get("rule"))).singleElement()
                .satisfies(i -> {
                    assertThat(i.get("table")).isEqualTo("Order Lines");
                    assertThat(i.get("record_id")).isEqualTo(Records.id('O', 3));
                    assertThat((String) i.get("message")).contains("recMISSING0000001");
                });
        assertThat(airtable.requests()).allMatch(r -> r.authValid());
    }

    @Test
    void cleanBaseEndsSuccessWithNoIssues() throws Exception {
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 120, i -> fields(
                "Name", "Customer " + i, "Email", "user" + i + "@example.com", "Status", "Active")));
        airtable.addTable(TestSettings.BASE, "Order Lines", Records.of('O', 10, i -> fields(
                "Customer", List.of(Records.id('C', i)))));
        startRunner(TABLES);

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("success");
        assertThat(doc.get("issues_found")).isEqualTo(0L);
        assertThat(issues(runId)).isEmpty();
    }

    @Test
    void issuesBeyondTheCapAreCountedButNotStored() throws Exception {
        List<Map<String, Object>> customers = new ArrayList<>(Records.of('C', 300, i -> fields("Name", "x")));
        airtable.addTable(TestSettings.BASE, "Customers", customers);
        // the table has an Email field, empty in every record (Airtable omits it; its schema still lists it)
        airtable.declareFields(TestSettings.BASE, "Customers", "Name", "Email");
        startRunner(List.of(new TableSpec("Customers", List.of(RuleSpec.required("Email")))),
                p -> p.getIssues().setMaxStored(120));

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("warning");
        assertThat(doc.get("issues_found")).isEqualTo(300L);
        assertThat(doc.get("issues_stored")).isEqualTo(120L);
        assertThat(issues(runId)).hasSize(120);
    }
}
