package com.airtableintegrity.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test double of the Airtable "list records" REST API: a real HTTP/1.1 server on a raw {@link ServerSocket}
 * (127.0.0.1, free port), so faults are byte-exact.
 *
 * <p>Route: {@code GET /v0/{baseId}/{tableName}?pageSize=..&offset=..} (table name percent-decoded; other query
 * parameters are ignored). Anything else answers 404 {@code {"error":"NOT_FOUND"}}.
 *
 * <p>Normal checks, in order: Authorization {@code Bearer <token>} (401 AUTHENTICATION_REQUIRED), rate limit if
 * enabled (429 RATE_LIMIT_REACHED), forbidden base (403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND), unknown base (404
 * NOT_FOUND), unknown table (404 TABLE_NOT_FOUND), pageSize outside 1..100 (422 INVALID_PAGE_SIZE), offset unknown /
 * garbled / for another table (422 INVALID_OFFSET_VALUE), offset of an expired iteration (422
 * LIST_RECORDS_ITERATOR_NOT_AVAILABLE). Pages: {@code {"records":[...],"offset":"itrXXXXXXXXXXXXXX/recYYY"}}, the
 * offset present only while more records remain; it names the first record of the next page.
 *
 * <p>Records are serialised once at {@link #addTable}; each page's record array is cached per (position, size);
 * empty fields ({@code null}, {@code ""}, empty list/array/map, {@code false}) are omitted like Airtable does.
 *
 * <p>Keep-alive with Content-Length framing; {@code Connection: close} honoured. One daemon thread per connection.
 * {@link #close()} closes the server socket and every live connection and releases held/dripping handlers.
 * Thread-safe.
 *
 * <p>Why not WireMock: a version on WireMock 3.13.2 (a filter in front of its stub servlet for Airtable's rules, the
 * byte-level faults written raw on the same connection, branch {@code reshape-double}) passed the whole suite but
 * made a 100-record page cost ~20 ms instead of ~1 ms (benchmark figure 5: camel-http call per page 1.14 → 20.1 ms
 * median) and let a cold JVM's first requests bunch into a 429. The benchmark measures the runner against this
 * double, so the double must be faster than the runner by far; and hang-after-headers, drip and truncated bodies
 * need raw sockets anyway. Hence this small server by hand.
 */
public final class AirtableDouble implements AutoCloseable {

    private final String token;
    private final AirtableDoubleLog log = new AirtableDoubleLog();
    private final AirtableDoubleFaults faults = new AirtableDoubleFaults();
    private final AirtableDoubleRateLimit rateLimit = new AirtableDoubleRateLimit();
    private final AirtableDoubleApi api;
    private final AirtableDoubleHttp http;

    private AirtableDouble(String token) throws IOException {
        this.token = token;
        this.api = new AirtableDoubleApi(token, faults, rateLimit, log);
        this.http = new AirtableDoubleHttp(api);
    }

    /** Starts a double on 127.0.0.1 with a free port, accepting {@code Authorization: Bearer <token>}. */
    public static AirtableDouble start(String token) {
        try {
            AirtableDouble d = new AirtableDouble(token);
            d.http.start();
            return d;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start AirtableDouble", e);
        }
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash); the API lives under {@code /v0}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return http.port();
    }

    public String token() {
        return token;
    }

    /** Convenience: {@code {"id": id, "fields": fields}} (fields copied, may hold null values). */
    public static Map<String, Object> record(String id, Map<String, ?> fields) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("fields", new LinkedHashMap<>(fields));
        return r;
    }

    /** Convenience: an ordered field map from {@code name, value, name, value, ...}; values may be null. */
    public static Map<String, Object> fields(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of arguments");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return m;
    }

    /** The id the base's schema gives a table added before. */
    public String tableId(String baseId, String tableName) {
        return AirtableDoubleSchema.tableId(api.table(baseId, tableName));
    }

    /** Declares a base (with no tables yet); {@link #addTable} does this too. */
    public AirtableDouble addBase(String baseId) {
        api.addBase(baseId);
        return this;
    }

    /**
     * Adds or replaces a table. Each record is {@code {"id": "rec...", "fields": {...}}} with optional
     * {@code "createdTime"} (else 2024-01-01T00:00:00.000Z plus the record's index in seconds). Ids must be unique.
     */
    public AirtableDouble addTable(String baseId, String tableName, List<? extends Map<String, ?>> records) {
        api.addTable(baseId, tableName, records);
        return this;
    }

    /**
     * Declares fields of a table already added: {@code primaryField} becomes the field the schema names primary, and
     * every name becomes known (a {@code fields[]} request for it answers, where an unknown name answers 422
     * UNKNOWN_FIELD_NAME). Without it the known fields are those the records carry (even empty), the first primary.
     */
    public AirtableDouble declareFields(String baseId, String tableName, String primaryField, String... others) {
        AirtableDoubleTable t = api.table(baseId, tableName);
        t.primaryField(primaryField);
        for (String field : others) {
            t.declare(field);
        }
        return this;
    }

    /**
     * Types a field of a table already added, as the schema lists it: {@code type} (e.g. {@code singleSelect},
     * {@code email}, {@code multipleRecordLinks}) and {@code optionsJson}, Airtable's {@code options} object as raw
     * JSON (e.g. {@code {"choices":[{"name":"Active"}]}}, {@code {"linkedTableId":"tbl..."}}), or null.
     */
    public AirtableDouble typeField(String baseId, String tableName, String field, String type, String optionsJson) {
        api.table(baseId, tableName).type(field, type, optionsJson);
        return this;
    }

    /**
     * The base's schema ({@code GET /v0/meta/bases/{baseId}/tables}) answers 403
     * INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND, as for a token without scope {@code schema.bases:read}.
     */
    public AirtableDouble forbidSchema(String baseId) {
        api.forbidSchema(baseId);
        return this;
    }

    /**
     * With {@code true}, list requests are answered with all fields whatever their {@code fields[]} (as a runner
     * without projection would get them): the benchmark's baseline. Default false.
     */
    public AirtableDouble ignoreFieldsParameter(boolean ignore) {
        api.ignoreFieldsParameter(ignore);
        return this;
    }

    /** The schema requests logged for this base. */
    public List<AirtableDoubleRequest> schemaRequests(String baseId) {
        return log.matching(r -> r.schema() && baseId.equals(r.baseId()));
    }

    /** Requests for this base answer 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND (after auth and rate limit). */
    public AirtableDouble forbidBase(String baseId) {
        api.forbidBase(baseId);
        return this;
    }

    /**
     * Turns on Airtable-like rate limiting per base: more than {@code requestsPerSecond} accepted requests in a
     * sliding 1 s window gives 429 RATE_LIMIT_REACHED and puts the base in penalty for {@code penalty}; every request
     * in the penalty also gets 429 (without extending it). Only authenticated, non-faulted requests count.
     */
    public AirtableDouble rateLimit(int requestsPerSecond, Duration penalty) {
        rateLimit.enable(requestsPerSecond, penalty);
        return this;
    }

    /**
     * Delays each request by a random 0 to {@code max} before the rate limit counts its arrival, as the network
     * between a client and Airtable would: requests sent a window apart may then arrive closer together.
     */
    public AirtableDouble rateLimitArrivalDelay(Duration max) {
        rateLimit.arrivalDelay(max);
        return this;
    }

    public AirtableDouble rateLimitOff() {
        rateLimit.disable();
        return this;
    }

    /** {@code Retry-After} value sent with rate-limit 429s; null (default) sends none, as Airtable documents none. */
    public AirtableDouble rateLimitRetryAfter(String value) {
        rateLimit.retryAfter(value);
        return this;
    }

    /** Every offset issued so far becomes expired (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE); new scans work. */
    public AirtableDouble expireIterations() {
        api.expireIterations();
        return this;
    }

    /** Installs a fault (see {@link Fault}); returns it so tests can read {@link Fault#fired()}. */
    public Fault fault(Fault fault) {
        return faults.install(fault);
    }

    public AirtableDouble clearFaults() {
        faults.clear();
        return this;
    }

    /** Snapshot of the request log, in logging order. */
    public List<AirtableDoubleRequest> requests() {
        return log.all();
    }

    public int requestCount() {
        return log.count();
    }

    public List<AirtableDoubleRequest> requestsForTable(String tableName) {
        return log.matching(r -> tableName.equals(r.table()));
    }

    public List<AirtableDoubleRequest> requestsForBase(String baseId) {
        return log.matching(r -> baseId.equals(r.baseId()));
    }

    /** {@link System#nanoTime()} arrival of the most recently logged request; 0 if none. */
    public long lastRequestNanos() {
        return log.lastRequestNanos();
    }

    /**
     * Largest number of requests for {@code baseId} (all of them, whatever the answer) whose arrival times lie within
     * some half-open window {@code [t, t + window)}.
     */
    public int maxRequestsInAnyWindow(String baseId, Duration window) {
        return log.maxInAnyWindow(baseId, window.toNanos());
    }

    public AirtableDouble clearRequests() {
        log.clear();
        return this;
    }

    /** Stops accepting, closes every live connection, releases held and dripping handlers. Idempotent. */
    @Override
    public void close() {
        http.close();
    }
}
