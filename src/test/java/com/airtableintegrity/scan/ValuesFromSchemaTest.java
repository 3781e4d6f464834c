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
 * {@code values_from: schema}: an allowed_values rule whose values are the field's choices as the run's schema read
 * finds them, so a choice added in Airtable is allowed at the next run; a run whose schema has no such choices fails
 * naming the rule.
 */
class ValuesFromSchemaTest extends RunnerTestBase {
    private static final String BASE = TestSettings.BASE;
    private static final String ACTIVE_PAUSED = "{\"choices\":[{\"id\":\"s1\",\"name\":\"Active\"},"
            + "{\"id\":\"s2\",\"name\":\"Paused\"}]}";

    @BeforeEach
    void peopleWithAStatusOutsideTheChoices() throws Exception {
        airtable.addTable(BASE, "People", Records.of('P', 3, i -> fields("Name", "P" + i,
                "Status", List.of("Active", "Paused", "Gone").get(i))));
        airtable.declareFields(BASE, "People", "Name");
        startRunner(List.of(new TableSpec("People", List.of(RuleSpec.allowedValuesFromSchema("Status")))));
    }

    @Test
    void theRuleTakesTheFieldsChoicesOfTheRunsSchemaReadSoAChoiceAddedInAirtableIsAllowedNextRun() throws Exception {
        airtable.typeField(BASE, "People", "Status", "singleSelect", ACTIVE_PAUSED);
        String first = runner.runNow();
        airtable.typeField(BASE, "People", "Status", "singleSelect", "{\"choices\":[{\"name\":\"Active\"},"
                + "{\"name\":\"Paused\"},{\"name\":\"Gone\"}]}");
        String second = runner.runNow();

        assertThat(doc(first)).containsEntry("status", "warning").containsEntry("issues_found", 1L);
        assertThat(issues(first)).extracting(i -> i.get("message")).containsExactly(
                "Value 'Gone' of 'Status' is not one of [Active, Paused] (the field's choices in Airtable)");
        assertThat(doc(second)).containsEntry("status", "success").containsEntry("issues_found", 0L);
        assertThat(airtable.schemaRequests(BASE)).hasSize(2);
    }

    @Test
    void aFieldWhoseSchemaListsNoChoicesFailsTheRunNamingTheRule() {
        String runId = runner.runNow();

        assertThat(doc(runId)).containsEntry("status", "error");
        assertThat((String) doc(runId).get("error_message")).contains("rule allowed_values:Status takes its values "
                + "from the field's choices, but the base's schema lists no choices for field 'Status' of this table "
                + "(renamed, deleted, or no longer a select?)").contains("People");
    }

    @Test
    void aTokenThatMayNotReadTheSchemaFailsTheRunSayingWhichScopeItLacks() {
        airtable.typeField(BASE, "People", "Status", "singleSelect", ACTIVE_PAUSED);
        airtable.forbidSchema(BASE);

        String runId = runner.runNow();

        Map<String, Object> run = doc(runId);
        assertThat(run).containsEntry("status", "error");
        assertThat((String) run.get("error_message")).contains("a rule takes its values from the field's choices "
                + "(values_from: schema), but the token may not read the base's schema (scope schema.bases:read)");
    }
}
