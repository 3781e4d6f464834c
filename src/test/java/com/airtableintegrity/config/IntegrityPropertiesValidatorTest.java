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
        IntegrityProperties p = IntegrityProperties.defaults();
        p.getAirtable().setToken("patSECRET");
        p.getAirtable().setBaseId("appBASE0000000001");
        p.getFirestore().setProjectId("project");
        p.setTables(List.of(new TableSpec("Customers", List.of(RuleSpec.required("Name"))),
                new TableSpec("Orders", List.of(RuleSpec.linksTo("Customer", "Customers")))));
        return p;
    }

    private static List<String> problems(Consumer<IntegrityProperties> change) {
        return ConfigProblems.of(valid(), change);
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
    void aConfiguredCronThatNeverFiresStopsStartupNamingTheKey() {
        assertThat(problems(p -> {
            p.getSchedule().setCron("0 0 0 31 2 ?");
            p.getSweep().setCron("0 0 0 30 2 ?");
        })).containsExactly(
                "integrity.schedule.cron (env INTEGRITY_SCHEDULE_CRON) '0 0 0 31 2 ?' never fires: no date from now "
                        + "on matches it (such as 31 February or a year that has passed)",
                "integrity.sweep.cron (env INTEGRITY_SWEEP_CRON) '0 0 0 30 2 ?' never fires: no date from now on "
                        + "matches it (such as 31 February or a year that has passed)");
    }

    @Test
    void aConfiguredTableNamedDotDotStopsStartupNamingTheKey() {
        assertThat(problems(p -> p.setTables(List.of(new TableSpec("..", List.of(RuleSpec.required("Name")))))))
                .containsExactly("integrity.tables[0].name '..' is not a table name Airtable can be asked for: '.' "
                        + "and '..' are read as path steps of the request's URL");
    }

    @Test
    void aNegativeRequestTimeoutIsRejected() {
        assertThat(problems(p -> p.getAirtable().setRequestTimeoutSeconds(-5))).containsExactly(
                "integrity.airtable.request-timeout-seconds (env AIRTABLE_REQUEST_TIMEOUT_SECONDS) must be a positive number, was -5");
    }

    @Test
    void thePoolSizesOfTablesAndSchedulesAreBounded() {
        assertThat(problems(p -> {
            p.getRun().setTableThreads(0);
            p.getSchedule().setThreads(1001);
        })).containsExactly(
                "integrity.run.table-threads (env INTEGRITY_RUN_TABLE_THREADS) must be between 1 and 2000, was 0",
                "integrity.schedule.threads (env INTEGRITY_SCHEDULE_THREADS) must be between 1 and 1000, was 1001");
    }

    @Test
    void aRuleThatLinksToAnUnknownTableIsRejected() {
        assertThat(problems(p -> p.getTables().get(1).getRules().get(0).setTable("Custmers"))).containsExactly(
                "integrity.tables[1].rules[0].table 'Custmers' is not a configured table; configured: Customers, Orders");
    }

    @Test
    void aSweepThatWouldTimeOutRunsBeforeTheirOwnDeadlineIsRefusedNamingBothKeys() {
        assertThat(problems(p -> {
            p.getRun().setMaxDurationSeconds(3600);
            p.getSweep().setMaxAgeSeconds(1800);
        })).containsExactly("integrity.sweep.max-age-seconds (env HUNG_RUN_THRESHOLD_SECONDS, 1800) must not be below "
                + "integrity.run.max-duration-seconds (env MAX_RUN_DURATION_SECONDS, 3600), or the sweep would time "
                + "out healthy runs before their own deadline");
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
    void aBaseIdThatIsNotAnAirtableIdIsRejected() {
        for (String bad : List.of("app/x", "appBASE", "appBASE00000000012", "tblBASE0000000001", "appBASE000000000_")) {
            assertThat(problems(p -> p.getAirtable().setBaseId(bad))).containsExactly(
                    "integrity.airtable.base-id (env AIRTABLE_BASE_ID) '" + bad + "' is not an Airtable base id: 'app' "
                            + "followed by 14 letters or digits, as in the base's URL (https://airtable.com/appXXXXXXXXXXXXXX/...)");
        }
        assertThat(problems(p -> p.getAirtable().setBaseId(""))).containsExactly(
                "integrity.airtable.base-id (env AIRTABLE_BASE_ID) is required");
        assertThat(problems(p -> p.getAirtable().setBaseId("appTESTBASE000001"))).isEmpty();
    }

    @Test
    void aCollectionThatIsNotOneFirestoreCollectionIdIsRejected() {
        for (String bad : List.of("a/b", "__runs__", "____", "x".repeat(101), "runs.2024", "runs 1")) {
            assertThat(problems(p -> p.getFirestore().setCollection(bad))).containsExactly(
                    "integrity.firestore.collection (env INTEGRITY_RUNS_COLLECTION) '" + bad + "' is not a valid Firestore "
                            + "collection id: 1 to 100 characters from A-Z, a-z, 0-9, '_' and '-' (one collection, no '/'), "
                            + "and not of the reserved form __name__");
        }
        for (String good : List.of("integrity_runs", "runs-1", "__runs", "__", "x".repeat(100))) {
            assertThat(problems(p -> p.getFirestore().setCollection(good))).isEmpty();
        }
    }

    @Test
    void anApiUrlOverPlainHttpIsRejectedUnlessTheHostIsLoopback() {
        for (String bad : List.of("http://api.airtable.com", "http://10.0.0.1:8080", "http://127.0.0.1.nip.io:8080",
                "http://[::2]:8080", "http://localhost.example.com")) {
            assertThat(problems(p -> p.getAirtable().setApiUrl(bad))).containsExactly(
                    "integrity.airtable.api-url (env AIRTABLE_API_URL) '" + bad + "' must use https: the Airtable token "
                            + "would be sent in clear over http, which is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost)");
        }
        for (String good : List.of("https://api.airtable.com", "https://proxy.example.com:8443/airtable",
                "http://127.0.0.1:8089", "http://127.1.2.3", "http://localhost:1", "http://LOCALHOST", "http://[::1]:8080")) {
            assertThat(problems(p -> p.getAirtable().setApiUrl(good))).isEmpty();
        }
        assertThat(problems(p -> p.getAirtable().setApiUrl("ftp://api.airtable.com"))).containsExactly(
                "integrity.airtable.api-url (env AIRTABLE_API_URL) must be an http(s) URL such as https://api.airtable.com, "
                        + "was 'ftp://api.airtable.com'");
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
                .run("--integrity.airtable.token=patSECRET", "--integrity.airtable.base-id=appBASE0000000001",
                        "--integrity.firestore.project-id=p", "--integrity.firestore.emulator-host=127.0.0.1:1",
                        "--integrity.schedule.cron=61 * * * * ?", "--camel.main.run-controller=false", "--server.port=0")
                .close())
                .rootCause().hasMessageContaining("integrity.schedule.cron (env INTEGRITY_SCHEDULE_CRON) '61 * * * * ?'");
    }
}
