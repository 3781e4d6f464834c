package com.airtableintegrity.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.airtableintegrity.boot.ApiClient;
import com.airtableintegrity.boot.BootApiTest;
import com.airtableintegrity.support.EmulatorRuns;

/**
 * Bad input to the console's endpoints and to the runs API, each answered with a 4xx in the one JSON error shape
 * {@code {"status","error","message","path"}}, no stack trace and no HTML. Ids are refused before any Firestore call
 * (the message names the form of a run id); a run that exists ({@code known01}) shows that a refusal is about the
 * input, not about a missing run.
 */
class ConsoleBadInputTest extends BootApiTest {
    private static final String RUN_ID_FORM = "is not valid: a run id is 1 to 128 letters, digits, '-' or '_', "
            + "starting with a letter or digit";
    private static final String LIST_PARAMETERS = "this endpoint takes limit, status, base, before";
    private static final String STATUSES = "must be one of running, success, warning, error, timeout, cancelled";

    @BeforeEach
    void oneRun() throws Exception {
        EMULATOR.wipe();
        new EmulatorRuns(EMULATOR).put("known01", ConsoleDocs.run("success", ConsoleDocs.BASE_A,
                java.time.Instant.now().minusSeconds(60)));
    }

    static Stream<Arguments> badRequests() {
        String longId = "a".repeat(10_000);
        return Stream.of(
                // run ids
                Arguments.of("GET", "/runs/x..y", 400, "Run id 'x..y' " + RUN_ID_FORM),
                Arguments.of("GET", "/runs/..%2F..%2Fintegrity_runs_locks", 400, "The encoded slash"),
                Arguments.of("GET", "/runs/a%2Fissues%2F000001", 400, "The encoded slash"),
                Arguments.of("GET", "/runs/%C3%A9t%C3%A9", 400, "Run id 'été' " + RUN_ID_FORM),
                Arguments.of("GET", "/runs/__x__", 400, "Run id '__x__' " + RUN_ID_FORM),
                Arguments.of("GET", "/runs/" + longId, 400, ""),
                Arguments.of("GET", "/runs/" + "b".repeat(129), 400, RUN_ID_FORM),
                Arguments.of("GET", "/fragments/runs/x..y", 400, "Run id 'x..y' " + RUN_ID_FORM),
                Arguments.of("POST", "/runs/x..y/cancel", 400, "Run id 'x..y' " + RUN_ID_FORM),
                Arguments.of("POST", "/runs/%C3%A9/cancel", 400, "Run id 'é' " + RUN_ID_FORM),
                Arguments.of("POST", "/schedules/x..y/run", 400, "Schedule id 'x..y' is not valid"),
                Arguments.of("GET", "/runs/nosuchrun", 404, "No run with id 'nosuchrun'"),
                Arguments.of("POST", "/runs/nosuchrun/cancel", 404, "No run with id 'nosuchrun'"),
                Arguments.of("POST", "/schedules/nosuch/enable", 404, "No schedule with id 'nosuch'"),
                // limits
                Arguments.of("GET", "/?limit=-1", 400, "Query parameter 'limit' must be a whole number from 1 to 200, "
                        + "was '-1'"),
                Arguments.of("GET", "/?limit=abc", 400, "Query parameter 'limit' must be a whole number from 1 to "
                        + "200, was 'abc'"),
                Arguments.of("GET", "/?limit=99999", 400, "was '99999'"),
                Arguments.of("GET", "/fragments/runs?limit=0", 400, "was '0'"),
                Arguments.of("GET", "/runs/known01?limit=-1", 400, "Query parameter 'limit' must be a whole number "
                        + "from 1 to 500, was '-1'"),
                Arguments.of("GET", "/runs/known01?limit=abc", 400, "was 'abc'"),
                Arguments.of("GET", "/runs/known01?limit=99999", 400, "was '99999'"),
                Arguments.of("GET", "/api/runs?limit=-1", 400, "was '-1'"),
                Arguments.of("GET", "/api/runs?limit=abc", 400, "was 'abc'"),
                Arguments.of("GET", "/api/runs?limit=99999", 400, "was '99999'"),
                Arguments.of("GET", "/api/runs/known01/issues?limit=99999", 400, "from 1 to 500, was '99999'"),
                // cursors and filters
                Arguments.of("GET", "/?before=x", 400, "Query parameter 'before' must be the 'next' cursor of a "
                        + "previous page (<microseconds>-<run id>), was 'x'"),
                Arguments.of("GET", "/?before=123-a..b", 400, "was '123-a..b'"),
                Arguments.of("GET", "/api/runs?before=-1", 400, "was '-1'"),
                Arguments.of("GET", "/runs/known01?after=-1", 400, "Query parameter 'after' must be the 'next' value "
                        + "of a previous page (an issue's seq, a whole number from 0), was '-1'"),
                Arguments.of("GET", "/api/runs/known01/issues?after=abc", 400, "was 'abc'"),
                Arguments.of("GET", "/?status=bogus", 400, "Query parameter 'status' " + STATUSES + "; was 'bogus'"),
                Arguments.of("GET", "/?status=TIMEOUT", 400, "; was 'TIMEOUT'"),
                Arguments.of("GET", "/api/runs?status=bogus", 400, STATUSES),
                Arguments.of("GET", "/?base=../x", 400, "Query parameter 'base' must be a base id"),
                // unknown and repeated parameters
                Arguments.of("GET", "/?foo=1", 400, "Unknown query parameter 'foo': " + LIST_PARAMETERS),
                Arguments.of("GET", "/fragments/runs?page=2", 400, "Unknown query parameter 'page'"),
                Arguments.of("GET", "/api/runs?offset=20", 400, "Unknown query parameter 'offset': "
                        + LIST_PARAMETERS),
                Arguments.of("GET", "/runs/known01?before=1", 400, "Unknown query parameter 'before': this endpoint "
                        + "takes limit, after"),
                Arguments.of("GET", "/api/runs/known01/issues?x=1", 400, "Unknown query parameter 'x'"),
                Arguments.of("GET", "/fragments/runs/known01?x=1", 400, "Unknown query parameter 'x': this endpoint "
                        + "takes "),
                Arguments.of("POST", "/runs/known01/cancel?x=1", 400, "Unknown query parameter 'x'"),
                Arguments.of("GET", "/?limit=5&limit=6", 400, "Query parameter 'limit' is given more than once"),
                // wrong methods (the error controller's message names the method as its error dispatch sees it)
                Arguments.of("POST", "/", 405, " is not allowed on /\""),
                Arguments.of("DELETE", "/runs/known01", 405, " is not allowed on /runs/known01"),
                Arguments.of("PUT", "/runs/known01", 405, " is not allowed on /runs/known01"),
                Arguments.of("GET", "/runs/known01/cancel", 405, "Method GET is not allowed on /runs/known01/cancel"),
                Arguments.of("GET", "/schedules/default/run", 405, "Method GET is not allowed"),
                Arguments.of("POST", "/fragments/runs", 405, " is not allowed on /fragments/runs"),
                Arguments.of("DELETE", "/api/runs/known01/issues", 405, ""));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("badRequests")
    void isAnsweredWithA4xxInTheJsonErrorShape(String method, String path, int status, String message)
            throws Exception {
        HttpRequest.Builder request = api.request(path);
        request = "GET".equals(method) ? request.GET() : request.header("Content-Type",
                "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.noBody());

        ApiClient.Answer answer = api.send(request.build());

        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.body()).startsWith("{\"status\":" + status + ",\"error\":\"")
                .containsPattern("\"message\":\"[^\"]*" + java.util.regex.Pattern.quote(message))
                .containsPattern("\"path\":\"[^\"]*\"}$")
                .doesNotContain("<html").doesNotContain("\tat ").doesNotContain("Exception")
                .hasSizeLessThan(1200);
    }
}
