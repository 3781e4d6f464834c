package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;


/**
 * Every error answer, wherever it is decided (the REST routes, Spring MVC, Tomcat's connector), is
 * {@code application/json} shaped {@code {"status", "error", "message", "path"}}, with no stack trace in the answer
 * and one log line per rejected request.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiErrorAnswersTest extends BootApiTest {

    @Test
    void aRunIdFirestoreReservesIsABadRequestNamingTheIdAndTheAllowedForm() throws Exception {
        ApiClient.Answer answer = api.get("/api/runs/__x__");

        assertThat(answer.line()).isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\",\"message\":\"Run id '__x__' "
                + "is not valid: a run id is 1 to 128 letters, digits, '-' or '_', starting with a letter or digit\",\"path\":\"/api/runs/__x__\"}");
        assertThat(answer.contentType()).startsWith("application/json");
    }

    @Test
    void aRunIdWithAnEncodedSlashIsABadRequestInJson() throws Exception {
        ApiClient.Answer answer = api.get("/api/runs/a%2Fb");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.body()).isEqualTo("{\"status\":400,\"error\":\"Bad Request\",\"message\":\"The request could "
                + "not be processed: Invalid URI: [The encoded slash character is not allowed]\",\"path\":\"/api/runs/a%2Fb\"}");
    }

    @Test
    void aTenThousandCharacterPathIsRefusedInJsonWithThePathCut() throws Exception {
        ApiClient.Answer answer = api.get("/api/runs/" + "a".repeat(10_000));

        assertThat(answer.status()).isBetween(400, 499);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.body()).startsWith("{\"status\":" + answer.status() + ",\"error\":\"")
                .doesNotContain("<html").hasSizeLessThan(600);
    }

    @Test
    void anHtmlOnlyAcceptHeaderGetsA406InJson() throws Exception {
        ApiClient.Answer answer = api.get("/api/runs/abc", "Accept", "text/html");

        assertThat(answer.line()).isEqualTo("406 {\"status\":406,\"error\":\"Not Acceptable\",\"message\":\"This API "
                + "answers application/json only; the Accept header 'text/html' does not allow it\",\"path\":\"/api/runs/abc\"}");
        assertThat(answer.contentType()).startsWith("application/json");
    }

    @Test
    void theLimitIsReadFromTheQueryStringOnlyNotFromAHeader() throws Exception {
        assertThat(api.get("/api/runs", "limit", "0").status()).isEqualTo(200);
        assertThat(api.get("/api/runs?limit=0").line()).isEqualTo("400 {\"status\":400,\"error\":\"Bad Request\","
                + "\"message\":\"Query parameter 'limit' must be a whole number from 1 to 200, was '0'\",\"path\":\"/api/runs\"}");
    }

    @Test
    void aCancelWhoseBodyIsNotJsonIsABadRequestNamingWhere() throws Exception {
        ApiClient.Answer answer = api.json("POST", "/api/runs/abc/cancel", "{oops");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).startsWith("{\"status\":400,\"error\":\"Bad Request\",\"message\":"
                + "\"The request body is not valid JSON: ").contains("(line 1, column ");
    }

    @Test
    void aRunsBodyRepeatingAKeyIsABadRequestNamingTheKey() throws Exception {
        assertThat(api.json("POST", "/api/runs", "{\"a\": 1, \"a\": 2}").line()).isEqualTo("400 {\"status\":400,"
                + "\"error\":\"Bad Request\",\"message\":\"The request body is not valid JSON: Duplicate field 'a' in $ "
                + "(line 1, column 13)\",\"path\":\"/api/runs\"}");
        assertThat(api.json("POST", "/api/runs/abc/cancel", "{\"x\": {\"b\": 1, \"b\": 2}}").line()).isEqualTo(
                "400 {\"status\":400,\"error\":\"Bad Request\",\"message\":\"The request body is not valid JSON: "
                        + "Duplicate field 'b' in $.x (line 1, column 19)\",\"path\":\"/api/runs/abc/cancel\"}");
    }

    @Test
    void anUnknownPathIsA404InJson() throws Exception {
        ApiClient.Answer answer = api.get("/api/nothing-here");

        assertThat(answer.line()).isEqualTo("404 {\"status\":404,\"error\":\"Not Found\",\"message\":\"No endpoint "
                + "GET /api/nothing-here\",\"path\":\"/api/nothing-here\"}");
        assertThat(answer.contentType()).startsWith("application/json");
    }

    @Test
    void aRejectedRequestIsLoggedOnceWithoutAStackTrace(CapturedOutput output) throws Exception {
        int mark = output.getAll().length();

        assertThat(api.get("/api/runs/__y__").status()).isEqualTo(400);

        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().substring(mark).contains("__y__"));
        String logged = output.getAll().substring(mark);
        assertThat(Arrays.stream(logged.split("\\R")).filter(l -> l.contains("__y__"))).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("WARN"));
        assertThat(logged).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
