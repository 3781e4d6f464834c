package com.airtableintegrity.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.api.SchedulesApi;
import com.airtableintegrity.boot.BootApiTest;
import com.airtableintegrity.boot.ConsoleSession;
import com.airtableintegrity.boot.TestCredentials;
import com.airtableintegrity.support.EmulatorRuns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The schedule editor over real HTTP, signed in through the login form: a schedule made from the form is the very
 * document the API stores; a refused form shows each problem at its field, keeps what was typed and stores nothing;
 * a stored schedule opens as its preset; delete asks first; viewers get no editor.
 */
class ScheduleEditorTest extends BootApiTest {
    private static final String BASE = "appEDITOR00000001";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    SchedulesApi schedules;
    ConsoleSession browser;

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
    }

    @BeforeEach
    void signInAsOperator() throws Exception {
        EMULATOR.wipe();
        browser = new ConsoleSession(Integer.parseInt(environment.getRequiredProperty("local.server.port")));
        browser.login(TestCredentials.OPERATOR, TestCredentials.OPERATOR_PASSWORD);
    }

    /** The form's fields: the schedule's own, then one row per {@code rows} entry (table, type, field, argument). */
    private static List<Map.Entry<String, String>> form(String action, Map<String, String> fields, String[]... rows) {
        List<Map.Entry<String, String>> all = new ArrayList<>(fields.entrySet());
        for (String[] row : rows) {
            all.add(Map.entry("rule_table", row[0]));
            all.add(Map.entry("rule_type", row[1]));
            all.add(Map.entry("rule_field", row[2]));
            all.add(Map.entry("rule_values", row[1].equals("allowed_values") ? row[3] : ""));
            all.add(Map.entry("rule_linked_table", row[1].equals("links_to") ? row[3] : ""));
            all.add(Map.entry("rule_regex", row[1].equals("pattern") ? row[3] : ""));
        }
        all.add(Map.entry("action", action));
        return all;
    }

    private static Map<String, String> hourly(String name, String base, String minute) {
        return Map.of("name", name, "base", base, "preset", "hourly", "minute", minute, "time", "09:00",
                "day", "MONDAY", "cron", "", "time_zone", "Europe/Berlin", "enabled", "on");
    }

    private static List<JsonNode> iterate(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    @SuppressWarnings("unchecked")
    private List<Object> scheduleIds() {
        return ((List<Map<String, Object>>) schedules.list(null).get("schedules")).stream().map(s -> s.get("id"))
                .toList();
    }

    private static String createdId(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(302);
        String location = answer.headers().firstValue("Location").orElseThrow();
        Matcher id = Pattern.compile("/schedules/([A-Za-z0-9]+)$").matcher(location);
        assertThat(id.find()).as(location).isTrue();
        return id.group(1);
    }

    @Test
    void aScheduleMadeFromTheFormIsStoredAsTheApiStoresIt() throws Exception {
        HttpResponse<String> answer = browser.postFields("/schedules/new", "/schedules/new", form("save",
                hourly("Nightly CRM check", "https://airtable.com/" + BASE + "/tblAAAA/viwBBBB?blocks=hide", "15"),
                new String[] {"Customers", "required", "Name", ""},
                new String[] {"Customers", "allowed_values", "Status", "Active\r\nPaused\r\n"},
                new String[] {"Orders", "links_to", "Customer", "Customers"},
                new String[] {"", "", "", ""}));

        String id = createdId(answer);
        Map<String, Object> stored = schedules.get(id);
        assertThat(stored).containsEntry("name", "Nightly CRM check").containsEntry("base_id", BASE)
                .containsEntry("cron", "0 15 * * * ?").containsEntry("time_zone", "Europe/Berlin")
                .containsEntry("enabled", true);
        assertThat(JSON.<JsonNode>valueToTree(stored.get("tables"))).isEqualTo(JSON.readTree("""
                [{"name": "Customers", "rules": [{"type": "required", "field": "Name"},
                                                 {"type": "allowed_values", "field": "Status",
                                                  "values": ["Active", "Paused"]}]},
                 {"name": "Orders", "rules": [{"type": "links_to", "field": "Customer", "table": "Customers"}]}]
                """));
        assertThat(browser.get("/schedules/" + id).body()).contains("Schedule " + id + " created");
    }

    @Test
    void aRefusedFormShowsEachProblemAtItsFieldKeepsWhatWasTypedAndStoresNothing() throws Exception {
        Map<String, String> fields = new HashMap<>(hourly("Too often", BASE, "0"));
        fields.put("preset", "cron");
        fields.put("cron", "0/10 * * * * ?");
        HttpResponse<String> answer = browser.postFields("/schedules/new", "/schedules/new", form("save", fields,
                new String[] {"Customers", "pattern", "Email", "([a-z"},
                new String[] {"Customers", "links_to", "Account", "Accounts"}));

        assertThat(answer.statusCode()).isEqualTo(400);
        String page = answer.body();
        assertThat(ConsoleDocs.section(page, "<fieldset class=\"field\" id=\"when\"", "</fieldset>"))
                .contains("class=\"field-error\"").contains("$.cron &#39;0/10 * * * * ?&#39; fires every 10");
        assertThat(ConsoleDocs.section(page, "<tr id=\"row-0\"", "</tr>"))
                .contains("row-error").contains("$.tables[0].rules[0].regex").contains("value=\"([a-z\"");
        assertThat(ConsoleDocs.section(page, "<tr id=\"row-1\"", "</tr>"))
                .contains("$.tables[0].rules[1].table &#39;Accounts&#39; is not a configured table");
        assertThat(page).contains("value=\"Too often\"").contains("value=\"0/10 * * * * ?\"")
                .contains("The schedule was not saved: <span>3</span>");
        assertThat(scheduleIds()).containsExactly("default");
    }

    @Test
    void theFormTellsWhenItRunsAsASentenceWithTheNextFiveTimesInItsZone() throws Exception {
        Map<String, String> fields = new HashMap<>(hourly("Weekdays", BASE, "0"));
        fields.put("preset", "weekdays");
        fields.put("time", "07:05");
        String page = browser.postFields("/schedules/new", "/schedules/new", form("preview", fields)).body();

        assertThat(page).contains("<strong id=\"when-sentence\">every weekday (Monday to Friday) at 07:05</strong>");
        List<String> times = Pattern.compile("<li>([^<]+)</li>").matcher(
                ConsoleDocs.section(page, "<ol id=\"next-times\">", "</ol>")).results().map(m -> m.group(1)).toList();
        assertThat(times).hasSize(5).allMatch(t -> t.matches("(Mon|Tue|Wed|Thu|Fri) \\d{1,2} \\w{3} \\d{4}, 07:05 "
                + "\\(\\+0[12]:00\\)"), "a weekday at 07:05 Berlin time");
    }

    @Test
    void aStoredScheduleOpensAsItsPresetAndSavingTheFormReplacesIt() throws Exception {
        String id = schedules.create(JSON.readTree("{\"name\": \"Mornings\", \"base_id\": \"" + BASE + "\", "
                + "\"cron\": \"0 5 7 ? * MON-FRI\", \"time_zone\": \"Europe/Berlin\", \"tables\": [{\"name\": "
                + "\"Customers\", \"rules\": [{\"type\": \"required\", \"field\": \"Name\"}]}]}"));

        String page = browser.get("/schedules/" + id + "/edit").body();
        assertThat(page).contains("id=\"preset-weekdays\" name=\"preset\" value=\"weekdays\" checked=\"checked\"")
                .contains("id=\"time\" name=\"time\" value=\"07:05\"").contains("value=\"Mornings\"");
        HttpResponse<String> saved = browser.postFields("/schedules/" + id + "/edit", "/schedules/" + id + "/edit",
                form("save", hourly("Hourly now", BASE, "30"), new String[] {"Customers", "unique", "Email", ""}));

        assertThat(saved.statusCode()).isEqualTo(302);
        Map<String, Object> stored = schedules.get(id);
        assertThat(stored).containsEntry("name", "Hourly now").containsEntry("cron", "0 30 * * * ?");
        assertThat(JSON.<JsonNode>valueToTree(stored.get("tables"))).isEqualTo(JSON.readTree(
                "[{\"name\": \"Customers\", \"rules\": [{\"type\": \"unique\", \"field\": \"Email\"}]}]"));
    }

    @Test
    void deletingAsksFirstSayingWhatHappensThenTheScheduleIsGone() throws Exception {
        String id = schedules.create(JSON.readTree("{\"name\": \"Doomed\", \"base_id\": \"" + BASE + "\", "
                + "\"cron\": \"0 0 * * * ?\", \"tables\": [{\"name\": \"T\", \"rules\": []}]}"));

        String confirm = browser.get("/schedules/" + id + "/delete").body().replaceAll("\\s+", " ");
        assertThat(confirm).contains("A run it started goes on to its end and keeps its record");
        HttpResponse<String> deleted = browser.postForm("/schedules/" + id + "/delete",
                "/schedules/" + id + "/delete", Map.of());

        assertThat(deleted.statusCode()).isEqualTo(302);
        assertThat(scheduleIds()).containsExactly("default");
    }

    /** The values of the page's suggestion checkboxes, unescaped. */
    private static List<String> suggestionValues(String page) {
        return Pattern.compile("name=\"suggestion\" id=\"suggest-[0-9-]+\" value=\"([^\"]*)\"").matcher(page)
                .results().map(m -> m.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                        .replace("&gt;", ">").replace("&amp;", "&")).toList();
    }

    @Test
    void aScheduleMadeFromSuggestionsOnlyRunsToWarningWithTheIssuesTheSuggestedRulesFind() throws Exception {
        String base = "appSUGGESTED00001";
        EditorFixtures.sampleBase(AIRTABLE, base);
        Map<String, String> fields = new HashMap<>(hourly("From the schema", base, "0"));

        String tables = browser.postFields("/schedules/new", "/schedules/new", form("read-schema", fields)).body();
        assertThat(tables).containsPattern("<label for=\"scan-\\d\">Customers \\(3 fields\\)</label>")
                .containsPattern("<label for=\"scan-\\d\">Orders \\(2 fields\\)</label>")
                .doesNotContain("name=\"suggestion\"");
        List<Map.Entry<String, String>> ticked = form("read-schema", Map.of());
        ticked.addAll(0, List.of(Map.entry("with_schema", "yes"), Map.entry("scan_table", "Customers"),
                Map.entry("scan_table", "Orders")));
        ticked.addAll(0, new HashMap<>(fields).entrySet());
        String offered = browser.postFields("/schedules/new", "/schedules/new", ticked).body();
        List<String> suggestions = suggestionValues(offered);
        assertThat(suggestions).hasSize(7);

        List<Map.Entry<String, String>> save = form("save", fields);
        save.addAll(0, suggestions.stream().map(v -> Map.entry("suggestion", v)).toList());
        String id = createdId(browser.postFields("/schedules/new", "/schedules/new", save));
        schedules.runNow(id);
        EmulatorRuns runs = new EmulatorRuns(EMULATOR);
        Map<String, Object> run = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> runs.all().stream()
                .filter(r -> id.equals(r.get("schedule_id")) && !"running".equals(r.get("status"))).findFirst()
                .orElse(null), r -> r != null);

        // the double lists a table's fields in no fixed order, so each table's rules are compared as a set
        Map<String, List<JsonNode>> rulesByTable = new HashMap<>();
        JSON.<JsonNode>valueToTree(schedules.get(id).get("tables")).forEach(t -> rulesByTable.put(
                t.get("name").asText(), iterate(t.get("rules"))));
        assertThat(rulesByTable).containsOnlyKeys("Customers", "Orders");
        assertThat(rulesByTable.get("Customers")).containsExactlyInAnyOrderElementsOf(iterate(JSON.readTree("""
                [{"type": "required", "field": "Name"},
                 {"type": "pattern", "field": "Email", "regex": "[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+"},
                 {"type": "unique", "field": "Email"},
                 {"type": "allowed_values", "field": "Status", "values_from": "schema"}]
                """)));
        assertThat(rulesByTable.get("Orders")).containsExactlyInAnyOrderElementsOf(iterate(JSON.readTree("""
                [{"type": "required", "field": "Order No"}, {"type": "unique", "field": "Order No"},
                 {"type": "links_to", "field": "Customer", "table": "Customers"}]
                """)));
        assertThat(run).containsEntry("status", "warning").containsEntry("records_scanned", EditorFixtures.RECORDS)
                .containsEntry("issues_found", EditorFixtures.ISSUES);
    }

    @Test
    void aTokenThatMayNotReadTheSchemaIsSaidOnceAndTheRowsStillTakeTypedNames() throws Exception {
        String base = "appNOSCHEMA000001";
        EditorFixtures.sampleBase(AIRTABLE, base);
        AIRTABLE.forbidSchema(base);

        String page = browser.postFields("/schedules/new", "/schedules/new",
                form("read-schema", hourly("Typed", base, "0"))).body();
        assertThat(page).contains("The Airtable token may not read this base&#39;s schema (it needs the scope "
                + "schema.bases:read and access to the base)").contains("id=\"schema-fallback\"")
                .doesNotContain("name=\"scan_table\"");
        List<Map.Entry<String, String>> typed = form("save", hourly("Typed", base, "0"),
                new String[] {"Customers", "required", "Name", ""});
        typed.add(Map.entry("with_schema", "yes"));
        String id = createdId(browser.postFields("/schedules/new", "/schedules/new", typed));

        assertThat(schedules.get(id)).containsEntry("name", "Typed");
    }

    @Test
    void ofTwoOperatorsEditingOneScheduleTheLaterSaveIsRefusedNotOverwritingTheFirst() throws Exception {
        String id = schedules.create(JSON.readTree("{\"name\": \"Shared\", \"base_id\": \"" + BASE + "\", "
                + "\"cron\": \"0 0 * * * ?\", \"tables\": [{\"name\": \"T\", \"rules\": []}]}"));
        String opened = browser.get("/schedules/" + id + "/edit").body();
        Matcher version = Pattern.compile("name=\"version\" value=\"([^\"]+)\"").matcher(opened);
        assertThat(version.find()).isTrue();

        List<Map.Entry<String, String>> first = form("save", hourly("First save", BASE, "5"),
                new String[] {"T", "required", "Name", ""});
        first.add(Map.entry("version", version.group(1)));
        assertThat(browser.postFields("/schedules/" + id + "/edit", "/schedules/" + id + "/edit", first)
                .statusCode()).isEqualTo(302);
        List<Map.Entry<String, String>> second = form("save", hourly("Second save", BASE, "10"),
                new String[] {"T", "required", "Name", ""});
        second.add(Map.entry("version", version.group(1)));
        HttpResponse<String> refused = browser.postFields("/schedules/" + id + "/edit",
                "/schedules/" + id + "/edit", second);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ConsoleDocs.section(refused.body(), "<div id=\"form-errors\"", "</div>"))
                .contains("Schedule &#39;" + id + "&#39; was changed by another save (at ")
                .contains("since this form was opened, so this save was not stored");
        assertThat(refused.body()).contains("value=\"Second save\"");
        assertThat(schedules.get(id)).containsEntry("name", "First save").containsEntry("cron", "0 5 * * * ?");
    }

    @Test
    void namesWithHtmlOrScriptAreShownAsTextEverywhere() throws Exception {
        String id = schedules.create(JSON.readTree("{\"name\": \"<script>alert(1)</script>\", \"base_id\": \""
                + BASE + "\", \"cron\": \"0 0 * * * ?\", \"tables\": [{\"name\": \"<img src=x onerror=alert(2)>\", "
                + "\"rules\": [{\"type\": \"required\", \"field\": \"\\\"><b>bold</b>\"}]}]}"));

        for (String path : List.of("/schedules/" + id + "/edit", "/schedules/" + id + "/delete",
                "/schedules/" + id, "/")) {
            String page = browser.get(path).body();
            assertThat(page).as(path).doesNotContain("<script>alert(1)").doesNotContain("<img src=x")
                    .doesNotContain("<b>bold</b>");
        }
        assertThat(browser.get("/schedules/" + id + "/edit").body())
                .contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"")
                .contains("value=\"&lt;img src=x onerror=alert(2)&gt;\"");
    }

    @Test
    void theRunAndSchedulePagesShowTheRulesThatNoLongerFitTheBaseWithTheWayToTheEditor() throws Exception {
        String id = schedules.create(JSON.readTree("{\"name\": \"Drifted\", \"base_id\": \"" + BASE + "\", "
                + "\"cron\": \"0 0 * * * ?\", \"tables\": [{\"name\": \"People\", \"rules\": [{\"type\": "
                + "\"required\", \"field\": \"Full name\"}]}]}"));
        Map<String, Object> run = ConsoleDocs.run("error", BASE, java.time.Instant.now().minusSeconds(60));
        run.put("schedule_id", id);
        run.put("schema_drift", List.of(Map.of("table", "People", "rule", "required:Full name",
                "change", "field 'Full name' is not in table 'People' (renamed or deleted?)")));
        new EmulatorRuns(EMULATOR).put("driftedRun", run);

        for (String path : List.of("/runs/driftedRun", "/schedules/" + id)) {
            String page = browser.get(path).body();
            assertThat(ConsoleDocs.section(page, "<table id=\"schema-drift\"", "</table>")).as(path)
                    .contains("<tr data-rule=\"required:Full name\">").contains("<td>People</td>")
                    .contains("<td>field &#39;Full name&#39; is not in table &#39;People&#39; (renamed or deleted?)</td>");
            assertThat(page).as(path).contains("href=\"/schedules/" + id + "/edit\" class=\"drift-edit\"");
        }
    }

    @Test
    void aBaseUrlThatIsNotAirtablesIsRefusedAtTheBaseFieldAndNoSchemaIsAskedFor() throws Exception {
        String page = browser.postFields("/schedules/new", "/schedules/new", form("read-schema",
                hourly("Elsewhere", "https://evil.example/appEDITOR00000001/tbl", "0"))).body();
        assertThat(page).contains("Type the base id (app followed by 14 letters and digits) or paste the base&#39;s "
                + "URL first");

        HttpResponse<String> refused = browser.postFields("/schedules/new", "/schedules/new", form("save",
                hourly("Elsewhere", "https://evil.example/appEDITOR00000001/tbl", "0"),
                new String[] {"T", "required", "Name", ""}));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ConsoleDocs.section(refused.body(), "<label for=\"base\">", "</div>"))
                .contains("class=\"field-error\"").contains("$.base_id");
        assertThat(scheduleIds()).containsExactly("default");
    }

    @Test
    void aBaseOf500TablesAnd10000FieldsIsListedWhole() throws Exception {
        String base = "appHUGESCHEMA0001";
        for (int t = 0; t < 500; t++) {
            String table = "Table " + t;
            AIRTABLE.addTable(base, table, List.of(Map.of("id", "rec" + t, "fields", Map.of("F0", "x"))));
            String[] others = new String[19];
            for (int f = 1; f < 20; f++) {
                others[f - 1] = "F" + f;
            }
            AIRTABLE.declareFields(base, table, "F0", others);
        }

        String page = browser.postFields("/schedules/new", "/schedules/new",
                form("read-schema", hourly("Huge", base, "0"))).body();

        assertThat(Pattern.compile("name=\"scan_table\"").matcher(page).results().count()).isEqualTo(500);
        assertThat(page).contains(">Table 499 (20 fields)</label>");
    }

    @Test
    void aViewerSeesNoEditorControlsAndTheServerRefusesTheEditorToThem() throws Exception {
        String id = schedules.create(JSON.readTree("{\"name\": \"Kept\", \"base_id\": \"" + BASE + "\", "
                + "\"cron\": \"0 0 * * * ?\", \"tables\": [{\"name\": \"T\", \"rules\": []}]}"));
        ConsoleSession viewer = new ConsoleSession(
                Integer.parseInt(environment.getRequiredProperty("local.server.port")));
        viewer.login(TestCredentials.VIEWER, TestCredentials.VIEWER_PASSWORD);

        assertThat(viewer.get("/").body()).doesNotContain("id=\"new-schedule\"").doesNotContain("schedule-edit");
        assertThat(viewer.get("/schedules/" + id).body()).doesNotContain("id=\"edit-schedule\"")
                .doesNotContain("id=\"delete-schedule\"");
        assertThat(viewer.get("/schedules/new").statusCode()).isEqualTo(403);
        assertThat(viewer.get("/schedules/" + id + "/edit").statusCode()).isEqualTo(403);
        HttpResponse<String> post = viewer.postFields("/schedules/" + id + "/edit", "/", form("save",
                hourly("Hijacked", BASE, "0"), new String[] {"T", "required", "Name", ""}));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(schedules.get(id)).containsEntry("name", "Kept");
    }
}
