package com.airtableintegrity.boot;

import static com.airtableintegrity.boot.ScheduleBodiesFixture.leads;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;

/**
 * Every bad write to {@code /api/schedules} gets a clear 4xx in the one JSON error shape, names the thing at fault
 * (a 400 for an invalid schedule lists every problem with its JSON path), and stores nothing.
 */
class ScheduleBadInputTest extends BootApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = leads("0 0 * * * ?");

    @Autowired
    Firestore firestore;

    @BeforeEach
    @AfterEach
    void noSchedule() {
        EMULATOR.wipe();
    }

    /** The answer to POSTing the valid schedule changed by {@code change}; asserts that nothing was stored. */
    private ApiClient.Answer postChanged(UnaryOperator<String> change) throws Exception {
        ApiClient.Answer answer = api.json("POST", "/api/schedules", change.apply(VALID));
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(firestore.collection("integrity_schedules").get().get(10, TimeUnit.SECONDS).isEmpty())
                .as("nothing stored").isTrue();
        return answer;
    }

    private List<String> problemsOf(UnaryOperator<String> change) throws Exception {
        ApiClient.Answer answer = postChanged(change);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("message").asText()).startsWith("The schedule is not valid: ");
        return JSON.convertValue(body.get("problems"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
    }

    @Test
    void malformedJsonIsABadRequestNamingWhere() throws Exception {
        ApiClient.Answer answer = postChanged(v -> "{\"name\": \"Leads\",");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("message").asText())
                .startsWith("The request body is not valid JSON: ").contains("line 1, column");
    }

    @Test
    void aBodyRepeatingAKeyIsRefusedNamingTheKeyAndTheObjectItIsIn() throws Exception {
        assertThat(postChanged(v -> "{\"id\": \"a\", \"id\": \"b\"}").line()).isEqualTo("400 {\"status\":400,"
                + "\"error\":\"Bad Request\",\"message\":\"The request body is not valid JSON: Duplicate field 'id' in $ "
                + "(line 1, column 17)\",\"path\":\"/api/schedules\"}");
        String twoRegexes = VALID.replace("{\"type\": \"required\", \"field\": \"Name\"}",
                "{\"type\": \"pattern\", \"field\": \"Name\", \"regex\": \"[A-Z].*\", \"regex\": \".*\"}");
        assertThat(postChanged(v -> twoRegexes).line()).isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\","
                + "\"message\":\"The request body is not valid JSON: Duplicate field 'regex' in $.tables[0].rules[0] "
                + "(line 3, column 96)\",\"path\":\"/api/schedules\"}");
        assertThat(api.json("PUT", "/api/schedules/abc", twoRegexes).line()).contains("\"status\":400,")
                .contains("Duplicate field 'regex' in $.tables[0].rules[0]");
        assertThat(api.json("PATCH", "/api/schedules/abc", "{\"enabled\": false, \"enabled\": true}").line())
                .isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\",\"message\":\"The request body is not "
                        + "valid JSON: Duplicate field 'enabled' in $ (line 1, column 29)\",\"path\":\"/api/schedules/abc\"}");
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() throws Exception {
        assertThat(problemsOf(v -> "[" + v + "]")).containsExactly(
                "$ the request body must be a JSON object (a schedule), was array [{\"name\":\"Leads\",\"base_id\":"
                        + "\"appLEADSBASE…");
        assertThat(problemsOf(v -> "\"hourly\"")).containsExactly(
                "$ the request body must be a JSON object (a schedule), was string \"hourly\"");
    }

    @Test
    void aNotifyEntryNamingAChannelThatIsNotConfiguredOrAnUnknownEventIsRefusedByItsPath() throws Exception {
        assertThat(problemsOf(v -> v.replace("\"enabled\": true", "\"enabled\": true, \"notify\": ["
                + "{\"channel\": \"pager\", \"events\": [\"error\", \"failure\"], \"to\": \"x\"}, {\"channel\": 7}]")))
                .containsExactly(
                        "$.notify[0].to is not a field of a notify entry; allowed: channel, events",
                        "$.notify[1].channel must be a string, was number 7");
        assertThat(problemsOf(v -> v.replace("\"enabled\": true", "\"enabled\": true, \"notify\": ["
                + "{\"channel\": \"pager\", \"events\": [\"error\", \"failure\"]}]"))).containsExactly(
                "$.notify[0].channel 'pager' is not a configured channel; none is configured "
                        + "(integrity.notify.channels)",
                "$.notify[0].events[1] 'failure' is not an event; events are error, timeout, new_issues, recovered, "
                        + "every_run");
    }

    @Test
    void unknownFieldsAreNamedWhereverTheyAre() throws Exception {
        assertThat(problemsOf(v -> v.replace("\"enabled\": true", "\"enabled\": true, \"colour\": \"red\"")
                .replace("{\"type\": \"required\", \"field\": \"Name\"}",
                        "{\"type\": \"required\", \"field\": \"Name\", \"severity\": 2}"))).containsExactly(
                "$.colour is not a field of a schedule; allowed: base_id, cron, enabled, max_duration_seconds, name, "
                        + "notify, request_timeout_seconds, tables, time_zone",
                "$.tables[0].rules[0].severity is not a field of a rule; allowed: field, regex, table, type, values, "
                        + "values_from");
    }

    @Test
    void aMissingOrInvalidCronIsRefused() throws Exception {
        assertThat(problemsOf(v -> v.replace("\"cron\": \"0 0 * * * ?\",", ""))).containsExactly(
                "$.cron is required: a Quartz cron expression such as '0 0 * * * ?' (hourly)");
        assertThat(problemsOf(v -> v.replace("0 0 * * * ?", "every hour"))).singleElement().asString()
                .startsWith("$.cron 'every hour' is not a valid Quartz cron expression");
    }

    @Test
    void aCronFiringMoreOftenThanTheFloorIsRefused() throws Exception {
        assertThat(problemsOf(v -> v.replace("0 0 * * * ?", "0/10 * * * * ?"))).containsExactly(
                "$.cron '0/10 * * * * ?' fires every 10 s at times; the shortest gap allowed is 60 s "
                        + "(integrity.schedule.min-interval-seconds)");
    }

    @Test
    void aCronThatNeverFiresIsRefusedNamingTheCronField() throws Exception {
        assertThat(problemsOf(v -> v.replace("0 0 * * * ?", "0 0 0 31 2 ?"))).containsExactly(
                "$.cron '0 0 0 31 2 ?' never fires: no date from now on matches it (such as 31 February or a year "
                        + "that has passed)");
    }

    @Test
    void aTableNamedDotDotIsRefusedNamingTheTable() throws Exception {
        assertThat(problemsOf(v -> v.replace("{\"name\": \"Owners\", \"rules\": []}",
                "{\"name\": \"Owners\", \"rules\": []}, {\"name\": \"..\", \"rules\": []}"))).containsExactly(
                "$.tables[2].name '..' is not a table name Airtable can be asked for: '.' and '..' are read as path "
                        + "steps of the request's URL");
    }

    @Test
    void anUnknownTimeZoneIsRefused() throws Exception {
        assertThat(problemsOf(v -> v.replace("Europe/Berlin", "Mars/Olympus"))).containsExactly(
                "$.time_zone 'Mars/Olympus' is not an IANA time zone such as UTC or Europe/Berlin");
    }

    @Test
    void aBaseIdNotOfAirtablesFormIsRefused() throws Exception {
        assertThat(problemsOf(v -> v.replace("appLEADSBASE00001", "../integrity_runs"))).containsExactly(
                "$.base_id '../integrity_runs' is not an Airtable base id: 'app' followed by 14 letters or digits, "
                        + "as in the base's URL (https://airtable.com/appXXXXXXXXXXXXXX/...)");
    }

    @Test
    void noTablesAndDuplicateTableNamesAreRefused() throws Exception {
        String tables = VALID.substring(VALID.indexOf("\"tables\""), VALID.lastIndexOf('}'));
        assertThat(problemsOf(v -> v.replace(tables, "\"tables\": []"))).containsExactly(
                "$.tables must list at least one table to scan");
        assertThat(problemsOf(v -> v.replace("{\"name\": \"Owners\", \"rules\": []}",
                "{\"name\": \"Owners\", \"rules\": []}, {\"name\": \"Leads\"}"))).containsExactly(
                "$.tables[2].name 'Leads' is configured twice");
    }

    @Test
    void badRulesAreEachNamedByTheirPath() throws Exception {
        assertThat(problemsOf(v -> v.replace("{\"type\": \"required\", \"field\": \"Name\"}",
                "{\"type\": \"requird\", \"field\": \"Name\"}, {\"type\": \"unique\"},"
                        + " {\"type\": \"pattern\", \"field\": \"Email\", \"regex\": \"(a\"}")
                .replace("\"table\": \"Owners\"", "\"table\": \"People\""))).containsExactly(
                "$.tables[0].rules[0].type 'requird' is not a rule type; allowed: required, unique, allowed_values, "
                        + "links_to, pattern",
                "$.tables[0].rules[1].field is required for rule type unique",
                "$.tables[0].rules[2].regex '(a' is not a valid regular expression: missing closing ): `(a`",
                "$.tables[0].rules[3].table 'People' is not a configured table; configured: Leads, Owners");
    }

    @Test
    void aRegexWhoseCompilationWouldExhaustTheHeapIsRefusedAtOnceNamingTheRule() throws Exception {
        long start = System.nanoTime();
        List<String> problems = problemsOf(v -> v.replace("{\"type\": \"required\", \"field\": \"Name\"}",
                "{\"type\": \"pattern\", \"field\": \"F\", \"regex\": \"((a{1000}){1000}){1000}\"}"));

        assertThat(problems).containsExactly("$.tables[0].rules[0].regex expands to more than 5000 steps (counted "
                + "repetitions multiply: {1000} inside {1000} is a million copies); use fewer or smaller counts, or + "
                + "and * instead");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to answer").isLessThan(5_000);
        assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void aRunDeadlineTheSweepWouldCutIsRefusedNamingBothKeys() throws Exception {
        assertThat(problemsOf(v -> v.replace("\"enabled\": true", "\"enabled\": true, \"max_duration_seconds\": 7200")))
                .containsExactly("$.max_duration_seconds must be from 1 to 1800, was 7200: at most "
                        + "integrity.run.max-duration-seconds (1800), the longest run deadline, and "
                        + "integrity.sweep.max-age-seconds (1800), or the sweep would time out healthy runs");
    }

    @Test
    void everyProblemOfOneBodyIsListedAtOnce() throws Exception {
        assertThat(problemsOf(v -> v.replace("0 0 * * * ?", "nope").replace("Europe/Berlin", "Nowhere")
                .replace("appLEADSBASE00001", "base1").replace("\"enabled\": true", "\"enabled\": \"yes\"")))
                .hasSize(1).first().asString().isEqualTo("$.enabled must be true or false, was string \"yes\"");
        assertThat(problemsOf(v -> v.replace("0 0 * * * ?", "nope").replace("Europe/Berlin", "Nowhere")
                .replace("appLEADSBASE00001", "base1"))).hasSize(3);
    }

    @Test
    void aBodyOverTheScheduleLimitIsTooLarge() throws Exception {
        String huge = VALID.replace("\"Leads\", \"base_id\"", "\"" + "L".repeat(300_000) + "\", \"base_id\"");

        ApiClient.Answer answer = postChanged(v -> huge);

        assertThat(answer.line()).isEqualTo("413 {\"status\":413,\"error\":\"Content Too Large\",\"message\":"
                + "\"The request body is larger than the limit of 262144 bytes\",\"path\":\"/api/schedules\"}");
    }

    @Test
    void idsThatCouldAddressAnotherDocumentAreRefused() throws Exception {
        assertThat(api.get("/api/schedules/..").line()).isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\","
                + "\"message\":\"The request was rejected because the URL was not normalized.\","
                + "\"path\":\"/api/schedules/..\"}");
        assertThat(api.get("/api/schedules/a%2Fb").status()).isEqualTo(400);
        assertThat(api.get("/api/schedules/x..y").line()).isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\","
                + "\"message\":\"Schedule id 'x..y' is not valid: a schedule id is 1 to 128 letters, digits, '-' or "
                + "'_', starting with a letter or digit\",\"path\":\"/api/schedules/x..y\"}");
        assertThat(api.json("PUT", "/api/schedules/__x__", VALID).status()).isEqualTo(400);
        assertThat(api.json("PUT", "/api/schedules/a%2Fissues%2Fb", VALID).status()).isEqualTo(400);
        assertThat(firestore.collection("integrity_schedules").get().get(10, TimeUnit.SECONDS).isEmpty()).isTrue();
    }

    @Test
    void aWriteThatIsNotJsonIsAnUnsupportedMediaType() throws Exception {
        ApiClient.Answer answer = api.send(api.request("/api/schedules/abc").header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("enabled=false")).timeout(Duration.ofSeconds(10))
                .build());

        assertThat(answer.status()).isEqualTo(415);
    }
}
