package com.airtableintegrity.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The sample base over real HTTP, as the runner and Airtable's documentation see it. */
class SampleBaseServerTest {
    private static final String TOKEN = "test-token";
    private static final String BASE = "/v0/appDemoCrmSample1/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DemoFaults faults = new DemoFaults(List.of("Customers", "Orders", "Products"));
    private SampleBaseServer server;

    @BeforeEach
    void start() {
        server = SampleBaseServer.start(SampleBase.generate(), faults, TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pagesThroughATableAHundredRecordsAtATimeWithOnlyTheFieldsAskedFor() throws Exception {
        List<JsonNode> records = new ArrayList<>();
        String offset = null;
        int pages = 0;
        do {
            if (pages > 0 && pages % 5 == 0) {
                awaitNextSecond(); // 5 requests a second, as Airtable
            }
            HttpResponse<String> page = get(BASE + "Customers?pageSize=100&fields%5B%5D=Email&fields%5B%5D=Phone"
                    + (offset == null ? "" : "&offset=" + offset));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            assertThat(body.path("records").size()).isLessThanOrEqualTo(100);
            body.path("records").forEach(records::add);
            offset = body.hasNonNull("offset") ? body.get("offset").asText() : null;
            pages++;
        } while (offset != null);
        assertThat(pages).isEqualTo(15);
        assertThat(records).hasSize(1500);
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).hasSize(1500).allMatch(id -> id.matches("rec[A-Za-z0-9]{14}"));
        Set<String> fieldNames = new HashSet<>();
        records.forEach(r -> r.path("fields").fieldNames().forEachRemaining(fieldNames::add));
        assertThat(fieldNames).containsExactlyInAnyOrder("Email", "Phone");
        long withoutEmail = records.stream().filter(r -> !r.path("fields").has("Email")).count();
        assertThat(withoutEmail).as("empty fields are left out").isEqualTo(12);
    }

    @Test
    void answersAirtablesErrorShapes() throws Exception {
        assertError(send(BASE + "Customers", "Bearer wrong"), 401, "AUTHENTICATION_REQUIRED");
        assertError(get("/v0/appOtherBase000001/Customers"), 403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND");
        assertError(get(BASE + "Invoices"), 404, "TABLE_NOT_FOUND");
        assertError(get(BASE + "Orders?fields%5B%5D=Emial"), 422, "UNKNOWN_FIELD_NAME");
        awaitNextSecond();
        assertError(get(BASE + "Orders?offset=itrNope/recNope"), 422, "INVALID_OFFSET_VALUE");
    }

    @Test
    void answers429BeyondFiveRequestsASecondAndThenKeepsTheBasePenalised() throws Exception {
        awaitNextSecond();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add(get(BASE + "Products?pageSize=1").statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429);
        assertError(get(BASE + "Products?pageSize=1"), 429, "RATE_LIMIT_REACHED");
    }

    @Test
    void servesTheSchemaWithEachTablesPrimaryField() throws Exception {
        HttpResponse<String> answer = get("/v0/meta/bases/appDemoCrmSample1/tables");
        assertThat(answer.statusCode()).isEqualTo(200);
        List<String> primaries = new ArrayList<>();
        for (JsonNode table : JSON.readTree(answer.body()).path("tables")) {
            for (JsonNode field : table.path("fields")) {
                if (field.path("id").equals(table.path("primaryFieldId"))) {
                    primaries.add(table.path("name").asText() + "." + field.path("name").asText());
                }
            }
        }
        assertThat(primaries).containsExactly("Customers.Name", "Orders.Order No", "Products.Name");
    }

    @Test
    void aFaultedTableAnswers503AndTheOthersAnswerAsBefore() throws Exception {
        faults.set(faults.parse("503:Orders"));
        assertError(get(BASE + "Orders"), 503, "SERVICE_UNAVAILABLE");
        assertThat(get(BASE + "Products").statusCode()).isEqualTo(200);
        faults.set(faults.parse("none"));
        assertThat(get(BASE + "Orders?pageSize=1").statusCode()).isEqualTo(200);
    }

    private void assertError(HttpResponse<String> answer, int status, String type) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(JSON.readTree(answer.body()).path("error").path("type").asText()).isEqualTo(type);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(path, "Bearer " + TOKEN);
    }

    private HttpResponse<String> send(String path, String authorization) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Lets the sample base's one-second window pass, so the next requests count afresh. */
    private static void awaitNextSecond() {
        long until = System.nanoTime() + Duration.ofMillis(1100).toNanos();
        org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(3))
                .until(() -> System.nanoTime() - until >= 0);
    }
}
