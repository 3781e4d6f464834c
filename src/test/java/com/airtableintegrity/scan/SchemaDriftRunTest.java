package com.airtableintegrity.scan;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema drift through the routes: a run that reads its base's schema (for record links, as by default) records the
 * rules that no longer fit it in {@code schema_drift}, and a run that fails on a field Airtable does not know names
 * the rule and the schema change.
 */
class SchemaDriftRunTest extends RunnerTestBase {
    private static final String BASE = TestSettings.BASE;

    @BeforeEach
    void peopleWithAStatusSelect() {
        airtable.addTable(BASE, "People", Records.of('P', 3, i -> fields("Name", "P" + i,
                "Status", List.of("Active", "Paused", "Gone").get(i))));
        airtable.declareFields(BASE, "People", "Name");
        airtable.typeField(BASE, "People", "Status", "singleSelect",
                "{\"choices\":[{\"name\":\"Active\"},{\"name\":\"Paused\"},{\"name\":\"Gone\"}]}");
    }

    private void startWith(RuleSpec... rules) throws Exception {
        startRunner(List.of(new TableSpec("People", List.of(rules))), p -> p.getIssues().setRecordLinks(true));
    }

    @Test
    void aRunRecordsTheRulesThatNoLongerFitTheSchemaItRead() throws Exception {
        startWith(RuleSpec.allowedValues("Status", List.of("Active", "Paused")));

        String runId = runner.runNow();

        assertThat(doc(runId)).containsEntry("status", "warning").containsEntry("issues_found", 1L)
                .containsEntry("schema_drift", List.of(Map.of("table", "People", "rule", "allowed_values:Status",
                        "change", "the field's choices Gone are not in the rule's list (records using them are "
                                + "issues); values_from: schema would follow the field")));
    }

    @Test
    void aRunThatFailsOnAFieldAirtableDoesNotKnowNamesTheRuleAndTheSchemaChange() throws Exception {
        startWith(RuleSpec.required("Full name"));

        String runId = runner.runNow();

        Map<String, Object> run = doc(runId);
        assertThat(run).containsEntry("status", "error").containsEntry("schema_drift", List.of(Map.of(
                "table", "People", "rule", "required:Full name",
                "change", "field 'Full name' is not in table 'People' (renamed or deleted?)")));
        assertThat((String) run.get("error_message")).contains("has no field 'Full name'")
                .endsWith("this run's schema read shows: rule required:Full name: field 'Full name' is not in "
                        + "table 'People' (renamed or deleted?)");
    }

    @Test
    void aRunWhoseRulesFitTheSchemaRecordsNoDrift() throws Exception {
        startWith(RuleSpec.required("Name"), RuleSpec.allowedValuesFromSchema("Status"));

        String runId = runner.runNow();

        assertThat(doc(runId)).containsEntry("status", "success").doesNotContainKey("schema_drift");
    }
}
