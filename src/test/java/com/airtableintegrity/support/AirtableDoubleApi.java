package com.airtableintegrity.support;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.airtableintegrity.support.AirtableDoubleAction.Mode;
import com.airtableintegrity.support.AirtableDoubleConn.RawRequest;

/**
 * The Airtable semantics of {@link AirtableDouble}: bases and tables, auth, rate limit, error answers, paging with
 * offsets and iterations, {@code fields[]} projection, the schema endpoint, and which {@link Fault} (if any) decides a
 * list request. Logs every request it decides.
 */
final class AirtableDoubleApi implements AirtableDoubleHttp.Handler {

    private static final char[] ALNUM =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final String token;
    private final String expectedAuth;
    private final AirtableDoubleFaults faults;
    private final AirtableDoubleRateLimit rateLimit;
    private final AirtableDoubleLog log;

    private final Map<String, Map<String, AirtableDoubleTable>> bases = new ConcurrentHashMap<>();
    private final Set<String> forbiddenBases = ConcurrentHashMap.newKeySet();
    private final Set<String> forbiddenSchemas = ConcurrentHashMap.newKeySet();
    private final Map<String, Iteration> iterations = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** Answer every list request with all fields, as if {@code fields[]} were absent (benchmark's baseline). */
    private volatile boolean ignoreFields;

    AirtableDoubleApi(String token, AirtableDoubleFaults faults, AirtableDoubleRateLimit rateLimit,
                      AirtableDoubleLog log) {
        this.token = token;
        this.expectedAuth = "Bearer " + token;
        this.faults = faults;
        this.rateLimit = rateLimit;
        this.log = log;
    }

    void addBase(String baseId) {
        bases.computeIfAbsent(baseId, k -> new ConcurrentHashMap<>());
    }

    void addTable(String baseId, String tableName, List<? extends Map<String, ?>> records) {
        AirtableDoubleTable t = new AirtableDoubleTable(baseId, tableName, records);
        addBase(baseId);
        bases.get(baseId).put(tableName, t);
    }

    void forbidBase(String baseId) {
        forbiddenBases.add(baseId);
    }

    void expireIterations() {
        for (Iteration it : iterations.values()) {
            it.expired = true;
        }
    }

    void ignoreFieldsParameter(boolean ignore) {
        ignoreFields = ignore;
    }

    void forbidSchema(String baseId) {
        forbiddenSchemas.add(baseId);
    }

    /** The table, which must exist. */
    AirtableDoubleTable table(String baseId, String tableName) {
        AirtableDoubleTable t = bases.getOrDefault(baseId, Map.of()).get(tableName);
        if (t == null) {
            throw new IllegalArgumentException("no table " + tableName + " in " + baseId);
        }
        return t;
    }

    @Override
    public AirtableDoubleAction handle(RawRequest r, int connectionId) {
        AirtableDoubleTarget target = AirtableDoubleTarget.parse(r.target());
        if (target.schemaBaseId != null) {
            return schemaRequest(r, connectionId, target);
        }
        String baseId = target.baseId;
        String offset = target.offset;
        AirtableDoubleTable table = null;
        if (baseId != null) {
            Map<String, AirtableDoubleTable> tables = bases.get(baseId);
            table = tables == null ? null : tables.get(target.tableName);
        }
        OffsetRef ref = offset == null || table == null ? null : resolveOffset(table, offset);
        int page;
        if (baseId == null) {
            page = 0;
        } else if (offset == null) {
            page = 1;
        } else {
            page = ref == null ? 0 : ref.position / target.effectivePageSize() + 1;
        }
        boolean authPresent = r.authorization() != null;
        boolean authValid = authPresent && authMatches(r.authorization());

        Fault fault = faults.pick(baseId, target.tableName, page);
        Request req = new Request(r.method(), target, table, ref, authValid);
        AirtableDoubleAction action = fault == null ? normal(req, true) : faulted(fault, req);
        log.add(new AirtableDoubleRequest(log.nextSequence(), r.arrival(), r.arrivalNanos(), connectionId,
                r.method(), r.target(), baseId, target.tableName, offset, target.pageSize, page,
                authPresent, authValid, action.status, fault == null ? null : fault.kind, target.fields,
                action.body.length));
        return action;
    }

    /** {@code GET /v0/meta/bases/{baseId}/tables}: the same auth, rate limit and base checks; no faults. */
    private AirtableDoubleAction schemaRequest(RawRequest r, int connectionId, AirtableDoubleTarget target) {
        String baseId = target.schemaBaseId;
        boolean authValid = r.authorization() != null && authMatches(r.authorization());
        AirtableDoubleAction action = checks(r.method(), baseId, authValid, true);
        if (action == null && forbiddenSchemas.contains(baseId)) {
            action = forbidden();
        }
        if (action == null) {
            action = AirtableDoubleAction.respond(200, AirtableDoubleSchema.json(bases.get(baseId).values()));
        }
        log.add(new AirtableDoubleRequest(log.nextSequence(), r.arrival(), r.arrivalNanos(), connectionId,
                r.method(), r.target(), baseId, null, null, null, 0, r.authorization() != null, authValid,
                action.status, null, null, action.body.length));
        return action;
    }

    private AirtableDoubleAction faulted(Fault fault, Request req) {
        AirtableDoubleAction action;
        switch (fault.kind) {
            case NEVER_ANSWER:
                return AirtableDoubleAction.of(Mode.HOLD, 0, AirtableDoubleAction.EMPTY);
            case RESET:
                return AirtableDoubleAction.of(Mode.RESET, 0, AirtableDoubleAction.EMPTY);
            case STATUS:
                action = AirtableDoubleAction.error(fault.status, fault.errorType, fault.errorMessage);
                action.retryAfter = fault.retryAfter;
                return action;
            case MALFORMED_JSON:
            case UNEXPECTED_SHAPE:
                return AirtableDoubleAction.respond(200, fault.rawBody);
            case EXPIRE_ITERATION:
                if (req.ref != null) {
                    req.ref.iteration.expired = true;
                }
                return iteratorNotAvailable();
            case SLOW:
                action = normal(req, false).mode(Mode.SLOW);
                action.wait = fault.duration;
                return action;
            case DRIP:
                action = normal(req, false).mode(Mode.DRIP);
                action.wait = fault.duration;
                return action;
            case HEADERS_THEN_HANG:
                return normal(req, false).mode(Mode.HEADERS_HANG);
            case TRUNCATED:
                action = normal(req, false).mode(Mode.TRUNCATED);
                int n = action.body.length;
                int cut = fault.truncateAt < 0 ? n / 2 : fault.truncateAt;
                action.truncateAt = Math.max(0, Math.min(cut, n - 1));
                return action;
            default:
                throw new IllegalStateException("unknown fault " + fault.kind);
        }
    }

    private boolean authMatches(String header) {
        return header.length() == expectedAuth.length()
                && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && header.regionMatches(7, expectedAuth, 7, token.length());
    }

    /** The checks every request passes in this order (route, auth, rate limit, base); null when all pass. */
    private AirtableDoubleAction checks(String method, String baseId, boolean authValid, boolean applyRateLimit) {
        if (baseId == null || !"GET".equals(method)) {
            return AirtableDoubleAction.respond(404, AirtableDoubleJson.ascii("{\"error\":\"NOT_FOUND\"}"));
        }
        if (!authValid) {
            return AirtableDoubleAction.error(401, "AUTHENTICATION_REQUIRED", "Authentication required");
        }
        if (applyRateLimit && rateLimit.limited(baseId)) {
            AirtableDoubleAction a = AirtableDoubleAction.error(429,
                    "RATE_LIMIT_REACHED", "Rate limit exceeded. Please try again later");
            a.retryAfter = rateLimit.retryAfter();
            return a;
        }
        if (forbiddenBases.contains(baseId)) {
            return forbidden();
        }
        if (!bases.containsKey(baseId)) {
            return AirtableDoubleAction.error(404, "NOT_FOUND", "Could not find what you are looking for");
        }
        return null;
    }

    private static AirtableDoubleAction forbidden() {
        return AirtableDoubleAction.error(403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
                "Invalid permissions, or the requested model was not found. Check that both your user and your "
                        + "token have the required permissions, and that the model names and/or ids are correct.");
    }

    private AirtableDoubleAction normal(Request q, boolean applyRateLimit) {
        AirtableDoubleAction refused = checks(q.method, q.target.baseId, q.authValid, applyRateLimit);
        if (refused != null) {
            return refused;
        }
        String baseId = q.target.baseId;
        if (q.table == null) {
            return AirtableDoubleAction.error(404, "TABLE_NOT_FOUND",
                    "Could not find table " + q.target.tableName + " in base " + baseId);
        }
        if (!q.target.pageSizeValid()) {
            return AirtableDoubleAction.error(422, "INVALID_PAGE_SIZE",
                    "Invalid page size: " + q.target.pageSizeRaw + ". The page size must be between 1 and 100");
        }
        AirtableDoubleTable t = q.table;
        List<String> fields = ignoreFields ? null : q.target.fields;
        String unknown = fields == null ? null : t.firstUnknown(fields);
        if (unknown != null) {
            return AirtableDoubleAction.error(422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"" + unknown + "\"");
        }
        int position = 0;
        Iteration iteration = null;
        if (q.target.offset != null) {
            if (q.ref == null) {
                return AirtableDoubleAction.error(422, "INVALID_OFFSET_VALUE",
                        "The value of offset \"" + q.target.offset + "\" is invalid");
            }
            if (q.ref.iteration.expired) {
                return iteratorNotAvailable();
            }
            position = q.ref.position;
            iteration = q.ref.iteration;
        }
        int end = Math.min(t.size(), position + q.target.effectivePageSize());
        String next = null;
        if (end < t.size()) {
            if (iteration == null) {
                iteration = newIteration(t);
            }
            next = iteration.id + "/" + t.ids[end];
        }
        return AirtableDoubleAction.respond(200, t.body(position, end, next, fields));
    }

    private static AirtableDoubleAction iteratorNotAvailable() {
        return AirtableDoubleAction.error(422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE",
                "The iterator for this list request is no longer available. Restart the list request without offset.");
    }

    private OffsetRef resolveOffset(AirtableDoubleTable table, String offset) {
        int slash = offset.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        Iteration it = iterations.get(offset.substring(0, slash));
        if (it == null || !it.baseId.equals(table.baseId) || !it.tableName.equals(table.name)) {
            return null;
        }
        Integer position = table.positionOf(offset.substring(slash + 1));
        return position == null ? null : new OffsetRef(it, position);
    }

    private Iteration newIteration(AirtableDoubleTable t) {
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

    /** One scan of a table: its offsets share the id; expiring it invalidates them all. */
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

    private record Request(String method, AirtableDoubleTarget target, AirtableDoubleTable table, OffsetRef ref,
                           boolean authValid) {
    }
}
