package com.airtableintegrity.scan;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.AirtableDoubleRequest;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The scan downloads only the fields the rules read ({@code fields[]=...}); a table whose rules read none asks for
 * its primary field, named by the base's schema (read once per run), or for all fields when the token may not read
 * the schema; a rule naming a field the table lacks fails the run naming both.
 */
class FieldProjectionTest extends RunnerTestBase {
    private static final String NOTES = "n".repeat(4096);

    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger projectionLog =
            (Logger) LoggerFactory.getLogger("com.airtableintegrity.airtable.FieldProjection");

    @BeforeEach
    void captureWarnings() {
        warnings.start();
        projectionLog.addAppender(warnings);
    }

    @AfterEach
    void releaseWarnings() {
        projectionLog.detachAppender(warnings);
    }

    /** 150 customers (2 pages): "Full Name" empty on 2, "Größe" outside S/M/L on 1; each with a 4 KB "Notes". */
    private void loadCustomers() {
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 150, i -> fields(
                "Full Name", i == 3 || i == 4 ? null : "Customer " + i,
                "Größe", i == 7 ? "XXL" : "M",
                "Notes", NOTES,
                "Photos", List.of(Map.of("id", "att" + i, "url", "https://example.com/" + i + ".png")))));
    }

    @Test
    void requestsCarryExactlyTheRuleFieldsEncodedAndTheCountsAreExact() throws Exception {
        loadCustomers();
        startRunner(List.of(new TableSpec("Customers", List.of(
                RuleSpec.required("Full Name"),
                RuleSpec.unique("Full Name"),
                RuleSpec.allowedValues("Größe", List.of("S", "M", "L"))))));

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("warning");
        assertThat(doc.get("records_scanned")).isEqualTo(150L);
        assertThat(map(doc, "table_results", "Customers", "issues_by_rule")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "required:Full Name", 2L, "unique:Full Name", 0L, "allowed_values:Größe", 1L));
        List<AirtableDoubleRequest> requests = airtable.requestsForTable("Customers");
        assertThat(requests).hasSize(2).allSatisfy(r -> {
            assertThat(r.target()).contains("?pageSize=100&fields%5B%5D=Full%20Name&fields%5B%5D=Gr%C3%B6%C3%9Fe");
            assertThat(r.fields()).containsExactly("Full Name", "Größe");
            assertThat(r.bodyBytes()).as("no 4 KB notes in the page").isLessThan(100 * 200);
        });
        assertThat(airtable.schemaRequests(TestSettings.BASE)).as("no schema needed").isEmpty();
        assertThat(warnings.list).isEmpty();
    }

    @Test
    void linkTargetsWithoutRuleFieldsAskForTheirPrimaryFieldReadOnceFromTheSchema() throws Exception {
        loadCustomers();
        airtable.declareFields(TestSettings.BASE, "Customers", "Full Name", "Archived");
        airtable.addTable(TestSettings.BASE, "Products", Records.of('P', 5, i -> fields(
                "Spec Sheet", NOTES, "SKU", "sku-" + i)));
        airtable.declareFields(TestSettings.BASE, "Products", "SKU");
        airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 20, i -> fields(
                "Customer", List.of(i == 2 ? "recMISSING0000001" : Records.id('C', i)),
                "Product", List.of(Records.id('P', i % 5)),
                "Comment", NOTES)));
        startRunner(List.of(new TableSpec("Customers", List.of()), new TableSpec("Products", List.of()),
                new TableSpec("Orders", List.of(RuleSpec.linksTo("Customer", "Customers"),
                        RuleSpec.linksTo("Product", "Products")))));

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("warning");
        assertThat(doc.get("records_scanned")).isEqualTo(175L);
        assertThat(map(doc, "table_results", "Orders", "issues_by_rule")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "links_to:Customer", 1L, "links_to:Product", 0L));
        assertThat(airtable.schemaRequests(TestSettings.BASE)).as("one schema request per run and base")
                .singleElement().satisfies(r -> assertThat(r.target()).isEqualTo(
                        "/v0/meta/bases/" + TestSettings.BASE + "/tables"));
        assertThat(airtable.requestsForTable("Customers")).hasSize(2)
                .allSatisfy(r -> assertThat(r.fields()).containsExactly("Full Name"));
        assertThat(airtable.requestsForTable("Products")).singleElement()
                .satisfies(r -> assertThat(r.fields()).containsExactly("SKU"));
        assertThat(airtable.requestsForTable("Orders")).singleElement()
                .satisfies(r -> assertThat(r.fields()).containsExactly("Customer", "Product"));
        assertThat(map(doc, "counters")).containsEntry("requests", 5L).containsEntry("pages", 4L);
        assertThat(warnings.list).isEmpty();
    }

    @Test
    void aTokenWithoutSchemaScopeReadsSuchTablesWithAllFieldsAndSaysSoOnce() throws Exception {
        loadCustomers();
        airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 20, i -> fields(
                "Customer", List.of(i == 2 ? "recMISSING0000001" : Records.id('C', i)))));
        airtable.forbidSchema(TestSettings.BASE);
        startRunner(List.of(new TableSpec("Customers", List.of()),
                new TableSpec("Orders", List.of(RuleSpec.linksTo("Customer", "Customers")))));

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("warning");
        assertThat(doc.get("records_scanned")).isEqualTo(170L);
        assertThat(map(doc, "table_results", "Orders", "issues_by_rule")).containsEntry("links_to:Customer", 1L);
        assertThat(airtable.schemaRequests(TestSettings.BASE)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(403));
        assertThat(airtable.requestsForTable("Customers")).hasSize(2)
                .allSatisfy(r -> assertThat(r.fields()).as("all fields").isNull());
        assertThat(warnings.list).singleElement().satisfies(w -> {
            assertThat(w.getLevel()).isEqualTo(Level.WARN);
            assertThat(w.getFormattedMessage()).contains("schema.bases:read", "'Customers'", "all their fields")
                    .doesNotContain(TestSettings.TOKEN);
        });
    }

    @Test
    void aRuleNamingAFieldTheTableLacksFailsTheRunNamingTableAndFieldWithNoCounts() throws Exception {
        loadCustomers();
        startRunner(List.of(new TableSpec("Customers", List.of(
                RuleSpec.required("Full Name"), RuleSpec.required("Emial")))));

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("error");
        assertThat((String) doc.get("error_message"))
                .contains("Table 'Customers'", "no field 'Emial'", "UNKNOWN_FIELD_NAME")
                .doesNotContain(TestSettings.TOKEN);
        assertThat(doc.get("records_scanned")).isEqualTo(0L);
        assertThat(doc.get("issues_found")).isEqualTo(0L);
        assertThat(issues(runId)).isEmpty();
        assertThat(airtable.requestsForTable("Customers")).as("not retried").singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(422));
    }
}
