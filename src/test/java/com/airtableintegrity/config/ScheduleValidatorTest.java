package com.airtableintegrity.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * A schedule written over the API is checked with the startup rules, each problem named by its JSON path, plus what
 * only a schedule has: its time zone, a cron no more frequent than the floor, a deadline the sweep leaves alone.
 */
class ScheduleValidatorTest {
    private static final ScheduleValidator VALIDATOR =
            new ScheduleValidator(IntegrityProperties.defaults());

    private static ScheduleSpec valid() {
        ScheduleSpec s = new ScheduleSpec();
        s.setName("CRM hourly");
        s.setBaseId("appCRM00000000001");
        s.setCron("0 0 * * * ?");
        s.setTimeZone("Europe/Berlin");
        s.setTables(new ArrayList<>(List.of(
                new TableSpec("Customers", new ArrayList<>(List.of(RuleSpec.required("Name")))),
                new TableSpec("Orders", new ArrayList<>(List.of(RuleSpec.linksTo("Customer", "Customers")))))));
        return s;
    }

    private static List<String> problems(Consumer<ScheduleSpec> change) {
        ScheduleSpec s = valid();
        change.accept(s);
        return VALIDATOR.problems(s);
    }

    @Test
    void anAllowedValuesRuleTakesAFixedListOrTheFieldsChoicesNotBothAndNothingElse() {
        assertThat(problems(s -> s.getTables().get(0).getRules().add(RuleSpec.allowedValuesFromSchema("Status"))))
                .isEmpty();
        assertThat(problems(s -> {
            RuleSpec both = RuleSpec.allowedValues("Status", List.of("Active"));
            both.setValuesFrom("schema");
            s.getTables().get(0).getRules().add(both);
        })).containsExactly("$.tables[0].rules[1] has both values and values_from: give a fixed list or take the "
                + "field's choices, not both");
        assertThat(problems(s -> {
            RuleSpec other = RuleSpec.allowedValuesFromSchema("Status");
            other.setValuesFrom("airtable");
            s.getTables().get(0).getRules().add(other);
        })).containsExactly("$.tables[0].rules[1].values_from 'airtable' is not a source of values; allowed: schema "
                + "(the field's choices in Airtable)");
        assertThat(problems(s -> s.getTables().get(0).getRules().get(0).setValuesFrom("schema"))).containsExactly(
                "$.tables[0].rules[0].values_from applies to allowed_values rules only");
        assertThat(problems(s -> s.getTables().get(0).getRules().add(RuleSpec.allowedValues("Status", List.of()))))
                .containsExactly("$.tables[0].rules[1].values must list at least one allowed value (or take the "
                        + "field's choices with values_from: schema)");
    }

    @Test
    void aValidScheduleHasNoProblem() {
        assertThat(problems(s -> { })).isEmpty();
    }

    @Test
    void aMissingOrInvalidCronIsNamedByItsPath() {
        assertThat(problems(s -> s.setCron(null))).containsExactly(
                "$.cron is required: a Quartz cron expression such as '0 0 * * * ?' (hourly)");
        assertThat(problems(s -> s.setCron("61 * * * * ?"))).singleElement().asString()
                .startsWith("$.cron '61 * * * * ?' is not a valid Quartz cron expression");
    }

    @Test
    void aCronMoreFrequentThanTheFloorIsRefused() {
        assertThat(problems(s -> s.setCron("0/30 * * * * ?"))).containsExactly(
                "$.cron '0/30 * * * * ?' fires every 30 s at times; the shortest gap allowed is 60 s "
                        + "(integrity.schedule.min-interval-seconds)");
        assertThat(problems(s -> s.setCron("0 * * * * ?"))).isEmpty();
    }

    @Test
    void aCronThatNeverFiresIsRefusedNamingTheField() {
        assertThat(problems(s -> s.setCron("0 0 0 31 2 ?"))).containsExactly("$.cron '0 0 0 31 2 ?' never fires: no "
                + "date from now on matches it (such as 31 February or a year that has passed)");
        assertThat(problems(s -> s.setCron("0 0 0 1 1 ? 2020"))).containsExactly("$.cron '0 0 0 1 1 ? 2020' never "
                + "fires: no date from now on matches it (such as 31 February or a year that has passed)");
        assertThat(problems(s -> s.setCron("0 0 0 29 2 ?"))).as("29 February, in leap years").isEmpty();
    }

    @Test
    void aRegexThatWouldExhaustTheHeapIsRefusedBeforeItIsCompiled() {
        long start = System.nanoTime();
        List<String> problems = problems(s -> s.getTables().get(0).getRules()
                .add(RuleSpec.pattern("F", "((a{1000}){1000}){1000}")));

        assertThat(problems).containsExactly("$.tables[0].rules[1].regex expands to more than 5000 steps (counted "
                + "repetitions multiply: {1000} inside {1000} is a million copies); use fewer or smaller counts, or + "
                + "and * instead");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to refuse it").isLessThan(1_000);
    }

