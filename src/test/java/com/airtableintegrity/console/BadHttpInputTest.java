package com.airtableintegrity.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.boot.BootApiTest;
import com.airtableintegrity.boot.ConsoleSession;
import com.airtableintegrity.boot.TestCredentials;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.firestore.Firestore;

/**
 * Bad input to the HTTP surface, the console's pages and forms as well as the API, with users and API keys
 * configured: each is answered with a clear 4xx in the one JSON error shape {@code {"status","error","message",
 * "path"}}, with no stack trace and no HTML, and none addresses another document or collection (ids are refused
 * before any Firestore call; a run that exists, {@code known01}, shows a refusal is about the input). Requests are
 * written byte for byte over a socket (an HTTP client would normalise {@code ..} or refuse some of them); a page's
 * request goes as a signed-in operator with the form's CSRF token, an API request with an operator key, unless the
 * case is about credentials. The answers are written to {@code target/bad-input.md}.
 */
class BadHttpInputTest extends BootApiTest {
    static final Path TABLE = Path.of("target", "bad-input.md");
    private static final String RUN_ID_FORM = "is not valid: a run id is 1 to 128 letters, digits, '-' or '_', "
            + "starting with a letter or digit";
    private static final String LIST_PARAMETERS = "this endpoint takes limit, status, base, before";
    private static final String STATUSES = "must be one of running, success, warning, error, timeout, cancelled";
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern BODY = Pattern.compile("\r\n\r\n(.*)$", Pattern.DOTALL);

    /** Who sends the request. */
    enum As { OPERATOR_KEY, VIEWER_KEY, WRONG_KEY, NOBODY, OPERATOR_SESSION, OPERATOR_SESSION_WITHOUT_CSRF }

    /** One bad request and the answer expected ({@code message}: a part of the answer's message). */
    record Case(String method, String target, As as, String contentType, String body, int status, String message) {
        @Override
        public String toString() {
            String shown = target.length() > 60 ? target.substring(0, 40) + "…(" + target.length() + " chars)"
                    : target;
            return method + " " + shown + (as == As.OPERATOR_KEY || as == As.OPERATOR_SESSION ? "" : " as " + as);
        }
    }

