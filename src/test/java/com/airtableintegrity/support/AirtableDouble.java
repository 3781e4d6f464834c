package com.airtableintegrity.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 */
public final class AirtableDouble implements AutoCloseable {

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Instant CREATED_BASE = Instant.parse("2024-01-01T00:00:00Z");
    private static final DateTimeFormatter CREATED_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final char[] ALNUM =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final byte[] RECORDS_PREFIX = ascii("{\"records\":[");
    private static final byte[] EMPTY = new byte[0];

    private final String token;
    private final String expectedAuth;
    private final ServerSocket serverSocket;
    private final Thread acceptThread;
    private final ExecutorService pool;
    private final Set<Socket> liveSockets = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile boolean closed;
    private final AtomicInteger connectionIds = new AtomicInteger();

    private final Map<String, Map<String, Table>> bases = new ConcurrentHashMap<>();
    private final Set<String> forbiddenBases = ConcurrentHashMap.newKeySet();
    private final Map<String, Iteration> iterations = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private final List<Fault> faults = new ArrayList<>(); // guarded by itself
    private volatile boolean faultsPresent;

    private volatile RateLimit rateLimit; // null = off
    private volatile String rateLimitRetryAfter;
    private final Map<String, BaseRate> rates = new ConcurrentHashMap<>();

    private final ConcurrentLinkedQueue<AirtableDoubleRequest> log = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger requestCount = new AtomicInteger();
    private volatile long lastRequestNanos;

    private AirtableDouble(String token) throws IOException {
        this.token = token;
        this.expectedAuth = "Bearer " + token;
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        AtomicInteger threadIds = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "airtable-double-conn-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptThread = new Thread(this::acceptLoop, "airtable-double-accept-" + serverSocket.getLocalPort());
        acceptThread.setDaemon(true);
    }

    // ================================================================ public API

