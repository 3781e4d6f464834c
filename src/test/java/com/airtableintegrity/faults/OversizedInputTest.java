package com.airtableintegrity.faults;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;

/**
 * What a base's data can throw at a run, beyond what Airtable's real pages hold: oversized answers, megabyte
 * values, thousands of large issues, a pattern that backtracks forever. Each run still ends with its outcome written,
 * and leaves nothing running behind.
 */
class OversizedInputTest extends RunnerTestBase {

    @Test
    void anAnswerOverTheByteCapFailsTheTableNamingTableAndPage() throws Exception {
        airtable.addTable(TestSettings.BASE, "Notes", Records.of('N', 250, i -> fields("Text", "x".repeat(3_000))));
        startRunner(List.of(new TableSpec("Notes", List.of(RuleSpec.required("Text")))),
                p -> p.getAirtable().setMaxPageBytes(100_000));

        Map<String, Object> run = doc(runner.runNow());

        assertThat(run.get("status")).isEqualTo("error");
        assertThat(run.get("error_message")).isEqualTo("table 'Notes' page 1: Airtable's answer is larger than the "
                + "limit of 100000 bytes (integrity.airtable.max-page-bytes)");
        assertThat(airtable.requestsForTable("Notes")).as("no retry of an oversized page").hasSize(1);
    }

    @Test
    void aLinkOfOneMegabyteIsStoredAsAnExcerptAndTheRunEndsWarning() throws Exception {
        String hugeId = "rec" + "Z".repeat(1_100_000);
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 3, i -> fields("Name", "c" + i)));
        airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 2, i -> fields(
                "Customer", List.of(i == 0 ? hugeId : Records.id('C', 1)))));
        startRunner(List.of(new TableSpec("Customers", List.of()),
                new TableSpec("Orders", List.of(RuleSpec.linksTo("Customer", "Customers")))));

        String runId = runner.runNow();

        assertThat(doc(runId).get("status")).isEqualTo("warning");
        assertThat(doc(runId).get("issues_found")).isEqualTo(1L);
        List<Map<String, Object>> issues = issues(runId);
        assertThat(issues).hasSize(1);
        assertThat((String) issues.get(0).get("value")).hasSizeLessThanOrEqualTo(200).startsWith("recZZZ");
        assertThat((String) issues.get(0).get("message")).hasSizeLessThanOrEqualTo(1_000)
                .startsWith("'Customer' links to recZZZ");
    }

    @Test
    void threeHundredIssuesOfSixtyKilobyteValuesAreAllStoredAndTheRunEndsWarning() throws Exception {
        char[] big = new char[60_000];
        Arrays.fill(big, 'v');
        airtable.addTable(TestSettings.BASE, "Items", Records.of('I', 300, i -> fields("Kind", i + new String(big))));
        startRunner(List.of(new TableSpec("Items", List.of(RuleSpec.allowedValues("Kind", List.of("ok"))))));

        String runId = runner.runNow();

        assertThat(doc(runId).get("status")).isEqualTo("warning");
        assertThat(doc(runId).get("issues_found")).isEqualTo(300L);
        assertThat(doc(runId).get("issues_stored")).isEqualTo(300L);
        assertThat(doc(runId)).doesNotContainKey("issues_store_error");
        assertThat(issues(runId)).hasSize(300).allSatisfy(issue ->
                assertThat((String) issue.get("value")).hasSizeLessThanOrEqualTo(200));
    }

    @Test
    void aBacktrackingPatternEndsTheRunAtOnceAndLeavesNoThreadMatching() throws Exception {
        airtable.addTable(TestSettings.BASE, "Codes", Records.of('K', 3, i -> fields("Code", "a".repeat(44) + "!")));
        startRunner(List.of(new TableSpec("Codes", List.of(RuleSpec.pattern("Code", "(a+){2,40}$")))),
                p -> p.getRun().setMaxDurationSeconds(10));

        long started = System.nanoTime();
        String runId = runner.runNow();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(doc(runId).get("status")).isEqualTo("warning");
        assertThat(doc(runId).get("issues_found")).isEqualTo(3L);
        assertThat(took).as("run time").isLessThan(Duration.ofSeconds(5));
        assertThat(Thread.getAllStackTraces().values()).as("threads inside a regex engine")
                .noneMatch(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("java.util.regex")
                        || frame.getClassName().startsWith("com.google.re2j")));
    }
}
