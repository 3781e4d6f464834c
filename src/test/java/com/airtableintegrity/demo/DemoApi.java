package com.airtableintegrity.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The demo runner's REST API as its README shows it: the demo operator's API key as a bearer token. */
final class DemoApi {
    static final String OPERATOR_KEY = "demo-operator-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String root;

    DemoApi(int port) {
        this.root = "http://127.0.0.1:" + port;
    }

    record Answer(int status, JsonNode body) {
    }

    Answer get(String path) throws Exception {
        return send(request(path).GET());
    }

    Answer post(String path, String jsonBody) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** The runs newest first ({@code GET /api/runs?limit=50}). */
    List<JsonNode> runs() throws Exception {
        Answer answer = get("/api/runs?limit=50");
        if (answer.status() != 200) {
            throw new IllegalStateException("GET /api/runs answered " + answer.status() + " " + answer.body());
        }
        List<JsonNode> runs = new ArrayList<>();
        answer.body().path("runs").forEach(runs::add);
        return runs;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + OPERATOR_KEY);
    }

    private Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Answer(response.statusCode(), body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
    }
}
