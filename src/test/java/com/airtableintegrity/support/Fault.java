package com.airtableintegrity.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaviour of {@link AirtableDouble}, installed with {@link AirtableDouble#fault(Fault)}.
 *
 * <p>Build one with a factory ({@link #neverAnswer()}, {@link #status(int)}, ...), narrow it with
 * {@link #onBase}, {@link #onTable}, {@link #onPage}, {@link #onRequest}, and bound it with
 * {@link #once()}, {@link #times(int)} or {@link #always()} (the default, unless {@link #onRequest}
 * was used, which defaults to once). Installed faults are checked in installation order; the first
 * one whose scope matches a request and that has firings left decides that request.
 *
 * <p>A faulted request bypasses the rate limiter (it is neither counted nor limited). Faults that
 * deliver the normal answer badly (slow, drip, headers-then-hang, truncated) still compute it
 * normally (auth, 404s, paging), without rate limiting.
 *
 * <p>Install each Fault object once; its counters live in it.
 */
public final class Fault {

    /** What the double does instead of answering normally. */
    public enum Kind {
        /** Read the request, send nothing, hold the connection until the client leaves or close(). */
        NEVER_ANSWER,
        /** Send status line and headers (with the real Content-Length), then never the body. */
        HEADERS_THEN_HANG,
        /** Send headers, then the real body one byte every {@code interval}. */
        DRIP,
        /** Wait {@code delay}, then answer normally. */
        SLOW,
        /** Answer a given status with an Airtable-shaped error body. */
        STATUS,
        /** Read the request, then close with SO_LINGER 0 (TCP RST). */
        RESET,
        /** 200 with a syntactically broken JSON body. */
        MALFORMED_JSON,
        /** 200 with valid JSON of the wrong shape ({"foo":1}). */
        UNEXPECTED_SHAPE,
        /** Headers with the real Content-Length, part of the body, then close (FIN). */
        TRUNCATED,
        /** 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE; the request's iteration (if any) is expired for good. */
        EXPIRE_ITERATION
    }

    final Kind kind;
    Duration duration = Duration.ZERO;
    int status;
    String errorType;
    String errorMessage;
    String retryAfter;
    byte[] rawBody;
    int truncateAt = -1;

    String baseId;
    String table;
    int page;
    // guarded by AirtableDouble's fault list lock
    int skip;
    int remaining = -1;
    private boolean timesSet;
    boolean installed;
    final AtomicInteger fired = new AtomicInteger();

    private Fault(Kind kind) {
        this.kind = kind;
    }

    // ---------------------------------------------------------------- factories

    /** Accept and read the request, then send nothing until the client disconnects or the double closes. */
    public static Fault neverAnswer() {
        return new Fault(Kind.NEVER_ANSWER);
    }

    /** Send the status line and headers (Content-Length of the real body), then hold without a body. */
    public static Fault headersThenHang() {
        return new Fault(Kind.HEADERS_THEN_HANG);
    }

    /** Send headers at once, then the real body one byte per {@code interval} (a 100-record page lasts hours at 1 s). */
    public static Fault drip(Duration interval) {
        Fault f = new Fault(Kind.DRIP);
        f.duration = requirePositive(interval);
        return f;
    }

    /** Wait {@code delay}, then answer normally. */
    public static Fault slow(Duration delay) {
        Fault f = new Fault(Kind.SLOW);
        f.duration = Objects.requireNonNull(delay);
        return f;
    }

    /**
     * Answer {@code status} with an Airtable-shaped body {@code {"error":{"type":T,"message":M}}} using a default
     * type: 500 SERVER_ERROR, 502 BAD_GATEWAY, 503 SERVICE_UNAVAILABLE, 504 GATEWAY_TIMEOUT, 429 RATE_LIMIT_REACHED,
     * 401 AUTHENTICATION_REQUIRED, 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND, 404 NOT_FOUND, 422/400
     * INVALID_REQUEST_UNKNOWN.
     */
    public static Fault status(int status) {
        return status(status, defaultType(status), defaultMessage(status));
    }

    /** Answer {@code status} with {@code {"error":{"type":type,"message":message}}}. */
    public static Fault status(int status, String type, String message) {
        Fault f = new Fault(Kind.STATUS);
        f.status = status;
        f.errorType = Objects.requireNonNull(type);
        f.errorMessage = Objects.requireNonNull(message);
        return f;
    }

    public static Fault serverError() {
        return status(500);
    }

    public static Fault badGateway() {
        return status(502);
    }

    public static Fault serviceUnavailable() {
        return status(503);
    }

    /** 429 RATE_LIMIT_REACHED with a {@code Retry-After} header if {@code retryAfter} is not null. Does not start a penalty. */
    public static Fault tooManyRequests(String retryAfter) {
        return status(429).retryAfter(retryAfter);
    }

    /** Read the request, then reset the connection (SO_LINGER 0 + close gives a TCP RST). */
    public static Fault reset() {
        return new Fault(Kind.RESET);
    }

    /** 200 with body {@code {"records":[{"id":} (cut-off JSON, correct Content-Length). */
    public static Fault malformedJson() {
        return malformedJson("{\"records\":[{\"id\":");
    }

    /** 200 with the given raw body (Content-Length matches it). */
    public static Fault malformedJson(String body) {
        Fault f = new Fault(Kind.MALFORMED_JSON);
        f.rawBody = body.getBytes(StandardCharsets.UTF_8);
        return f;
    }

    /** 200 with the valid JSON {@code {"foo":1}}. */
    public static Fault unexpectedShape() {
        Fault f = new Fault(Kind.UNEXPECTED_SHAPE);
        f.rawBody = "{\"foo\":1}".getBytes(StandardCharsets.UTF_8);
        return f;
    }

    /** Headers with the real Content-Length N, then the first N/2 bytes of the body, then close (FIN). */
    public static Fault truncated() {
        return new Fault(Kind.TRUNCATED);
    }

    /** Like {@link #truncated()}, sending only the first {@code bytes} bytes of the body (capped at N-1). */
    public static Fault truncatedAfter(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes < 0");
        }
        Fault f = new Fault(Kind.TRUNCATED);
        f.truncateAt = bytes;
        return f;
    }

    /** 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE; also expires the iteration that the request's offset belongs to. */
    public static Fault expireIteration() {
        return new Fault(Kind.EXPIRE_ITERATION);
    }

    // ---------------------------------------------------------------- modifiers

    /** Adds a {@code Retry-After} header (only for {@link Kind#STATUS}). */
    public Fault retryAfter(String value) {
        this.retryAfter = value;
        return this;
    }

    /** Only requests for this base. */
    public Fault onBase(String baseId) {
        this.baseId = baseId;
        return this;
    }

    /** Only requests for this table name (decoded, as given to addTable). */
    public Fault onTable(String tableName) {
        this.table = tableName;
        return this;
    }

    /**
     * Only requests for this 1-based page: page 1 is a request without offset, else position / pageSize + 1 of the
     * record the offset points to. Requests with an unresolvable offset are page 0 and match no page scope.
     */
    public Fault onPage(int page) {
        if (page < 1) {
            throw new IllegalArgumentException("page < 1");
        }
        this.page = page;
        return this;
    }

    /**
     * Let the first {@code n - 1} requests matching the other scopes through and fire from the n-th (1-based,
     * counted from installation). Fires once unless {@link #times}/{@link #always} says otherwise.
     */
    public Fault onRequest(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n < 1");
        }
        this.skip = n - 1;
        if (!timesSet) {
            this.remaining = 1;
        }
        return this;
    }

    public Fault once() {
        return times(1);
    }

    public Fault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n < 1");
        }
        this.remaining = n;
        this.timesSet = true;
        return this;
    }

    public Fault always() {
        this.remaining = -1;
        this.timesSet = true;
        return this;
    }

    // ---------------------------------------------------------------- inspection

    public Kind kind() {
        return kind;
    }

    /** How many requests this fault has decided so far. */
    public int fired() {
        return fired.get();
    }

    boolean matches(String requestBase, String requestTable, int requestPage) {
        return (baseId == null || baseId.equals(requestBase))
                && (table == null || table.equals(requestTable))
                && (page == 0 || page == requestPage);
    }

    @Override
    public String toString() {
        return "Fault[" + kind + (baseId != null ? " base=" + baseId : "") + (table != null ? " table=" + table : "")
                + (page != 0 ? " page=" + page : "") + " skip=" + skip + " remaining=" + remaining
                + " fired=" + fired.get() + "]";
    }

    static String defaultType(int status) {
        switch (status) {
            case 400: return "INVALID_REQUEST_UNKNOWN";
            case 401: return "AUTHENTICATION_REQUIRED";
            case 403: return "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND";
            case 404: return "NOT_FOUND";
            case 413: return "REQUEST_TOO_LARGE";
            case 422: return "INVALID_REQUEST_UNKNOWN";
            case 429: return "RATE_LIMIT_REACHED";
            case 500: return "SERVER_ERROR";
            case 502: return "BAD_GATEWAY";
            case 503: return "SERVICE_UNAVAILABLE";
            case 504: return "GATEWAY_TIMEOUT";
            default: return status >= 500 ? "SERVER_ERROR" : "INVALID_REQUEST_UNKNOWN";
        }
    }

    static String defaultMessage(int status) {
        switch (status) {
            case 401: return "Authentication required";
            case 403: return "Invalid permissions, or the requested model was not found.";
            case 404: return "Could not find what you are looking for";
            case 429: return "Rate limit exceeded. Please try again later";
            case 500: return "Server error";
            case 502: return "Bad gateway";
            case 503: return "Service unavailable";
            case 504: return "Gateway timeout";
            default: return "Invalid request";
        }
    }

    private static Duration requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        return d;
    }
}
