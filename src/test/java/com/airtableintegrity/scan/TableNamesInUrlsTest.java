package com.airtableintegrity.scan;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.AirtableDoubleRequest;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;

/**
 * A table name is one percent-encoded path step of the request, whatever it holds: a slash, '?', '#', '%', spaces,
 * dots. Only '.' and '..' themselves, which a URL reads as steps, are refused before any request (see
 * ScheduleValidatorTest and IntegrityPropertiesValidatorTest).
 */
class TableNamesInUrlsTest extends RunnerTestBase {

    @Test
    void namesWithSlashesQueryCharactersAndDotsReachAirtableAsOneEncodedPathStep() throws Exception {
        Map<String, String> encoded = Map.of(
                "Q1/Q2 ?#%", "Q1%2FQ2%20%3F%23%25",
                "...", "...",
                "../Orders", "..%2FOrders",
                "Größe", "Gr%C3%B6%C3%9Fe");
        encoded.keySet().forEach(name -> airtable.addTable(TestSettings.BASE, name,
                Records.of('R', 3, i -> fields("Name", "Row " + i))));
        startRunner(encoded.keySet().stream().map(name -> new TableSpec(name, List.of(RuleSpec.required("Name"))))
                .toList());

        String runId = runner.runNow();

        assertThat(doc(runId).get("status")).isEqualTo("success");
        assertThat(doc(runId).get("records_scanned")).isEqualTo(12L);
        encoded.forEach((name, path) -> assertThat(airtable.requestsForTable(name)).as(name).singleElement()
                .extracting(AirtableDoubleRequest::target).asString()
                .startsWith("/v0/" + TestSettings.BASE + "/" + path + "?pageSize="));
    }
}
