package com.airtableintegrity.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AirtableDoubleTest {

    private static final String TOKEN = "patTest.0123456789abcdef";
    private static final String BASE = "appBase000000001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private AirtableDouble airtable;

    @BeforeEach
    void start() {
        airtable = AirtableDouble.start(TOKEN);
        airtable.addTable(BASE, "Orders", records(250));
    }

    @AfterEach
    void stop() {
        airtable.close();
    }

    // ------------------------------------------------------------------ normal behaviour

    @Test
    void pagesThrough250RecordsInThreePagesWithExactIds() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String offset = null;
        int pages = 0;
        do {
            HttpResponse<String> r = get(listPath("Orders", offset));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            JsonNode body = JSON.readTree(r.body());
            pageSizes.add(body.get("records").size());
            body.get("records").forEach(rec -> ids.add(rec.get("id").asText()));
            offset = body.hasNonNull("offset") ? body.get("offset").asText() : null;
            if (offset != null) {
                assertThat(offset).matches("itr[A-Za-z0-9]{14}/rec\\d{14}");
            }
            pages++;
        } while (offset != null);

        assertThat(pages).isEqualTo(3);
        assertThat(pageSizes).containsExactly(100, 100, 50);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            expected.add(recId(i));
        }
        assertThat(ids).isEqualTo(expected);

        List<AirtableDoubleRequest> log = airtable.requestsForTable("Orders");
        assertThat(log).extracting(AirtableDoubleRequest::page).containsExactly(1, 2, 3);
        assertThat(log).extracting(AirtableDoubleRequest::status).containsExactly(200, 200, 200);
        assertThat(log.get(0).offset()).isNull();
        assertThat(log.get(1).offset()).isNotNull();
        assertThat(log).allSatisfy(r -> {
            assertThat(r.authPresent()).isTrue();
            assertThat(r.authValid()).isTrue();
            assertThat(r.baseId()).isEqualTo(BASE);
            assertThat(r.pageSize()).isEqualTo(100);
            assertThat(r.fault()).isNull();
        });
        // keep-alive: the client reused one connection
        assertThat(log).extracting(AirtableDoubleRequest::connectionId).containsOnly(log.get(0).connectionId());
        assertThat(airtable.requestCount()).isEqualTo(3);
        assertThat(airtable.lastRequestNanos()).isEqualTo(log.get(2).arrivalNanos());
    }

    @Test
    void smallerPageSizeAndDecodedTableNames() throws Exception {
        airtable.addTable(BASE, "Order Items", records(5));
        HttpResponse<String> r = get("/v0/" + BASE + "/Order%20Items?pageSize=2");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("records")).hasSize(2);
        String offset = body.get("offset").asText();
        JsonNode second = JSON.readTree(get("/v0/" + BASE + "/Order%20Items?pageSize=2&offset="
                + URLEncoder.encode(offset, StandardCharsets.UTF_8)).body());
        assertThat(second.get("records").get(0).get("id").asText()).isEqualTo(recId(2));
        assertThat(airtable.requestsForTable("Order Items")).extracting(AirtableDoubleRequest::page)
                .containsExactly(1, 2);
    }

    @Test
    void omitsEmptyFieldsAndAddsCreatedTime() throws Exception {
        airtable.addTable(BASE, "Mixed", List.of(AirtableDouble.record("recMIXED0000000001", AirtableDouble.fields(
                "Empty", "", "EmptyList", List.of(), "Unchecked", false, "Null", null,
                "Name", "Ada \"Lovelace\"", "Zero", 0, "Checked", true, "Links", List.of("recA", "recB"),
                "Price", 12.5))));
        HttpResponse<String> r = get(listPath("Mixed", null));
        JsonNode rec = JSON.readTree(r.body()).get("records").get(0);
        assertThat(rec.get("id").asText()).isEqualTo("recMIXED0000000001");
        assertThat(rec.get("createdTime").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
        JsonNode fields = rec.get("fields");
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("Name", "Zero", "Checked", "Links", "Price");
        assertThat(fields.get("Name").asText()).isEqualTo("Ada \"Lovelace\"");
        assertThat(fields.get("Zero").asInt()).isZero();
        assertThat(fields.get("Checked").asBoolean()).isTrue();
        assertThat(fields.get("Links").get(1).asText()).isEqualTo("recB");
        assertThat(fields.get("Price").asDouble()).isEqualTo(12.5);
        assertThat(JSON.readTree(r.body()).has("offset")).isFalse();
    }

    @Test
    void errorShapes() throws Exception {
        airtable.forbidBase("appForbidden0001");

        HttpResponse<String> noAuth = get(listPath("Orders", null), null, Duration.ofSeconds(5));
        assertError(noAuth, 401, "AUTHENTICATION_REQUIRED");
        assertThat(errorMessage(noAuth)).isEqualTo("Authentication required");
        assertError(get(listPath("Orders", null), "wrong", Duration.ofSeconds(5)), 401, "AUTHENTICATION_REQUIRED");

        HttpResponse<String> noBase = get("/v0/appMissing0000001/Orders");
        assertError(noBase, 404, "NOT_FOUND");
        assertThat(errorMessage(noBase)).isEqualTo("Could not find what you are looking for");
        HttpResponse<String> noTable = get("/v0/" + BASE + "/Nope");
        assertError(noTable, 404, "TABLE_NOT_FOUND");
        assertThat(errorMessage(noTable)).isEqualTo("Could not find table Nope in base " + BASE);
        assertError(get("/v0/appForbidden0001/Orders"), 403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND");

        assertError(get("/v0/" + BASE + "/Orders?pageSize=101"), 422, "INVALID_PAGE_SIZE");
        assertError(get("/v0/" + BASE + "/Orders?pageSize=0"), 422, "INVALID_PAGE_SIZE");
        assertError(get("/v0/" + BASE + "/Orders?pageSize=abc"), 422, "INVALID_PAGE_SIZE");
        assertError(get(listPath("Orders", "garbage")), 422, "INVALID_OFFSET_VALUE");
        assertError(get(listPath("Orders", "itrAAAAAAAAAAAAAA/" + recId(100))), 422, "INVALID_OFFSET_VALUE");

        String offset = JSON.readTree(get(listPath("Orders", null)).body()).get("offset").asText();
        assertThat(get(listPath("Orders", offset)).statusCode()).isEqualTo(200);
        airtable.expireIterations();
        assertError(get(listPath("Orders", offset)), 422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE");
        // a restarted iteration works
        String fresh = JSON.readTree(get(listPath("Orders", null)).body()).get("offset").asText();
        assertThat(fresh).isNotEqualTo(offset);
        assertThat(get(listPath("Orders", fresh)).statusCode()).isEqualTo(200);

        HttpResponse<String> otherRoute = get("/v1/whatever");
        assertThat(otherRoute.statusCode()).isEqualTo(404);
        assertThat(otherRoute.body()).isEqualTo("{\"error\":\"NOT_FOUND\"}");

        List<AirtableDoubleRequest> log = airtable.requests();
        assertThat(log.get(0).authPresent()).isFalse();
        assertThat(log.get(1).authPresent()).isTrue();
        assertThat(log.get(1).authValid()).isFalse();
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnectionAndHonoursConnectionClose() throws Exception {
        try (Socket s = rawSocket()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // two pipelined requests, then one with Connection: close
            out.write((rawGet(listPath("Orders", null), false) + rawGet("/v0/" + BASE + "/Nope", false))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawResponse first = readResponse(in);
            RawResponse second = readResponse(in);
            assertThat(first.status).isEqualTo(200);
            assertThat(JSON.readTree(first.body).get("records")).hasSize(100);
            assertThat(second.status).isEqualTo(404);
            assertThat(second.head).doesNotContainIgnoringCase("connection: close");

            out.write(rawGet(listPath("Orders", null), true).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawResponse third = readResponse(in);
            assertThat(third.status).isEqualTo(200);
            assertThat(third.head).containsIgnoringCase("Connection: close");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(airtable.requests()).extracting(AirtableDoubleRequest::connectionId).containsOnly(1);
    }

    // ------------------------------------------------------------------ rate limit and windows

    @Test
    void rateLimitGives429DuringPenaltyThenRecovers() throws Exception {
        airtable.rateLimit(5, Duration.ofMillis(1500)).rateLimitRetryAfter("30");
        for (int i = 0; i < 5; i++) {
            assertThat(get(listPath("Orders", null)).statusCode()).isEqualTo(200);
        }
        long limitedAt = System.nanoTime();
        HttpResponse<String> limited = get(listPath("Orders", null));
        assertError(limited, 429, "RATE_LIMIT_REACHED");
        assertThat(errorMessage(limited)).isEqualTo("Rate limit exceeded. Please try again later");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("30");
        assertError(get(listPath("Orders", null)), 429, "RATE_LIMIT_REACHED");
        // another base has its own budget
        airtable.addTable("appOther00000001", "T", records(1));
        assertThat(get("/v0/appOther00000001/T").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(listPath("Orders", null)).statusCode() == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - limitedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));

        airtable.rateLimitOff();
        for (int i = 0; i < 10; i++) {
            assertThat(get(listPath("Orders", null)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void rateLimitWithoutRetryAfterByDefault() throws Exception {
        airtable.rateLimit(1, Duration.ofMillis(100));
        get(listPath("Orders", null));
        HttpResponse<String> limited = get(listPath("Orders", null));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void maxRequestsInAnyWindowCountsPerBase() throws Exception {
        airtable.addTable("appOther00000001", "T", records(1));
        get("/v0/appOther00000001/T"); // warm the connection, other base
        for (int i = 0; i < 4; i++) {
            get(listPath("Orders", null));
        }
        long resumeAt = airtable.lastRequestNanos() + Duration.ofMillis(1200).toNanos();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.nanoTime() - resumeAt >= 0);
        for (int i = 0; i < 3; i++) {
            get(listPath("Orders", null));
        }
        assertThat(airtable.maxRequestsInAnyWindow(BASE, Duration.ofMillis(1000))).isEqualTo(4);
        assertThat(airtable.maxRequestsInAnyWindow(BASE, Duration.ofSeconds(30))).isEqualTo(7);
        assertThat(airtable.maxRequestsInAnyWindow("appOther00000001", Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(airtable.maxRequestsInAnyWindow("appNone", Duration.ofSeconds(1))).isZero();
        assertThat(airtable.maxRequestsInAnyWindow(BASE, Duration.ofNanos(1))).isEqualTo(1);
    }

    // ------------------------------------------------------------------ faults

    @Test
    void neverAnswerTimesOutOnTheClientThenNextRequestWorks() throws Exception {
        Fault f = airtable.fault(Fault.neverAnswer().onTable("Orders").once());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> get(listPath("Orders", null), TOKEN, Duration.ofSeconds(1)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(f.fired()).isEqualTo(1);
        assertThat(get(listPath("Orders", null)).statusCode()).isEqualTo(200);
        List<AirtableDoubleRequest> log = airtable.requests();
        assertThat(log.get(0).fault()).isEqualTo(Fault.Kind.NEVER_ANSWER);
        assertThat(log.get(0).status()).isZero();
        assertThat(log.get(1).fault()).isNull();
    }

    @Test
    void headersThenHangSendsHeadersButNeverTheBody() throws Exception {
        airtable.fault(Fault.headersThenHang());
        try (Socket s = rawSocket()) {
            s.setSoTimeout(700);
            s.getOutputStream().write(rawGet(listPath("Orders", null), false).getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK");
            assertThat(contentLength(head)).isGreaterThan(1000);
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(airtable.requests().get(0).fault()).isEqualTo(Fault.Kind.HEADERS_THEN_HANG);
    }

    @Test
    void dripDeliversTheBodyOneByteAtATime() throws Exception {
        airtable.fault(Fault.drip(Duration.ofMillis(150)).onTable("Orders"));
        try (Socket s = rawSocket()) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(rawGet(listPath("Orders", null), false).getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK");
            long start = System.nanoTime();
            byte[] got = new byte[4];
            for (int i = 0; i < got.length; i++) {
                got[i] = (byte) in.read();
            }
            long elapsed = System.nanoTime() - start;
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("{\"re");
            assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    @Test
    void slowAnswersNormallyAfterTheDelay() throws Exception {
        airtable.fault(Fault.slow(Duration.ofMillis(600)).onPage(1).once());
        long t0 = System.nanoTime();
        HttpResponse<String> r = get(listPath("Orders", null));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(550));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("records")).hasSize(100);
        assertThat(airtable.requests().get(0).fault()).isEqualTo(Fault.Kind.SLOW);
        assertThat(airtable.requests().get(0).status()).isEqualTo(200);
    }

    @Test
    void statusFaultsAreScopedByRequestPageAndTable() throws Exception {
        airtable.addTable(BASE, "Other", records(1));
        Fault unavailable = airtable.fault(Fault.serviceUnavailable().onTable("Orders").onRequest(2));
        HttpResponse<String> first = get(listPath("Orders", null));
        assertThat(first.statusCode()).isEqualTo(200);
        assertError(get(listPath("Orders", null)), 503, "SERVICE_UNAVAILABLE");
        assertThat(get(listPath("Orders", null)).statusCode()).isEqualTo(200);
        assertThat(unavailable.fired()).isEqualTo(1);

        airtable.fault(Fault.serverError().onTable("Orders").onPage(2).times(2));
        String offset = JSON.readTree(first.body()).get("offset").asText();
        assertThat(get(listPath("Other", null)).statusCode()).isEqualTo(200);
        assertThat(get(listPath("Orders", null)).statusCode()).isEqualTo(200);
        assertError(get(listPath("Orders", offset)), 500, "SERVER_ERROR");
        assertError(get(listPath("Orders", offset)), 500, "SERVER_ERROR");
        assertThat(get(listPath("Orders", offset)).statusCode()).isEqualTo(200);

        airtable.clearFaults();
        airtable.fault(Fault.badGateway().once());
        assertThat(get(listPath("Other", null)).statusCode()).isEqualTo(502);
        airtable.fault(Fault.tooManyRequests("7").once());
        HttpResponse<String> tooMany = get(listPath("Orders", null));
        assertError(tooMany, 429, "RATE_LIMIT_REACHED");
        assertThat(tooMany.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(get(listPath("Orders", null)).statusCode()).isEqualTo(200);
        assertThat(airtable.requests()).filteredOn(r -> r.status() == 500)
                .extracting(AirtableDoubleRequest::fault).containsOnly(Fault.Kind.STATUS);
    }

    @Test
    void resetGivesAnIOException() {
        airtable.fault(Fault.reset().onTable("Orders"));
        assertThatThrownBy(() -> get(listPath("Orders", null))).isInstanceOf(IOException.class);
        assertThat(airtable.requests().get(0).fault()).isEqualTo(Fault.Kind.RESET);
    }

    @Test
    void malformedJsonAndUnexpectedShapeAre200() throws Exception {
        airtable.fault(Fault.malformedJson().once());
        airtable.fault(Fault.unexpectedShape().once());
        HttpResponse<String> broken = get(listPath("Orders", null));
        assertThat(broken.statusCode()).isEqualTo(200);
        assertThat(broken.body()).isEqualTo("{\"records\":[{\"id\":");
        assertThatThrownBy(() -> JSON.readTree(broken.body())).isInstanceOf(JsonProcessingException.class);
        HttpResponse<String> odd = get(listPath("Orders", null));
        assertThat(odd.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(odd.body()).get("foo").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(get(listPath("Orders", null)).body()).get("records")).hasSize(100);
    }

    @Test
    void truncatedBodyIsShortOfContentLength() throws Exception {
        airtable.fault(Fault.truncated().onTable("Orders"));
        try (Socket s = rawSocket()) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(rawGet(listPath("Orders", null), false).getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            int declared = contentLength(head);
            byte[] rest = in.readAllBytes();
            assertThat(rest.length).isEqualTo(declared / 2);
        }
        assertThatThrownBy(() -> get(listPath("Orders", null))).isInstanceOf(IOException.class);
    }

    @Test
    void expireIterationFaultExpiresThatIterationOnly() throws Exception {
        airtable.fault(Fault.expireIteration().onTable("Orders").onPage(2).once());
        String offset = JSON.readTree(get(listPath("Orders", null)).body()).get("offset").asText();
        assertError(get(listPath("Orders", offset)), 422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE");
        // the iteration is gone for good, like on Airtable
        assertError(get(listPath("Orders", offset)), 422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE");
        String fresh = JSON.readTree(get(listPath("Orders", null)).body()).get("offset").asText();
        assertThat(get(listPath("Orders", fresh)).statusCode()).isEqualTo(200);
        assertThat(airtable.requests()).extracting(AirtableDoubleRequest::fault)
                .containsExactly(null, Fault.Kind.EXPIRE_ITERATION, null, null, null);
    }

    @Test
    void closeReleasesHeldConnectionsPromptly() throws Exception {
        airtable.fault(Fault.neverAnswer().onPage(1));
        airtable.fault(Fault.drip(Duration.ofSeconds(1)));
        try (Socket held = rawSocket(); Socket dripping = rawSocket()) {
            held.setSoTimeout(3000);
            dripping.setSoTimeout(3000);
            held.getOutputStream().write(rawGet(listPath("Orders", null), false).getBytes(StandardCharsets.US_ASCII));
            dripping.getOutputStream().write(rawGet(listPath("Orders", "garbage"), false)
                    .getBytes(StandardCharsets.US_ASCII));
            readHead(dripping.getInputStream());
            await().atMost(Duration.ofSeconds(3)).until(() -> airtable.requestCount() == 2);

            long t0 = System.nanoTime();
            airtable.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertClosedByPeer(held.getInputStream());
            assertClosedByPeer(dripping.getInputStream());
        }
        assertThatThrownBy(() -> get(listPath("Orders", null))).isInstanceOf(IOException.class);
    }

    @Test
    void servesManyPagesQuickly() throws Exception {
        airtable.addTable(BASE, "Big", records(10_000));
        long t0 = System.nanoTime();
        int pages = 0;
        String offset = null;
        do {
            HttpResponse<String> r = get(listPath("Big", offset));
            Matcher m = OFFSET.matcher(r.body());
            offset = m.find() ? m.group(1) : null;
            pages++;
        } while (offset != null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(pages).isEqualTo(100);
        // generous bound; the double itself does far more (see the benchmark)
        assertThat(seconds).isLessThan(10.0);
    }

    // ------------------------------------------------------------------ helpers

    private static final Pattern OFFSET = Pattern.compile("\"offset\":\"([^\"]+)\"");

    private static String recId(int i) {
        return String.format("rec%014d", i);
    }

    private static List<Map<String, Object>> records(int n) {
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(AirtableDouble.record(recId(i), AirtableDouble.fields(
                    "Name", "Row " + i, "Count", i, "Done", i % 2 == 0, "Notes", i % 3 == 0 ? "" : "note " + i)));
        }
        return out;
    }

    private static String listPath(String table, String offset) {
        String path = "/v0/" + BASE + "/" + URLEncoder.encode(table, StandardCharsets.UTF_8).replace("+", "%20")
                + "?pageSize=100";
        return offset == null ? path : path + "&offset=" + URLEncoder.encode(offset, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return get(pathAndQuery, TOKEN, Duration.ofSeconds(5));
    }

    private HttpResponse<String> get(String pathAndQuery, String token, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(airtable.baseUrl() + pathAndQuery))
                .timeout(timeout).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> r, int status, String type) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").get("type").asText()).isEqualTo(type);
        assertThat(body.get("error").get("message").asText()).isNotBlank();
    }

    private static String errorMessage(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).get("error").get("message").asText();
    }

    private Socket rawSocket() throws IOException {
        return new Socket("127.0.0.1", airtable.port());
    }

    private static String rawGet(String path, boolean close) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in head: " + bos);
            }
            bos.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return bos.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        Matcher m = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertThat(m.find()).as(head).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private record RawResponse(int status, String head, String body) {
    }

    private static RawResponse readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        byte[] body = in.readNBytes(contentLength(head));
        return new RawResponse(status, head, new String(body, StandardCharsets.UTF_8));
    }

    private static void assertClosedByPeer(InputStream in) {
        try {
            byte[] buf = new byte[4096];
            int n;
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            do {
                n = in.read(buf); // drains anything already sent, then EOF
            } while (n > 0 && System.nanoTime() < deadline);
            assertThat(n).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after close()", e);
        } catch (IOException e) {
            // reset by peer: closed as well
        }
    }
}
