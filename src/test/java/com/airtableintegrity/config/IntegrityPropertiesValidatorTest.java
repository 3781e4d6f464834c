package com.airtableintegrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import com.airtableintegrity.IntegrityRunnerApplication;

/** Invalid settings stop startup with a message that names the key, the value and what is allowed. */
class IntegrityPropertiesValidatorTest {

    private static IntegrityProperties valid() {
        IntegrityProperties p = new IntegrityProperties();
        p.getAirtable().setToken("patSECRET");
        p.getAirtable().setBaseId("appBASE");
        p.getFirestore().setProjectId("project");
        p.setTables(List.of(new TableSpec("Customers", List.of(RuleSpec.required("Name"))),
                new TableSpec("Orders", List.of(RuleSpec.linksTo("Customer", "Customers")))));
        return p;
    }

    private static List<String> problems(Consumer<IntegrityProperties> change) {
        IntegrityProperties p = valid();
        change.accept(p);
        try {
            IntegrityPropertiesValidator.validate(p);
            return List.of();
        } catch (InvalidConfigurationException e) {
            return e.problems();
        }
    }

    @Test
    void defaultsWithTokenBaseProjectAndTablesAreValid() {
        assertThat(problems(p -> { })).isEmpty();
    }

    @Test
    void aBadCronNamesTheKeyAndItsEnvironmentVariable() {
        assertThat(problems(p -> p.getSchedule().setCron("every hour"))).singleElement().asString()
                .startsWith("integrity.schedule.cron (env INTEGRITY_SCHEDULE_CRON) 'every hour' is not a valid Quartz cron");
    }

    @Test
    void aNegativeRequestTimeoutIsRejected() {
        assertThat(problems(p -> p.getAirtable().setRequestTimeoutSeconds(-5))).containsExactly(
                "integrity.airtable.request-timeout-seconds (env AIRTABLE_REQUEST_TIMEOUT_SECONDS) must be a positive number, was -5");
    }

    @Test
    void aRuleThatLinksToAnUnknownTableIsRejected() {
        assertThat(problems(p -> p.getTables().get(1).getRules().get(0).setTable("Custmers"))).containsExactly(
                "integrity.tables[1].rules[0].table 'Custmers' is not a configured table; configured: Customers, Orders");
    }

    @Test
    void anUnknownRuleTypeListsTheAllowedTypes() {
        assertThat(problems(p -> p.getTables().get(0).getRules().get(0).setType("requird"))).containsExactly(
                "integrity.tables[0].rules[0].type 'requird' is not a rule type; allowed: required, unique, allowed_values, links_to, pattern");
    }

    @Test
    void aMissingTokenIsReportedWithoutPrintingAnyValue() {
        assertThat(problems(p -> p.getAirtable().setToken(""))).containsExactly(
                "integrity.airtable.token (env AIRTABLE_TOKEN) is required (the value is secret and never printed)");
    }

    @Test
    void aRegexUsingAFeatureRe2LeavesOutIsNotSupported() {
        assertThat(problems(p -> p.getTables().get(0).getRules().add(RuleSpec.pattern("Code", "(a)\\1")))).containsExactly(
                "integrity.tables[0].rules[1].regex '(a)\\1' is not supported: invalid escape sequence: `\\1`; "
                        + "patterns use RE2 syntax (no backreferences or lookaround), which always runs in linear time");
        assertThat(problems(p -> p.getTables().get(0).getRules().add(RuleSpec.pattern("Code", "(?=x)x")))).containsExactly(
                "integrity.tables[0].rules[1].regex '(?=x)x' is not supported: invalid or unsupported Perl syntax: `(?=`; "
                        + "patterns use RE2 syntax (no backreferences or lookaround), which always runs in linear time");
    }

    @Test
    void aRegexThatNoEngineAcceptsIsInvalid() {
        assertThat(problems(p -> p.getTables().get(0).getRules().add(RuleSpec.pattern("Code", "[unclosed")))).containsExactly(
                "integrity.tables[0].rules[1].regex '[unclosed' is not a valid regular expression: missing closing ]: `[unclosed`");
    }

    @Test
    void aRegexThatBacktracksInJavaIsValid() {
        assertThat(problems(p -> p.getTables().get(0).getRules().add(RuleSpec.pattern("Code", "(a+){2,40}$")))).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(problems(p -> {
            p.getRun().setMaxDurationSeconds(0);
            p.getAirtable().setPageSize(500);
            p.getTables().get(0).getRules().add(RuleSpec.pattern("Email", "[unclosed"));
        })).hasSize(3);
    }

    @Test
    void springBootStartupStopsOnAnInvalidSettingAndNamesIt() {
        // command-line arguments: they take precedence over application.yaml, as environment variables do
        assertThatThrownBy(() -> new SpringApplicationBuilder(IntegrityRunnerApplication.class)
                .run("--integrity.airtable.token=patSECRET", "--integrity.airtable.base-id=appBASE",
                        "--integrity.firestore.project-id=p", "--integrity.firestore.emulator-host=127.0.0.1:1",
                        "--integrity.schedule.cron=61 * * * * ?", "--camel.main.run-controller=false", "--server.port=0")
                .close())
                .rootCause().hasMessageContaining("integrity.schedule.cron (env INTEGRITY_SCHEDULE_CRON) '61 * * * * ?'");
    }
}
