package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.support.TestSettings;

/**
 * Bad input to the HTTP surface, on the API and the console alike: each is answered with a clear 4xx in the one
 * JSON error shape, without a stack trace, and none reaches another document or collection. Requests are written
 * byte for byte over a socket (HttpClient would normalise {@code ..} or refuse some of them). The answers are also
 * written to {@code target/bad-input.md}, the table the README and the closing note show.
 */
class BadHttpInputTest extends BootApiTest {
    static final Path TABLE = Path.of("target", "bad-input.md");
    static final String OPERATOR = "Authorization: Bearer " + TestCredentials.OPERATOR_KEY;
    static final String VIEWER = "Authorization: Bearer " + TestCredentials.VIEWER_KEY;
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern BODY = Pattern.compile("\r\n\r\n(.*)$", Pattern.DOTALL);

    /** One bad request: what it is, the request head (without Host), its body, and the answer expected. */
    record Case(String what, String head, String body, int status, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
    }

    @BeforeAll
    static void tableHeader() throws IOException {
        Files.createDirectories(TABLE.getParent());
        Files.writeString(TABLE, "| input | request | answer |\n|---|---|---|\n", StandardCharsets.UTF_8);
    }

    static Stream<Case> cases() {
        String longId = "a".repeat(10_000);
        return Stream.of(
                new Case("run id with a slash", "GET /api/runs/a/b HTTP/1.1\r\n" + OPERATOR, "", 404,
                        "No endpoint GET /api/runs/a/b"),
                new Case("run id '..'", "GET /api/runs/.. HTTP/1.1\r\n" + OPERATOR, "", 400,
                        "The request could not be processed"),
                new Case("run id with %2F", "GET /api/runs/a%2Fb HTTP/1.1\r\n" + OPERATOR, "", 400,
                        "The encoded slash character is not allowed"),
                new Case("run id in unicode", "GET /api/runs/%C3%A9t%C3%A9 HTTP/1.1\r\n" + OPERATOR, "", 400,
                        "is not valid: a run id is 1 to 128 letters"),
                new Case("run id of 10,000 characters", "GET /api/runs/" + longId + " HTTP/1.1\r\n" + OPERATOR, "",
                        400, "Request header is too large"),
                new Case("limit -1", "GET /api/runs?limit=-1 HTTP/1.1\r\n" + OPERATOR, "", 400,
                        "Query parameter 'limit' must be a whole number from 1 to 200, was '-1'"),
                new Case("limit abc", "GET /api/runs?limit=abc HTTP/1.1\r\n" + OPERATOR, "", 400,
                        "Query parameter 'limit' must be a whole number from 1 to 200, was 'abc'"),
                new Case("limit 99999", "GET /api/runs?limit=99999 HTTP/1.1\r\n" + OPERATOR, "", 400,
                        "Query parameter 'limit' must be a whole number from 1 to 200, was '99999'"),
                new Case("unknown query parameter", "GET /api/runs?colour=red HTTP/1.1\r\n" + OPERATOR, "", 400,
                        "colour"),
                new Case("wrong method", "DELETE /api/runs HTTP/1.1\r\n" + OPERATOR, "", 405,
                        "Method DELETE is not allowed on /api/runs"),
                new Case("wrong content type", "POST /api/runs HTTP/1.1\r\n" + OPERATOR
                        + "\r\nContent-Type: text/plain", "run please", 415,
                        "The request body must be application/json, was 'text/plain'"),
                new Case("body over the limit", "POST /api/runs HTTP/1.1\r\n" + OPERATOR
                        + "\r\nContent-Type: application/json", "[" + "0,".repeat(10_000) + "0]", 413,
                        "The request body is larger than the limit of 16384 bytes"),
                new Case("no credentials", "GET /api/runs HTTP/1.1", "", 401,
                        "Authentication required: send Authorization: Bearer <api key>"),
                new Case("wrong credentials", "GET /api/runs HTTP/1.1\r\nAuthorization: Bearer wrong", "", 401,
                        "The API key is not valid"),
                new Case("viewer at an operator endpoint", "POST /api/runs HTTP/1.1\r\n" + VIEWER, "", 403,
                        "Forbidden: this needs the operator role"),
                new Case("form without its CSRF token", "POST /login HTTP/1.1\r\n"
                        + "Content-Type: application/x-www-form-urlencoded", "username=otto&password=x", 403,
                        "Missing or invalid CSRF token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isAnsweredWithAClear4xxInJson(Case c) throws Exception {
        String head = c.head() + "\r\nConnection: close" + (c.body().isEmpty() ? "" : "\r\nContent-Length: "
                + c.body().getBytes(StandardCharsets.UTF_8).length);
        String answer = api.rawWithBody(head, c.body(), Duration.ofSeconds(10));

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
        assertThat(json).startsWith("{\"status\":" + c.status() + ",\"error\":\"").contains(c.message())
                .doesNotContain("Exception", "\tat ", TestSettings.TOKEN);
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
        String request = c.head().lines().findFirst().orElse("");
        if (request.length() > 70) {
            request = request.substring(0, 40) + "…(" + request.length() + " chars)";
        }
        String shown = json.length() > 160 ? json.substring(0, 160) + "…" : json;
        Files.writeString(TABLE, "| " + c.what() + " | `" + request + "` | " + status + " `"
                + shown.replace("|", "\\|") + "` |\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
