package com.airtableintegrity.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The sample base over real HTTP on a free port of 127.0.0.1, speaking the part of Airtable's API the runner uses:
 * {@code GET /v0/{baseId}/{table}?pageSize=&offset=&fields[]=} (100 records a page, an {@code offset} while more
 * remain, only the fields asked for, empty fields left out) and {@code GET /v0/meta/bases/{baseId}/tables}, with
 * Airtable's error answers (401, 403, 404, 422, 429 beyond 5 requests a second with a 30 s penalty, 503).
 * <p>
 * The JDK's {@code com.sun.net.httpserver} rather than a Camel HTTP consumer: the demo's faults need the raw response
 * stream (a request held without an answer, a body sent a byte a second), the server needs no dependency the
 * product does not have, and it lives and dies with this one object, so nothing opens it without the demo profile.
 */
public final class SampleBaseServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleBaseServer.class);
    static final int MAX_PAGE_SIZE = 100;
    /** The longest a hung or dripping request is held (the runner's request timeout cuts it long before). */
    private static final Duration MAX_HOLD = Duration.ofMinutes(5);
    private static final int THREADS = 64;

    private final SampleBase sample;
    private final DemoFaults faults;
    private final String token;
    private final SampleRateLimit rateLimit;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SampleBaseServer(SampleBase sample, DemoFaults faults, String token, SampleRateLimit rateLimit)
            throws IOException {
        this.sample = sample;
        this.faults = faults;
        this.token = token;
        this.rateLimit = rateLimit;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "demo-sample-base");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Serves {@code sample} on a free loopback port, for requests that carry {@code token}. */
    public static SampleBaseServer start(SampleBase sample, DemoFaults faults, String token) {
        try {
            SampleBaseServer s = new SampleBaseServer(sample, faults, token,
                    new SampleRateLimit(5, Duration.ofSeconds(30)));
            s.server.start();
            LOG.info("Sample Airtable base {} served on {} ({})", SampleBase.BASE_ID, s.url(), s.describe());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open the sample base's port on 127.0.0.1", e);
        }
    }

    /** The API root, e.g. {@code http://127.0.0.1:41234} (what {@code integrity.airtable.api-url} is set to). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public DemoFaults faults() {
        return faults;
    }

    /** Closes the port and ends held requests. Idempotent (a failed start and the context may both call it). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private String describe() {
        List<String> counts = new ArrayList<>();
        sample.tables().forEach((name, rows) -> counts.add(name + " " + rows.size()));
        return String.join(", ", counts) + " records";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<String> path = segments(exchange.getRequestURI().getRawPath());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + token).equals(auth)) {
                error(exchange, 401, "AUTHENTICATION_REQUIRED", "Authentication required");
            } else if (!exchange.getRequestMethod().equals("GET") || path.size() < 3 || !path.get(0).equals("v0")) {
                send(exchange, 404, "{\"error\":\"NOT_FOUND\"}");
            } else if (path.size() == 5 && path.get(1).equals("meta") && path.get(2).equals("bases")
                    && path.get(4).equals("tables")) {
                answer(exchange, path.get(3), null);
            } else if (path.size() == 3) {
                answer(exchange, path.get(1), path.get(2));
            } else {
                send(exchange, 404, "{\"error\":\"NOT_FOUND\"}");
            }
        }
    }

    private void answer(HttpExchange exchange, String baseId, String table) throws IOException {
        if (!baseId.equals(SampleBase.BASE_ID)) {
            error(exchange, 403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
                    "Invalid permissions, or the requested model was not found");
        } else if (rateLimit.refuse()) {
            error(exchange, 429, "RATE_LIMIT_REACHED", "Rate limit exceeded. Please try again later");
        } else if (table == null) {
            send(exchange, 200, json.writeValueAsString(SampleSchema.of(sample, json)));
        } else if (!sample.tables().containsKey(table)) {
            error(exchange, 404, "TABLE_NOT_FOUND", "Could not find table " + table + " in application " + baseId);
        } else {
            DemoFaults.Fault fault = faults.current();
            if (fault.hits(table)) {
                play(exchange, fault);
            } else {
                page(exchange, table, query(exchange.getRequestURI().getRawQuery()));
            }
        }
    }

    private void page(HttpExchange exchange, String table, Map<String, List<String>> query) throws IOException {
        List<ObjectNode> rows = first(query, "offset", "").isEmpty() ? sample.startIteration(table)
                : sample.tables().get(table);
        List<String> fields = query.getOrDefault("fields[]", List.of());
        for (String field : fields) {
            if (!SampleBase.fields(table).contains(field)) {
                error(exchange, 422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"" + field + "\"");
                return;
            }
        }
        int pageSize;
        int start;
        try {
            pageSize = Integer.parseInt(first(query, "pageSize", String.valueOf(MAX_PAGE_SIZE)));
            start = SampleOffsets.start(table, rows, first(query, "offset", ""));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            error(exchange, 422, e instanceof NumberFormatException ? "INVALID_REQUEST_UNKNOWN"
                    : "INVALID_OFFSET_VALUE", e instanceof NumberFormatException ? "Invalid pageSize" : e.getMessage());
            return;
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            error(exchange, 422, "INVALID_REQUEST_UNKNOWN", "pageSize must be 1 to " + MAX_PAGE_SIZE);
            return;
        }
        int end = Math.min(rows.size(), start + pageSize);
        ObjectNode page = json.createObjectNode();
        var records = page.putArray("records");
        for (ObjectNode row : rows.subList(start, end)) {
            ObjectNode copy = row.deepCopy();
            if (!fields.isEmpty()) {
                ((ObjectNode) copy.get("fields")).retain(fields);
            }
            records.add(copy);
        }
        if (end < rows.size()) {
            page.put("offset", SampleOffsets.of(table, rows.get(end)));
        }
        send(exchange, 200, json.writeValueAsString(page));
    }

    /** Plays the fault on this request: never answers, drips, or answers 503. */
    private void play(HttpExchange exchange, DemoFaults.Fault fault) throws IOException {
        switch (fault.mode()) {
            case UNAVAILABLE -> error(exchange, 503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable");
            case HANG -> faults.holdWhile(fault, MAX_HOLD); // then closed without an answer
            case DRIP -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, 0);
                OutputStream body = exchange.getResponseBody();
                body.write('{');
                long bytes = 1;
                while (bytes++ < MAX_HOLD.toSeconds() && faults.holdWhile(fault, Duration.ofSeconds(1))) {
                    body.write(' ');
                    body.flush();
                }
            }
            default -> throw new IllegalStateException("not a fault: " + fault);
        }
    }

    private void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("type", type).put("message", message);
        send(exchange, status, json.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> query, String key, String otherwise) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }
}
