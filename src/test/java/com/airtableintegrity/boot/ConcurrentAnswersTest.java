package com.airtableintegrity.boot;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.firestore.Firestore;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Many clients at once, each on its own kept-alive connection, asking for every kind of API answer (200, 202, 409,
 * 429, 400, 404): each request gets exactly its own answer (its own {@code X-Request-Id}, the body that names what it
 * asked for, the security headers once), no connection is dropped, and the web server logs nothing. API answers are
 * written on another thread than the request's own (Spring MVC's async handling of camel-platform-http): anything
 * that touched the response from the request's thread meanwhile corrupted Tomcat's header array (an NPE in
 * {@code MimeHeaders}) and dropped the connection. And an answer carries only the headers the API means to send:
 * camel-platform-http wrote every request header and query parameter back out as a response header, unfiltered (a
 * plain link could set a cookie or a redirect on the runner's origin). The headers it does mean to send are checked
 * where they apply: {@code Location} (SchedulesApiTest), {@code Retry-After} (ManualRunStartTest).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AnswerWriters.class)
@DirtiesContext
class ConcurrentAnswersTest {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final AirtableDouble AIRTABLE = AirtableDouble.start(TestSettings.TOKEN);
    private static final String AUTHORIZATION = "Authorization";
    private static final String OPERATOR = "Bearer " + TestCredentials.OPERATOR_KEY;
    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 50;
    private static final String[] SERVER_LOGGERS = {"org.apache.catalina", "org.apache.coyote", "org.apache.tomcat",
            "org.apache.camel.component.platform.http", "org.springframework.web"};
    private static final Pattern START_ANSWER = Pattern.compile("202 \\{\"result\":\"manual run requested\"}"
            + "|409 \\{\"status\":409,\"error\":\"Conflict\",\"message\":\"(A manual run for base " + TestSettings.BASE
            + " is already queued or starting|Run [A-Za-z0-9]+ is live for base " + TestSettings.BASE
            + ": a new run starts only after it has ended)\",\"path\":\"/api/runs\"}"
            + "|429 \\{\"status\":429,\"error\":\"Too Many Requests\",\"message\":\"Too many run start requests: at "
            + "most 5 at once and 600 per minute; retry after \\d+ s\",\"path\":\"/api/runs\"}");

    static {
        // a run reads 3 pages of 0.2 s: about a second live, so starts meet idle, queued and live runs
        AIRTABLE.addTable(TestSettings.BASE, "Customers", Records.of('C', 250, i -> fields(
                "Name", "Customer " + i, "Email", "user" + i + "@example.com")));
        AIRTABLE.fault(Fault.slow(Duration.ofMillis(200)).always());
        EMULATOR.wipe();
    }