    static ConsoleSession operator;
    static String csrf;

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
    }

    @BeforeAll
    static void tableHeader() throws IOException {
        Files.createDirectories(TABLE.getParent());
        Files.writeString(TABLE, "| request | answer |\n|---|---|\n", StandardCharsets.UTF_8);
    }

    /** Once for the class (no case changes any state): one run, and an operator signed in. */
    @BeforeEach
    void signedInOperatorAndOneRun() throws Exception {
        if (operator != null) {
            return;
        }
        EMULATOR.wipe();
        new EmulatorRuns(EMULATOR).put("known01", ConsoleDocs.run("success", ConsoleDocs.BASE_A,
                Instant.now().minusSeconds(60)));
        try (Firestore db = EMULATOR.newClient()) { // written around the API, as the README allows
            db.collection("integrity_schedules").document("malformed01").set(Map.of("name", 42))
                    .get(10, TimeUnit.SECONDS);
        }
        operator = new ConsoleSession(port());
        operator.login(TestCredentials.OPERATOR, TestCredentials.OPERATOR_PASSWORD);
        csrf = ConsoleSession.csrfOf(operator.get("/").body());
    }

    @AfterAll
    static void signOut() {
        operator = null;
    }

    static Stream<Case> cases() {
        String longId = "a".repeat(10_000);
        return Stream.of(
                // run and schedule ids: never a path to another document or collection
                api("GET", "/api/runs/a/b", 404, "No endpoint GET /api/runs/a/b"),
                api("GET", "/api/runs/..", 400, "The request was rejected because the URL was not normalized"),
                page("GET", "/runs/a/../b", 400, "The request was rejected because the URL was not normalized"),
                page("GET", "/runs/a;b", 400, "The request was rejected because the URL contained a potentially "
                        + "malicious String "),
                api("GET", "/api/runs/a%2Fb", 400, "The encoded slash character is not allowed"),
                api("GET", "/api/runs/%C3%A9t%C3%A9", 400, "Run id '%C3%A9t%C3%A9' " + RUN_ID_FORM),
                api("GET", "/api/runs/" + longId, 400, "Request header is too large"),
                page("GET", "/runs/x..y", 400, "Run id 'x..y' " + RUN_ID_FORM),
                page("GET", "/runs/..%2F..%2Fintegrity_runs_locks", 400, "The encoded slash"),
                page("GET", "/runs/a%2Fissues%2F000001", 400, "The encoded slash"),
                page("GET", "/runs/%C3%A9t%C3%A9", 400, "Run id 'été' " + RUN_ID_FORM),
                page("GET", "/runs/__x__", 400, "Run id '__x__' " + RUN_ID_FORM),
                page("GET", "/runs/" + longId, 400, "Request header is too large"),
                page("GET", "/runs/" + "b".repeat(129), 400, RUN_ID_FORM),
                page("GET", "/fragments/runs/x..y", 400, "Run id 'x..y' " + RUN_ID_FORM),
                page("POST", "/runs/x..y/cancel", 400, "Run id 'x..y' " + RUN_ID_FORM),
                page("POST", "/runs/%C3%A9/cancel", 400, "Run id 'é' " + RUN_ID_FORM),
                page("POST", "/schedules/x..y/run", 400, "Schedule id 'x..y' is not valid"),
                page("GET", "/runs/nosuchrun", 404, "No run with id 'nosuchrun'"),
                page("POST", "/runs/nosuchrun/cancel", 404, "No run with id 'nosuchrun'"),
                page("POST", "/schedules/nosuch/enable", 404, "No schedule with id 'nosuch'"),
                // limits
                api("GET", "/api/runs?limit=-1", 400,
                        "Query parameter 'limit' must be a whole number from 1 to 200, was '-1'"),
                api("GET", "/api/runs?limit=abc", 400, "from 1 to 200, was 'abc'"),
                api("GET", "/api/runs?limit=99999", 400, "from 1 to 200, was '99999'"),
                api("GET", "/api/runs/known01/issues?limit=99999", 400, "from 1 to 500, was '99999'"),
                page("GET", "/?limit=-1", 400, "Query parameter 'limit' must be a whole number from 1 to 200, "
                        + "was '-1'"),
                page("GET", "/?limit=abc", 400, "from 1 to 200, was 'abc'"),
                page("GET", "/?limit=99999", 400, "was '99999'"),
                page("GET", "/fragments/runs?limit=0", 400, "was '0'"),
                page("GET", "/runs/known01?limit=-1", 400, "Query parameter 'limit' must be a whole number "
                        + "from 1 to 500, was '-1'"),
                page("GET", "/runs/known01?limit=abc", 400, "was 'abc'"),
                page("GET", "/runs/known01?limit=99999", 400, "was '99999'"),
                // cursors and filters
                page("GET", "/?before=x", 400, "Query parameter 'before' must be the 'next' cursor of a "
                        + "previous page (<microseconds>-<run id>), was 'x'"),
                page("GET", "/?before=123-a..b", 400, "was '123-a..b'"),
                api("GET", "/api/runs?before=-1", 400, "was '-1'"),
                page("GET", "/runs/known01?after=-1", 400, "Query parameter 'after' must be the 'next' value "
                        + "of a previous page (an issue's seq, a whole number from 0), was '-1'"),
                api("GET", "/api/runs/known01/issues?after=abc", 400, "was 'abc'"),
                page("GET", "/?status=bogus", 400, "Query parameter 'status' " + STATUSES + "; was 'bogus'"),
                page("GET", "/?status=TIMEOUT", 400, "; was 'TIMEOUT'"),
                api("GET", "/api/runs?status=bogus", 400, STATUSES),
                page("GET", "/?base=../x", 400, "Query parameter 'base' must be a base id"),
                // unknown and repeated parameters
                api("GET", "/api/runs?colour=red", 400, "Unknown query parameter 'colour': " + LIST_PARAMETERS),
                api("GET", "/api/runs?offset=20", 400, "Unknown query parameter 'offset': " + LIST_PARAMETERS),
                api("GET", "/api/runs/known01/issues?x=1", 400, "Unknown query parameter 'x'"),
                page("GET", "/?foo=1", 400, "Unknown query parameter 'foo': " + LIST_PARAMETERS),
                page("GET", "/fragments/runs?page=2", 400, "Unknown query parameter 'page'"),
                page("GET", "/runs/known01?before=1", 400, "Unknown query parameter 'before': this endpoint "
                        + "takes limit, after"),
                page("GET", "/fragments/runs/known01?x=1", 400, "Unknown query parameter 'x': this endpoint takes no "
                        + "query parameters"),
                page("POST", "/runs/known01/cancel?x=1", 400, "Unknown query parameter 'x': this endpoint takes no "
                        + "query parameters"),
                page("GET", "/?limit=5&limit=6", 400, "Query parameter 'limit' is given more than once"),
                // schedules: a pattern over its budget, a stored document that is not a schedule
                new Case("POST", "/api/schedules", As.OPERATOR_KEY, "application/json", """
                        {"name": "bomb", "base_id": "appBOMB0000000001", "cron": "0 0 * * * ?", "time_zone": "UTC",
                         "enabled": true, "tables": [{"name": "T", "rules":
                           [{"type": "pattern", "field": "F", "regex": "((a{1000}){1000}){1000}"}]}]}""", 400,
                        "$.tables[0].rules[0].regex expands to more than 5000 steps"),
                api("GET", "/api/schedules/malformed01", 409, "Schedule document 'malformed01' is malformed: name "
                        + "must be a string, is a number; fix or delete the document"),
                // a query parameter named like a response header sets nothing (every case also sends X-Reflect-Me)
                api("GET", "/api/runs?Set-Cookie=JSESSIONID%3Dattacker%3B%20Path%3D%2F&Refresh=0%3Burl%3D"
                        + "https://evil.example", 400, "Unknown query parameter 'Set-Cookie'"),
                // wrong methods
                api("DELETE", "/api/runs", 405, "Method DELETE is not allowed on /api/runs"),
                api("DELETE", "/api/runs/known01/issues", 405, "Method DELETE is not allowed"),
                page("POST", "/", 405, "Method POST is not allowed on /\""),
                page("DELETE", "/runs/known01", 405, "Method DELETE is not allowed on /runs/known01"),
                page("PUT", "/runs/known01", 405, "Method PUT is not allowed on /runs/known01"),
                page("GET", "/runs/known01/cancel", 405, "Method GET is not allowed on /runs/known01/cancel"),
                page("GET", "/schedules/default/run", 405, "Method GET is not allowed"),
                page("POST", "/fragments/runs", 405, "Method POST is not allowed on /fragments/runs"),
                // wrong content types and bodies over the limit
                new Case("POST", "/api/runs", As.OPERATOR_KEY, "text/plain", "run please", 415,
                        "The request body must be application/json, was 'text/plain'"),
                new Case("POST", "/runs/known01/cancel", As.OPERATOR_SESSION, "application/json", "{}", 415,
                        "The request body must be application/x-www-form-urlencoded, was 'application/json'"),
                new Case("POST", "/api/runs", As.OPERATOR_KEY, "application/json", "[" + "0,".repeat(10_000) + "0]",
                        413, "The request body is larger than the limit of 16384 bytes"),
                new Case("POST", "/runs/known01/cancel", As.OPERATOR_SESSION, "application/x-www-form-urlencoded",
                        "x=" + "y".repeat(20_000), 413, "The request body is larger than the limit of 16384 bytes"),
                // credentials, roles and CSRF
                new Case("GET", "/api/runs", As.NOBODY, "", "", 401,
                        "Authentication required: send Authorization: Bearer <api key>"),
                new Case("GET", "/api/runs", As.WRONG_KEY, "", "", 401, "The API key is not valid"),
                new Case("POST", "/api/runs", As.VIEWER_KEY, "", "", 403, "Forbidden: this needs the operator role"),
                new Case("POST", "/runs/known01/cancel", As.OPERATOR_SESSION_WITHOUT_CSRF,
                        "application/x-www-form-urlencoded", "", 403, "Missing or invalid CSRF token"),
                new Case("POST", "/login", As.NOBODY, "application/x-www-form-urlencoded",
                        "username=otto&password=x", 403, "Missing or invalid CSRF token"));
    }

    private static Case api(String method, String target, int status, String message) {
        return new Case(method, target, As.OPERATOR_KEY, "", "", status, message);
    }

    private static Case page(String method, String target, int status, String message) {
        return new Case(method, target, As.OPERATOR_SESSION, "", "", status, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isAnsweredWithAClear4xxInJson(Case c) throws Exception {
        String answer = send(c);

        Matcher status = STATUS.matcher(answer);
        assertThat(status.find()).as(answer).isTrue();
        Matcher body = BODY.matcher(answer);
        String json = body.find() ? body.group(1) : "";
        if (answer.toLowerCase().contains("\r\ntransfer-encoding: chunked")) {
            json = dechunked(json);
        }
        record(c, Integer.parseInt(status.group(1)), json);
        assertThat(Integer.parseInt(status.group(1))).as(answer).isEqualTo(c.status());
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        assertThat(json).startsWith("{\"status\":" + c.status() + ",\"error\":\"")
                // the expected text is in the message, or, for an invalid schedule, in the list of its problems
                .containsPattern("\"(message\":\"|problems\":\\[(\"[^\"]*\",)*\")[^\"]*" + Pattern.quote(c.message()))
                .containsPattern("\"path\":\"[^\"]*\"(,\"problems\":\\[.*\\])?}$").hasSizeLessThan(1200)
                .doesNotContain("<html", "Exception", "\tat ", TestSettings.TOKEN);
        String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase(Locale.ROOT);
        assertThat(head).as("no request header or parameter comes back as a header")
                .doesNotContain("x-reflect-me", "attacker", "\r\nrefresh:");
    }

    private String send(Case c) throws IOException {
        StringBuilder head = new StringBuilder(c.method() + " " + c.target() + " HTTP/1.1\r\nConnection: close"
                + "\r\nX-Reflect-Me: hello");
        switch (c.as()) {
            case OPERATOR_KEY -> head.append("\r\nAuthorization: Bearer ").append(TestCredentials.OPERATOR_KEY);
            case VIEWER_KEY -> head.append("\r\nAuthorization: Bearer ").append(TestCredentials.VIEWER_KEY);
            case WRONG_KEY -> head.append("\r\nAuthorization: Bearer wrong");
            case OPERATOR_SESSION, OPERATOR_SESSION_WITHOUT_CSRF ->
                    head.append("\r\nCookie: ").append(operator.cookieHeader());
            case NOBODY -> { }
        }
        String body = c.body();
        String contentType = c.contentType();
        if (c.as() == As.OPERATOR_SESSION && !"GET".equals(c.method())) {
            contentType = contentType.isEmpty() ? "application/x-www-form-urlencoded" : contentType;
            String token = "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
            body = body.isEmpty() ? token : contentType.startsWith("application/x-www") ? token + "&" + body : body;
            if (!contentType.startsWith("application/x-www")) {
                head.append("\r\nX-CSRF-TOKEN: ").append(csrf);
            }
        }
        if (!contentType.isEmpty()) {
            head.append("\r\nContent-Type: ").append(contentType);
        }
        if (!body.isEmpty()) {
            head.append("\r\nContent-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length);
        }
        return api.rawWithBody(head.toString(), body, Duration.ofSeconds(10));
    }

    private int port() {
        return Integer.parseInt(environment.getRequiredProperty("local.server.port"));
    }

    private static String dechunked(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = lineEnd < 0 ? 0 : Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static void record(Case c, int status, String json) throws IOException {
        String shown = json.length() > 180 ? json.substring(0, 180) + "…" : json;
        Files.writeString(TABLE, "| `" + c + "` | " + status + " `" + shown.replace("|", "\\|") + "` |\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
