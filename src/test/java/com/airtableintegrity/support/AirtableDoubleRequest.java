package com.airtableintegrity.support;

import java.time.Instant;
import java.util.List;

/**
 * One request as seen by {@link AirtableDouble}, logged when the double decides the answer (before any delay or
 * hold), so a held request is already in the log.
 *
 * @param sequence     1-based order of logging
 * @param arrival      wall-clock arrival (request line read)
 * @param arrivalNanos {@link System#nanoTime()} at arrival
 * @param connectionId 1-based id of the TCP connection (same id = keep-alive reuse)
 * @param method       HTTP method
 * @param target       raw request target (path and query)
 * @param baseId       base id from {@code /v0/{baseId}/{table}} or {@code /v0/meta/bases/{baseId}/tables}, null for
 *                     other paths
 * @param table        decoded table name, null for other paths (the schema path included)
 * @param offset       decoded {@code offset} query parameter, null if absent
 * @param pageSize     {@code pageSize} query parameter, null if absent or not a number
 * @param page         1-based page the request maps to (1 without offset), 0 if unknown (bad offset, other path)
 * @param authPresent  an Authorization header was sent
 * @param authValid    it was exactly {@code Bearer <token>}
 * @param status       HTTP status answered (or whose headers were sent); 0 when no status line is sent
 *                     (never answer, reset)
 * @param fault        the fault that decided this request, null if answered normally
 * @param fields       decoded {@code fields[]} query parameters in order, null if none (all fields)
 * @param bodyBytes    length of the answer's body as decided (before any fault cuts it)
 */
public record AirtableDoubleRequest(
        long sequence,
        Instant arrival,
        long arrivalNanos,
        int connectionId,
        String method,
        String target,
        String baseId,
        String table,
        String offset,
        Integer pageSize,
        int page,
        boolean authPresent,
        boolean authValid,
        int status,
        Fault.Kind fault,
        List<String> fields,
        int bodyBytes) {

    /** A request for a base's schema ({@code GET /v0/meta/bases/{baseId}/tables}). */
    public boolean schema() {
        return baseId != null && table == null;
    }
}