    @Autowired
    Firestore firestore;
    @Autowired
    Environment environment;
    @Autowired
    AnswerWriters writers;
    private final ListAppender<ILoggingEvent> serverLogs = new ListAppender<>();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        BootTestSettings.register(r, AIRTABLE, EMULATOR, "concurrent-answers-test-runner");
        TestCredentials.register(r);
        BootTestSettings.quickStartLimit(r);
    }

    @AfterAll
    static void stopDouble() {
        AIRTABLE.close();
    }

    @BeforeEach
    void recordServerLogs() {
        serverLogs.start();
        for (String name : SERVER_LOGGERS) {
            ((Logger) LoggerFactory.getLogger(name)).addAppender(serverLogs);
        }
    }

    @AfterEach
    void stopRecording() {
        for (String name : SERVER_LOGGERS) {
            ((Logger) LoggerFactory.getLogger(name)).detachAppender(serverLogs);
        }
        serverLogs.stop();
    }

    @Test
    void everyRequestOfManyKeptAliveClientsGetsExactlyItsOwnAnswerAndTheServerLogsNothing() throws Exception {
        int port = Integer.parseInt(environment.getRequiredProperty("local.server.port"));
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> askInTurn(port, client, wrong, statuses)));
            }
            for (Future<?> client : done) {
                client.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(wrong).as("requests that did not get exactly their own answer").isEmpty();
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(CLIENTS * REQUESTS_PER_CLIENT);
        assertThat(statuses).containsKeys(200, 202, 400, 404, 409, 429);
        assertThat(writers.writesAfterHandOver()).as("writes by a request's own thread after it handed the answer over")
                .isEmpty();
        assertThat(serverLogs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).isEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> firestore.collection("integrity_runs")
                .whereEqualTo("status", "running").get().get(10, TimeUnit.SECONDS).isEmpty());
    }

    @Test
    void aRequestHeaderIsNotEchoedOnTheAnswer() throws Exception {
        ApiClient.Answer answer = api().get("/api/runs?limit=1", AUTHORIZATION, OPERATOR, "X-Reflect-Me", "hello");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Reflect-Me")).isEmpty();
        assertThat(answer.header("limit")).isEmpty();
    }

    @Test
    void queryParametersCannotSetACookieOrARefreshOnTheAnswer() throws Exception {
        ApiClient.Answer answer = api().get("/api/runs?Set-Cookie=JSESSIONID%3Dattacker%3B%20Path%3D%2F"
                + "&Refresh=0%3Burl%3Dhttps://evil.example", AUTHORIZATION, OPERATOR);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Set-Cookie")).isEmpty();
        assertThat(answer.header("Refresh")).isEmpty();
    }

    @Test
    void aRequestCannotSetTheLocationOrRetryAfterOfItsAnswer() throws Exception {
        ApiClient.Answer byHeader = api().get("/api/schedules", AUTHORIZATION, OPERATOR,
                "Location", "https://evil.example/h", "Retry-After", "99");
        ApiClient.Answer byQuery = api().get("/api/schedules?Location=https://evil.example/q&Retry-After=98",
                AUTHORIZATION, OPERATOR);

        assertThat(byHeader.status()).as(byHeader.body()).isEqualTo(200);
        assertThat(byHeader.header("Location")).isEmpty();
        assertThat(byHeader.header("Retry-After")).isEmpty();
        assertThat(byQuery.status()).as(byQuery.body()).isEqualTo(400);
        assertThat(byQuery.header("Location")).isEmpty();
        assertThat(byQuery.header("Retry-After")).isEmpty();
    }

    @Test
    void theCallersRequestIdComesBackOnceAndAnInvalidOneIsReplaced() throws Exception {
        ApiClient.Answer given = api().get("/api/runs?limit=1", AUTHORIZATION, OPERATOR,
                RequestIdFilter.HEADER, "trace-42.a_b");
        ApiClient.Answer invalid = api().get("/api/runs?limit=1", AUTHORIZATION, OPERATOR,
                RequestIdFilter.HEADER, "no spaces allowed");

        assertThat(given.response().headers().allValues(RequestIdFilter.HEADER)).isEqualTo(List.of("trace-42.a_b"));
        assertThat(invalid.response().headers().allValues(RequestIdFilter.HEADER)).singleElement()
                .satisfies(id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }

    private ApiClient api() {
        return new ApiClient(environment);
    }

    /** One client: its own connection (HTTP/1.1, kept alive), one request after the other, cycling the kinds. */
    private static void askInTurn(int port, int client, List<String> wrong, Map<Integer, Integer> statuses) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (int n = 0; n < REQUESTS_PER_CLIENT; n++) {
            String id = "c" + client + "r" + n;
            Kind kind = Kind.values()[(client + n) % Kind.values().length];
            try {
                HttpResponse<String> answer = http.send(kind.request(port, id).header(RequestIdFilter.HEADER, id)
                        .header(AUTHORIZATION, OPERATOR)
                        .timeout(ApiClient.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                statuses.merge(answer.statusCode(), 1, Integer::sum);
                String problem = problem(kind, id, answer);
                if (problem != null) {
                    wrong.add(id + " " + kind + ": " + problem);
                }
            } catch (Exception e) {
                wrong.add(id + " " + kind + ": " + e);
            }
        }
    }

    private static String problem(Kind kind, String id, HttpResponse<String> answer) {
        List<String> ids = answer.headers().allValues(RequestIdFilter.HEADER);
        if (!ids.equals(List.of(id))) {
            return "X-Request-Id " + ids;
        }
        List<String> noSniff = answer.headers().allValues("X-Content-Type-Options");
        if (!noSniff.equals(List.of("nosniff"))) {
            return "X-Content-Type-Options " + noSniff;
        }
        if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            return "Content-Type " + answer.headers().firstValue("Content-Type");
        }
        String line = answer.statusCode() + " " + answer.body();
        return kind.expected(id).matcher(line).matches() ? null : "answer " + line;
    }

    /** The kinds of request, each with the one answer (or the set of answers) it may get. */
    private enum Kind {
        START {
            HttpRequest.Builder request(int port, String id) {
                return HttpRequest.newBuilder(uri(port, "/api/runs")).POST(HttpRequest.BodyPublishers.noBody());
            }

            Pattern expected(String id) {
                return START_ANSWER;
            }
        },
        LIST {
            HttpRequest.Builder request(int port, String id) {
                return HttpRequest.newBuilder(uri(port, "/api/runs?limit=1")).GET();
            }

            Pattern expected(String id) {
                return Pattern.compile("200 \\{\"runs\":\\[.*", Pattern.DOTALL);
            }
        },
        MISSING_RUN {
            HttpRequest.Builder request(int port, String id) {
                return HttpRequest.newBuilder(uri(port, "/api/runs/" + id)).GET();
            }

            Pattern expected(String id) {
                return Pattern.compile(Pattern.quote("404 {\"status\":404,\"error\":\"Not Found\",\"message\":\"No run "
                        + "with id '" + id + "'\",\"path\":\"/api/runs/" + id + "\"}"));
            }
        },
        UNKNOWN_PARAMETER {
            HttpRequest.Builder request(int port, String id) {
                return HttpRequest.newBuilder(uri(port, "/api/runs?" + id + "=1")).GET();
            }

            Pattern expected(String id) {
                return Pattern.compile(Pattern.quote("400 {\"status\":400,\"error\":\"Bad Request\",\"message\":"
                        + "\"Unknown query parameter '" + id + "'") + ".*" + Pattern.quote("\"path\":\"/api/runs\"}"));
            }
        },
        MISSING_SCHEDULE {
            HttpRequest.Builder request(int port, String id) {
                return HttpRequest.newBuilder(uri(port, "/api/schedules/" + id + "/run"))
                        .POST(HttpRequest.BodyPublishers.noBody());
            }

            Pattern expected(String id) {
                return Pattern.compile(Pattern.quote("404 {\"status\":404,\"error\":\"Not Found\",\"message\":\"No "
                        + "schedule with id '" + id + "'\",\"path\":\"/api/schedules/" + id + "/run\"}"));
            }
        };

        abstract HttpRequest.Builder request(int port, String id);

        abstract Pattern expected(String id);

        private static URI uri(int port, String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + port + pathAndQuery);
        }
    }
}