    /** Starts a double on 127.0.0.1 with a free port, accepting {@code Authorization: Bearer <token>}. */
    public static AirtableDouble start(String token) {
        try {
            AirtableDouble d = new AirtableDouble(token);
            d.acceptThread.start();
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
        return serverSocket.getLocalPort();
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

    /** Declares a base (with no tables yet); {@link #addTable} does this too. */
    public AirtableDouble addBase(String baseId) {
        bases.computeIfAbsent(baseId, k -> new ConcurrentHashMap<>());
        return this;
    }

    /**
     * Adds or replaces a table. Each record is {@code {"id": "rec...", "fields": {...}}} with optional
     * {@code "createdTime"} (else 2024-01-01T00:00:00.000Z plus the record's index in seconds). Ids must be unique.
     */
    public AirtableDouble addTable(String baseId, String tableName, List<? extends Map<String, ?>> records) {
        Table t = new Table(baseId, tableName, records);
        addBase(baseId);
        bases.get(baseId).put(tableName, t);
        return this;
    }

    /** Requests for this base answer 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND (after auth and rate limit). */
    public AirtableDouble forbidBase(String baseId) {
        forbiddenBases.add(baseId);
        return this;
    }

    /**
     * Turns on Airtable-like rate limiting per base: more than {@code requestsPerSecond} accepted requests in a
     * sliding 1 s window gives 429 RATE_LIMIT_REACHED and puts the base in penalty for {@code penalty}; every request
     * in the penalty also gets 429 (without extending it). Only authenticated, non-faulted requests count.
     */
    public AirtableDouble rateLimit(int requestsPerSecond, Duration penalty) {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("requestsPerSecond < 1");
        }
        rates.clear();
        rateLimit = new RateLimit(requestsPerSecond, penalty.toNanos());
        return this;
    }

    public AirtableDouble rateLimitOff() {
        rateLimit = null;
        rates.clear();
        return this;
    }

    /** {@code Retry-After} value sent with rate-limit 429s; null (default) sends none, as Airtable documents none. */
    public AirtableDouble rateLimitRetryAfter(String value) {
        rateLimitRetryAfter = value;
        return this;
    }

    /** Every offset issued so far becomes expired (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE); new scans work. */
    public AirtableDouble expireIterations() {
        for (Iteration it : iterations.values()) {
            it.expired = true;
        }
        return this;
    }

    /** Installs a fault (see {@link Fault}); returns it so tests can read {@link Fault#fired()}. */
    public Fault fault(Fault fault) {
        synchronized (faults) {
            if (fault.installed) {
                throw new IllegalStateException("fault already installed: " + fault);
            }
            fault.installed = true;
            faults.add(fault);
            faultsPresent = true;
        }
        return fault;
    }

    public AirtableDouble clearFaults() {
        synchronized (faults) {
            faults.clear();
            faultsPresent = false;
        }
        return this;
    }

    /** Snapshot of the request log, in logging order. */
    public List<AirtableDoubleRequest> requests() {
        return List.copyOf(log);
    }

    public int requestCount() {
        return requestCount.get();
    }

    public List<AirtableDoubleRequest> requestsForTable(String tableName) {
        List<AirtableDoubleRequest> out = new ArrayList<>();
        for (AirtableDoubleRequest r : log) {
            if (tableName.equals(r.table())) {
                out.add(r);
            }
        }
        return out;
    }

    public List<AirtableDoubleRequest> requestsForBase(String baseId) {
        List<AirtableDoubleRequest> out = new ArrayList<>();
        for (AirtableDoubleRequest r : log) {
            if (baseId.equals(r.baseId())) {
                out.add(r);
            }
        }
        return out;
    }

    /** {@link System#nanoTime()} arrival of the most recently logged request; 0 if none. */
    public long lastRequestNanos() {
        return lastRequestNanos;
    }

    /**
     * Largest number of requests for {@code baseId} (all of them, whatever the answer) whose arrival times lie within
     * some half-open window {@code [t, t + window)}.
     */
    public int maxRequestsInAnyWindow(String baseId, Duration window) {
        long w = window.toNanos();
        long[] times = log.stream().filter(r -> baseId.equals(r.baseId()))
                .mapToLong(AirtableDoubleRequest::arrivalNanos).toArray();
        Arrays.sort(times);
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < times.length; hi++) {
            while (times[hi] - times[lo] >= w) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }

    public AirtableDouble clearRequests() {
        log.clear();
        requestCount.set(0);
        return this;
    }

    /** Stops accepting, closes every live connection, releases held and dripping handlers. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedLatch.countDown();
        closeQuietly(serverSocket);
        for (Socket s : liveSockets) {
            closeQuietly(s);
        }
        pool.shutdownNow();
        try {
            acceptThread.join(1000);
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ================================================================ connection handling

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            liveSockets.add(s);
            if (closed) {
                closeQuietly(s);
                liveSockets.remove(s);
                return;
            }
            int id = connectionIds.incrementAndGet();
            try {
                pool.execute(() -> serve(s, id));
            } catch (RejectedExecutionException e) {
                closeQuietly(s);
                liveSockets.remove(s);
            }
        }
    }

    private void serve(Socket socket, int connectionId) {
        try {
            socket.setTcpNoDelay(true);
            Conn c = new Conn(socket, connectionId);
            while (!closed) {
                RawRequest req;
                try {
                    req = readRequest(c);
                } catch (BadRequest e) {
                    Action bad = Action.respond(400, errorBody("INVALID_REQUEST_UNKNOWN", e.getMessage()));
                    writeResponse(c, bad, false);
                    return;
                }
                if (req == null) {
                    return;
                }
                Action action = handle(req, c);
                if (!deliver(action, c, req.keepAlive)) {
                    return;
                }
            }
        } catch (IOException e) {
            // client went away or close(): nothing to do
        } finally {
            closeQuietly(socket);
            liveSockets.remove(socket);
        }
    }

    private RawRequest readRequest(Conn c) throws IOException {
        String line;
        do {
            line = c.readLine();
            if (line == null) {
                return null;
            }
        } while (line.isEmpty());
        Instant arrival = Instant.now();
        long nanos = System.nanoTime();
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0) {
            throw new BadRequest("Malformed request line");
        }
        String method = line.substring(0, sp1);
        String target = sp2 < 0 ? line.substring(sp1 + 1) : line.substring(sp1 + 1, sp2);
        String version = sp2 < 0 ? "HTTP/1.0" : line.substring(sp2 + 1);
        String authorization = null;
        String connection = null;
        long contentLength = 0;
        boolean chunked = false;
        for (int n = 0; ; n++) {
            String h = c.readLine();
            if (h == null) {
                return null;
            }
            if (h.isEmpty()) {
                break;
            }
            if (n >= MAX_HEADERS) {
                throw new BadRequest("Too many headers");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("authorization")) {
                authorization = value;
            } else if (name.equalsIgnoreCase("connection")) {
                connection = connection == null ? value : connection + "," + value;
            } else if (name.equalsIgnoreCase("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new BadRequest("Bad Content-Length");
                }
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.toLowerCase().contains("chunked");
            }
        }
        if (chunked) {
            skipChunked(c);
        } else {
            c.skip(contentLength);
        }
        boolean keepAlive;
        if (version.equalsIgnoreCase("HTTP/1.1")) {
            keepAlive = !hasToken(connection, "close");
        } else {
            keepAlive = hasToken(connection, "keep-alive");
        }
        return new RawRequest(method, target, authorization, keepAlive, arrival, nanos);
    }

    private static void skipChunked(Conn c) throws IOException {
        while (true) {
            String sizeLine = c.readLine();
            if (sizeLine == null) {
                throw new IOException("EOF in chunked body");
            }
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new BadRequest("Bad chunk size");
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = c.readLine();
                } while (trailer != null && !trailer.isEmpty());
                return;
            }
            c.skip(size);
            c.readLine();
        }
    }

    private static boolean hasToken(String headerValue, String token) {
        if (headerValue == null) {
            return false;
        }
        for (String part : headerValue.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    // ================================================================ request semantics

    private Action handle(RawRequest r, Conn c) {
        String path = r.target;
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        String baseId = null;
        String tableName = null;
        if (path.startsWith("/v0/")) {
            String rest = path.substring(4);
            int slash = rest.indexOf('/');
            if (slash > 0 && slash < rest.length() - 1 && rest.indexOf('/', slash + 1) < 0) {
                baseId = percentDecode(rest.substring(0, slash), false);
                tableName = percentDecode(rest.substring(slash + 1), false);
            }
        }
        String pageSizeRaw = null;
        String offset = null;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
                if (pageSizeRaw == null && key.equals("pageSize")) {
                    pageSizeRaw = value;
                } else if (offset == null && key.equals("offset")) {
                    offset = value;
                }
            }
        }
        Integer pageSize = null;
        if (pageSizeRaw != null) {
            try {
                pageSize = Integer.valueOf(pageSizeRaw.trim());
            } catch (NumberFormatException e) {
                pageSize = null;
            }
        }
        boolean pageSizeValid = pageSizeRaw == null || (pageSize != null && pageSize >= 1 && pageSize <= 100);
        int effectivePageSize = pageSizeRaw != null && pageSizeValid ? pageSize : 100;

        Table table = null;
        if (baseId != null) {
            Map<String, Table> tables = bases.get(baseId);
            table = tables == null ? null : tables.get(tableName);
        }
        OffsetRef ref = offset == null || table == null ? null : resolveOffset(table, offset);
        int page;
        if (baseId == null) {
            page = 0;
        } else if (offset == null) {
            page = 1;
        } else {
            page = ref == null ? 0 : ref.position / effectivePageSize + 1;
        }
        boolean authPresent = r.authorization != null;
        boolean authValid = authPresent && authMatches(r.authorization);

        Fault fault = faultsPresent ? pickFault(baseId, tableName, page) : null;
        Request req = new Request(r.method, baseId, tableName, table, pageSizeValid, pageSizeRaw,
                effectivePageSize, offset, ref, authValid);
        Action action;
        if (fault == null) {
            action = normal(req, true);
        } else {
            switch (fault.kind) {
                case NEVER_ANSWER:
                    action = Action.of(Mode.HOLD, 0, EMPTY);
                    break;
                case RESET:
                    action = Action.of(Mode.RESET, 0, EMPTY);
                    break;
                case STATUS:
                    action = Action.respond(fault.status, errorBody(fault.errorType, fault.errorMessage));
                    action.retryAfter = fault.retryAfter;
                    break;
                case MALFORMED_JSON:
                case UNEXPECTED_SHAPE:
                    action = Action.respond(200, fault.rawBody);
                    break;
                case EXPIRE_ITERATION:
                    if (ref != null) {
                        ref.iteration.expired = true;
                    }
                    action = Action.respond(422, iteratorNotAvailable());
                    break;
                case SLOW:
                    action = normal(req, false).mode(Mode.SLOW);
                    action.wait = fault.duration;
                    break;
                case DRIP:
                    action = normal(req, false).mode(Mode.DRIP);
                    action.wait = fault.duration;
                    break;
                case HEADERS_THEN_HANG:
                    action = normal(req, false).mode(Mode.HEADERS_HANG);
                    break;
                case TRUNCATED:
                    action = normal(req, false).mode(Mode.TRUNCATED);
                    int n = action.body.length;
                    int cut = fault.truncateAt < 0 ? n / 2 : fault.truncateAt;
                    action.truncateAt = Math.max(0, Math.min(cut, n - 1));
                    break;
                default:
                    throw new IllegalStateException("unknown fault " + fault.kind);
            }
        }
        Integer loggedPageSize = pageSizeRaw == null ? null : pageSize;
        AirtableDoubleRequest entry = new AirtableDoubleRequest(sequence.incrementAndGet(), r.arrival,
                r.arrivalNanos, c.id, r.method, r.target, baseId, tableName, offset, loggedPageSize, page,
                authPresent, authValid, action.status, fault == null ? null : fault.kind);
        log.add(entry);
        requestCount.incrementAndGet();
        lastRequestNanos = r.arrivalNanos;
        return action;
    }

    private boolean authMatches(String header) {
        return header.length() == expectedAuth.length()
                && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && header.regionMatches(7, expectedAuth, 7, token.length());
    }

    private Action normal(Request q, boolean applyRateLimit) {
        if (q.baseId == null || !"GET".equals(q.method)) {
            return Action.respond(404, ascii("{\"error\":\"NOT_FOUND\"}"));
        }
        if (!q.authValid) {
            return Action.respond(401, errorBody("AUTHENTICATION_REQUIRED", "Authentication required"));
        }
        if (applyRateLimit && rateLimited(q.baseId)) {
            Action a = Action.respond(429,
                    errorBody("RATE_LIMIT_REACHED", "Rate limit exceeded. Please try again later"));
            a.retryAfter = rateLimitRetryAfter;
            return a;
        }
        if (forbiddenBases.contains(q.baseId)) {
            return Action.respond(403, errorBody("INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
                    "Invalid permissions, or the requested model was not found. Check that both your user and your "
                            + "token have the required permissions, and that the model names and/or ids are correct."));
        }
        if (!bases.containsKey(q.baseId)) {
            return Action.respond(404, errorBody("NOT_FOUND", "Could not find what you are looking for"));
        }
        if (q.table == null) {
            return Action.respond(404, errorBody("TABLE_NOT_FOUND",
                    "Could not find table " + q.tableName + " in base " + q.baseId));
        }
        if (!q.pageSizeValid) {
            return Action.respond(422, errorBody("INVALID_PAGE_SIZE",
                    "Invalid page size: " + q.pageSizeRaw + ". The page size must be between 1 and 100"));
        }
        Table t = q.table;
        int position = 0;
        Iteration iteration = null;
        if (q.offset != null) {
            if (q.ref == null) {
                return Action.respond(422, errorBody("INVALID_OFFSET_VALUE",
                        "The value of offset \"" + q.offset + "\" is invalid"));
            }
            if (q.ref.iteration.expired) {
                return Action.respond(422, iteratorNotAvailable());
            }
            position = q.ref.position;
            iteration = q.ref.iteration;
        }
        int end = Math.min(t.size(), position + q.pageSize);
        String next = null;
        if (end < t.size()) {
            if (iteration == null) {
                iteration = newIteration(t);
            }
            next = iteration.id + "/" + t.ids[end];
        }
        return Action.respond(200, t.body(position, end, next));
    }

    private static byte[] iteratorNotAvailable() {
        return errorBody("LIST_RECORDS_ITERATOR_NOT_AVAILABLE",
                "The iterator for this list request is no longer available. Restart the list request without offset.");
    }

    private OffsetRef resolveOffset(Table table, String offset) {
        int slash = offset.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        Iteration it = iterations.get(offset.substring(0, slash));
        if (it == null || !it.baseId.equals(table.baseId) || !it.tableName.equals(table.name)) {
            return null;
        }
        Integer position = table.index.get(offset.substring(slash + 1));
        return position == null ? null : new OffsetRef(it, position);
    }

    private Iteration newIteration(Table t) {
        while (true) {
            char[] id = new char[17];
            id[0] = 'i';
            id[1] = 't';
            id[2] = 'r';
            for (int i = 3; i < id.length; i++) {
                id[i] = ALNUM[random.nextInt(ALNUM.length)];
            }
            Iteration it = new Iteration(new String(id), t.baseId, t.name);
            if (iterations.putIfAbsent(it.id, it) == null) {
                return it;
            }
        }
    }

    private boolean rateLimited(String baseId) {
        RateLimit limit = rateLimit;
        if (limit == null) {
            return false;
        }
        BaseRate br = rates.computeIfAbsent(baseId, k -> new BaseRate());
        synchronized (br) {
            long now = System.nanoTime();
            if (br.inPenalty && now - br.penaltyUntil < 0) {
                return true;
            }
            br.inPenalty = false;
            while (!br.times.isEmpty() && now - br.times.peekFirst() >= WINDOW_NANOS) {
                br.times.pollFirst();
            }
            if (br.times.size() >= limit.requestsPerSecond) {
                br.inPenalty = true;
                br.penaltyUntil = now + limit.penaltyNanos;
                return true;
            }
            br.times.addLast(now);
            return false;
        }
    }

    private Fault pickFault(String baseId, String tableName, int page) {
        synchronized (faults) {
            for (Fault f : faults) {
                if (f.remaining == 0 || !f.matches(baseId, tableName, page)) {
                    continue;
                }
                if (f.skip > 0) {
                    f.skip--;
                    continue;
                }
                if (f.remaining > 0) {
                    f.remaining--;
                }
                f.fired.incrementAndGet();
                return f;
            }
        }
        return null;
    }

    // ================================================================ delivery

    /** Returns true if the connection stays open for the next request. */
    private boolean deliver(Action a, Conn c, boolean keepAlive) throws IOException {
        switch (a.mode) {
            case RESPOND:
                writeResponse(c, a, keepAlive);
                return keepAlive;
            case SLOW:
                if (awaitClosed(a.wait)) {
                    return false;
                }
                writeResponse(c, a, keepAlive);
                return keepAlive;
            case HOLD:
                hold(c);
                return false;
            case HEADERS_HANG:
                c.out.write(head(a, a.body.length, false));
                c.out.flush();
                hold(c);
                return false;
            case DRIP:
                c.out.write(head(a, a.body.length, !keepAlive));
                c.out.flush();
                for (byte b : a.body) {
                    if (awaitClosed(a.wait)) {
                        return false;
                    }
                    c.out.write(b);
                    c.out.flush();
                }
                return keepAlive;
            case TRUNCATED:
                c.out.write(head(a, a.body.length, false));
                c.out.write(a.body, 0, a.truncateAt);
                c.out.flush();
                c.socket.shutdownOutput();
                return false;
            case RESET:
                c.socket.setSoLinger(true, 0);
                c.socket.close();
                return false;
            default:
                throw new IllegalStateException(String.valueOf(a.mode));
        }
    }

    private static void writeResponse(Conn c, Action a, boolean keepAlive) throws IOException {
        c.out.write(head(a, a.body.length, !keepAlive));
        c.out.write(a.body);
        c.out.flush();
    }

    private static byte[] head(Action a, int contentLength, boolean connectionClose) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 ").append(a.status).append(' ').append(reason(a.status)).append("\r\n");
        sb.append("Content-Type: application/json; charset=utf-8\r\n");
        sb.append("Content-Length: ").append(contentLength).append("\r\n");
        if (a.retryAfter != null) {
            sb.append("Retry-After: ").append(a.retryAfter).append("\r\n");
        }
        if (connectionClose) {
            sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Holds the connection: returns when the client closes it or the double closes. */
    private void hold(Conn c) {
        try {
            c.socket.setSoTimeout(0);
            InputStream in = c.socket.getInputStream();
            byte[] sink = new byte[512];
            while (!closed && in.read(sink) >= 0) {
                // discard whatever the client sends
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Waits up to {@code d}; true if the double closed meanwhile. */
    private boolean awaitClosed(Duration d) {
        try {
            return closedLatch.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 413: return "Payload Too Large";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Status";
        }
    }

    // ================================================================ JSON

    static byte[] errorBody(String type, String message) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"error\":{\"type\":");
        Json.string(sb, type);
        sb.append(",\"message\":");
        Json.string(sb, message);
        sb.append("}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static final class Json {
        private Json() {
        }

        static boolean isEmptyField(Object v) {
            if (v == null || Boolean.FALSE.equals(v)) {
                return true;
            }
            if (v instanceof CharSequence) {
                return ((CharSequence) v).length() == 0;
            }
            if (v instanceof Collection) {
                return ((Collection<?>) v).isEmpty();
            }
            if (v instanceof Map) {
                return ((Map<?, ?>) v).isEmpty();
            }
            if (v.getClass().isArray()) {
                return java.lang.reflect.Array.getLength(v) == 0;
            }
            return false;
        }

        static void value(StringBuilder sb, Object v) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof CharSequence || v instanceof Character) {
                string(sb, v.toString());
            } else if (v instanceof Boolean) {
                sb.append(v);
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (Double.isFinite(d)) {
                    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                        sb.append((long) d);
                    } else {
                        sb.append(d);
                    }
                } else {
                    sb.append("null");
                }
            } else if (v instanceof Number) {
                sb.append(v);
            } else if (v instanceof Map) {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    value(sb, e.getValue());
                }
                sb.append('}');
            } else if (v instanceof Collection) {
                sb.append('[');
                boolean first = true;
                for (Object o : (Collection<?>) v) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    value(sb, o);
                }
                sb.append(']');
            } else if (v.getClass().isArray()) {
                sb.append('[');
                int n = java.lang.reflect.Array.getLength(v);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    value(sb, java.lang.reflect.Array.get(v, i));
                }
                sb.append(']');
            } else {
                string(sb, v.toString());
            }
        }

        static void string(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '"': sb.append("\\\""); break;
                    case '\\': sb.append("\\\\"); break;
                    case '\n': sb.append("\\n"); break;
                    case '\r': sb.append("\\r"); break;
                    case '\t': sb.append("\\t"); break;
                    case '\b': sb.append("\\b"); break;
                    case '\f': sb.append("\\f"); break;
                    default:
                        if (ch < 0x20) {
                            sb.append(String.format("\\u%04x", (int) ch));
                        } else {
                            sb.append(ch);
                        }
                }
            }
            sb.append('"');
        }
    }

    // ================================================================ internals

    private static final class Table {
        final String baseId;
        final String name;
        final String[] ids;
        final byte[][] json;
        final Map<String, Integer> index;
        final Map<Long, byte[]> pageCache = new ConcurrentHashMap<>();

        Table(String baseId, String name, List<? extends Map<String, ?>> records) {
            this.baseId = baseId;
            this.name = name;
            int n = records.size();
            this.ids = new String[n];
            this.json = new byte[n][];
            Map<String, Integer> idx = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                Map<String, ?> rec = records.get(i);
                Object id = rec.get("id");
                if (!(id instanceof String) || ((String) id).isEmpty()) {
                    throw new IllegalArgumentException("record " + i + " of " + name + " has no string id");
                }
                if (idx.put((String) id, i) != null) {
                    throw new IllegalArgumentException("duplicate record id " + id + " in " + name);
                }
                ids[i] = (String) id;
                Object created = rec.get("createdTime");
                String createdTime = created != null ? created.toString()
                        : CREATED_FORMAT.format(CREATED_BASE.plusSeconds(i));
                StringBuilder sb = new StringBuilder(256);
                sb.append("{\"id\":");
                Json.string(sb, (String) id);
                sb.append(",\"createdTime\":");
                Json.string(sb, createdTime);
                sb.append(",\"fields\":{");
                Object fields = rec.get("fields");
                if (fields instanceof Map) {
                    boolean first = true;
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) fields).entrySet()) {
                        if (Json.isEmptyField(e.getValue())) {
                            continue;
                        }
                        if (!first) {
                            sb.append(',');
                        }
                        first = false;
                        Json.string(sb, String.valueOf(e.getKey()));
                        sb.append(':');
                        Json.value(sb, e.getValue());
                    }
                } else if (fields != null) {
                    throw new IllegalArgumentException("fields of " + id + " is not a map");
                }
                sb.append("}}");
                json[i] = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            this.index = Map.copyOf(idx);
        }

        int size() {
            return ids.length;
        }

        byte[] body(int from, int to, String nextOffset) {
            byte[] records = pageCache.computeIfAbsent(((long) from << 32) | to, k -> join(from, to));
            byte[] tail;
            if (nextOffset == null) {
                tail = ascii("]}");
            } else {
                StringBuilder sb = new StringBuilder(48);
                sb.append("],\"offset\":");
                Json.string(sb, nextOffset);
                sb.append('}');
                tail = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            byte[] out = new byte[RECORDS_PREFIX.length + records.length + tail.length];
            System.arraycopy(RECORDS_PREFIX, 0, out, 0, RECORDS_PREFIX.length);
            System.arraycopy(records, 0, out, RECORDS_PREFIX.length, records.length);
            System.arraycopy(tail, 0, out, RECORDS_PREFIX.length + records.length, tail.length);
            return out;
        }

        private byte[] join(int from, int to) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(16, (to - from) * 200));
            for (int i = from; i < to; i++) {
                if (i > from) {
                    bos.write(',');
                }
                bos.write(json[i], 0, json[i].length);
            }
            return bos.toByteArray();
        }
    }

    private static final class Iteration {
        final String id;
        final String baseId;
        final String tableName;
        volatile boolean expired;

        Iteration(String id, String baseId, String tableName) {
            this.id = id;
            this.baseId = baseId;
            this.tableName = tableName;
        }
    }

    private record OffsetRef(Iteration iteration, int position) {
    }

    private record RateLimit(int requestsPerSecond, long penaltyNanos) {
    }

    private static final class BaseRate {
        final ArrayDeque<Long> times = new ArrayDeque<>();
        boolean inPenalty;
        long penaltyUntil;
    }

    private record RawRequest(String method, String target, String authorization, boolean keepAlive,
                              Instant arrival, long arrivalNanos) {
    }

    private record Request(String method, String baseId, String tableName, Table table, boolean pageSizeValid,
                           String pageSizeRaw, int pageSize, String offset, OffsetRef ref, boolean authValid) {
    }

    private enum Mode { RESPOND, SLOW, HOLD, HEADERS_HANG, DRIP, TRUNCATED, RESET }

    private static final class Action {
        Mode mode;
        int status;
        byte[] body;
        String retryAfter;
        Duration wait;
        int truncateAt;

        static Action of(Mode mode, int status, byte[] body) {
            Action a = new Action();
            a.mode = mode;
            a.status = status;
            a.body = body;
            return a;
        }

        static Action respond(int status, byte[] body) {
            return of(Mode.RESPOND, status, body);
        }

        Action mode(Mode m) {
            this.mode = m;
            return this;
        }
    }

    private static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** A connection with a small read buffer (no synchronisation per byte). */
    private static final class Conn {
        final Socket socket;
        final int id;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[8192];
        int pos;
        int lim;
        char[] line = new char[256];

        Conn(Socket socket, int id) throws IOException {
            this.socket = socket;
            this.id = id;
            this.in = socket.getInputStream();
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        int read() throws IOException {
            if (pos == lim) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    return -1;
                }
                pos = 0;
                lim = n;
            }
            return buf[pos++] & 0xff;
        }

        /** A line without CR/LF as ISO-8859-1; null on EOF before any byte. */
        String readLine() throws IOException {
            int len = 0;
            while (true) {
                int b = read();
                if (b < 0) {
                    if (len == 0) {
                        return null;
                    }
                    throw new SocketException("EOF inside a line");
                }
                if (b == '\n') {
                    if (len > 0 && line[len - 1] == '\r') {
                        len--;
                    }
                    return new String(line, 0, len);
                }
                if (len == line.length) {
                    if (len >= MAX_LINE) {
                        throw new BadRequest("Line too long");
                    }
                    line = Arrays.copyOf(line, len * 2);
                }
                line[len++] = (char) b;
            }
        }

        void skip(long n) throws IOException {
            while (n > 0) {
                if (read() < 0) {
                    throw new SocketException("EOF inside a body");
                }
                n--;
            }
        }
    }

    private static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bos.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
            } else if (ch == '+' && plusIsSpace) {
                bos.write(' ');
                i++;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bos.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return bos.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // ignore
        }
    }
}