    @Test
    void patternsEachWithinTheBudgetAreRefusedWhenTogetherTheyExceedTheSchedulesBudget() {
        List<String> problems = problems(s -> {
            for (int i = 0; i < 5; i++) {
                s.getTables().get(0).getRules().add(RuleSpec.pattern("F" + i, "(a{900}){5}"));
            }
        });

        assertThat(problems).containsExactly("$.tables[0].rules[5].regex brings the patterns of this schedule to more "
                + "than 20000 expanded steps together; use fewer or smaller counts");
    }

    @Test
    void moreThanTwoHundredRulesInAScheduleAreRefused() {
        List<String> problems = problems(s -> {
            for (int i = 0; i < 200; i++) {
                s.getTables().get(0).getRules().add(RuleSpec.required("F" + i));
            }
        });

        assertThat(problems).containsExactly("$.tables has 202 rules in all; at most 200 are allowed");
    }

    @Test
    void aTableNamedDotOrDotDotIsRefusedAsAPathStepWhileOtherNamesWithDotsPass() {
        assertThat(problems(s -> s.getTables().get(1).setName(".."))).containsExactly(
                "$.tables[1].name '..' is not a table name Airtable can be asked for: '.' and '..' are read as path "
                        + "steps of the request's URL");
        assertThat(problems(s -> s.getTables().get(1).setName("."))).containsExactly(
                "$.tables[1].name '.' is not a table name Airtable can be asked for: '.' and '..' are read as path "
                        + "steps of the request's URL");
        assertThat(problems(s -> s.getTables().get(1).setName("..."))).isEmpty();
        assertThat(problems(s -> s.getTables().get(1).setName("../Customers"))).isEmpty();
    }

    @Test
    void anUnknownTimeZoneIsRefused() {
        assertThat(problems(s -> s.setTimeZone("Mars/Olympus"))).containsExactly(
                "$.time_zone 'Mars/Olympus' is not an IANA time zone such as UTC or Europe/Berlin");
    }

    @Test
    void aBaseIdNotOfAirtablesFormIsRefused() {
        assertThat(problems(s -> s.setBaseId("app/x"))).containsExactly("$.base_id 'app/x' is not an Airtable base "
                + "id: 'app' followed by 14 letters or digits, as in the base's URL (https://airtable.com/appXXXXXXXXXXXXXX/...)");
    }

    @Test
    void tablesAndRulesAreCheckedAsAtStartupWithJsonPaths() {
        assertThat(problems(s -> s.setTables(List.of()))).containsExactly("$.tables must list at least one table to scan");
        assertThat(problems(s -> s.getTables().get(1).setName("Customers"))).contains(
                "$.tables[1].name 'Customers' is configured twice");
        assertThat(problems(s -> s.getTables().get(0).getRules().add(RuleSpec.pattern("Code", "(a)\\1"))))
                .singleElement().asString().startsWith("$.tables[0].rules[1].regex '(a)\\1' is not supported");
        assertThat(problems(s -> s.getTables().get(0).getRules().get(0).setField(" "))).containsExactly(
                "$.tables[0].rules[0].field is required for rule type required");
        assertThat(problems(s -> s.getTables().get(0).getRules().get(0).setType("requird"))).containsExactly(
                "$.tables[0].rules[0].type 'requird' is not a rule type; allowed: required, unique, allowed_values, "
                        + "links_to, pattern");
        assertThat(problems(s -> s.getTables().get(1).getRules().get(0).setTable("Invoices"))).containsExactly(
                "$.tables[1].rules[0].table 'Invoices' is not a configured table; configured: Customers, Orders");
    }

    @Test
    void aRunDeadlineAboveTheSweepsMaxAgeIsRefusedNamingBothKeys() {
        assertThat(problems(s -> s.setMaxDurationSeconds(7200))).containsExactly("$.max_duration_seconds must be "
                + "from 1 to 1800, was 7200: at most integrity.run.max-duration-seconds (1800), the longest run "
                + "deadline, and integrity.sweep.max-age-seconds (1800), or the sweep would time out healthy runs");
    }

    @Test
    void aRequestTimeoutOverrideStaysWithinTheConfiguredOne() {
        assertThat(problems(s -> s.setRequestTimeoutSeconds(301))).containsExactly("$.request_timeout_seconds "
                + "(at most integrity.airtable.request-timeout-seconds) must be between 1 and 300, was 301");
        assertThat(problems(s -> { s.setRequestTimeoutSeconds(30); s.setMaxDurationSeconds(600); })).isEmpty();
    }

    @Test
    void theCronFloorIsTheSetting() {
        IntegrityProperties settings = IntegrityProperties.defaults();
        settings.getSchedule().setMinIntervalSeconds(1);
        ScheduleSpec everyTwoSeconds = valid();
        everyTwoSeconds.setCron("0/2 * * * * ?");

        assertThat(new ScheduleValidator(settings).problems(everyTwoSeconds)).isEmpty();
        assertThat(VALIDATOR.problems(everyTwoSeconds)).containsExactly(
                "$.cron '0/2 * * * * ?' fires every 2 s at times; the shortest gap allowed is 60 s "
                        + "(integrity.schedule.min-interval-seconds)");
    }
}
