package com.airtableintegrity.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.airtableintegrity.jmx.IntegrityRunnerControl;
import com.airtableintegrity.store.RunStore;
import com.google.cloud.Timestamp;

/**
 * The steps behind the REST API (routes/rest/runs-api.camel.yaml): each sets the HTTP status and a JSON-ready body.
 * Firestore timestamps are rendered as ISO-8601 strings.
 */
public final class RunsApi {
    private static final int MAX_LIMIT = 200;

    private final RunStore store;
    private final IntegrityRunnerControl control;

    public RunsApi(RunStore store, IntegrityRunnerControl control) {
        this.store = store;
        this.control = control;
    }

    /** {@code GET /api/runs/{runId}}: the run document, or 404. */
    public void get(Exchange exchange) {
        String runId = exchange.getMessage().getHeader("runId", String.class);
        Map<String, Object> doc = store.read(runId);
        if (doc == null) {
            answer(exchange, 404, Map.of("error", "No run with id '" + runId + "'"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", runId);
        body.putAll(doc);
        answer(exchange, 200, body);
    }

    /** {@code GET /api/runs?limit=N}: the newest runs first (default 20, at most 200). */
    public void list(Exchange exchange) {
        String limitText = exchange.getMessage().getHeader("limit", "20", String.class);
        int limit;
        try {
            limit = Integer.parseInt(limitText.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            answer(exchange, 400, Map.of("error", "Query parameter 'limit' must be a whole number from 1 to "
                    + MAX_LIMIT + ", was '" + limitText + "'"));
            return;
        }
        answer(exchange, 200, Map.of("runs", store.latestRuns(limit)));
    }

    /** {@code POST /api/runs}: starts a manual run in the background (skipped if a live run holds the base). */
    public void start(Exchange exchange) {
        control.runNow();
        answer(exchange, 202, Map.of("result", "manual run requested"));
    }

    /**
     * {@code POST /api/runs/{runId}/cancel}: sets {@code cancel_requested} on the run document, which the runner of
     * that run (in any process) obeys within one page. 404 for an unknown run, 409 for a run that is not running.
     */
    public void cancel(Exchange exchange) {
        String runId = exchange.getMessage().getHeader("runId", String.class);
        Map<String, Object> doc = store.read(runId);
        if (doc == null) {
            answer(exchange, 404, Map.of("error", "No run with id '" + runId + "'"));
        } else if (!"running".equals(doc.get("status"))) {
            answer(exchange, 409, Map.of("error", "Run '" + runId + "' is not running (status '" + doc.get("status") + "')"));
        } else {
            store.requestCancel(runId);
            answer(exchange, 202, Map.of("result", "cancel requested", "id", runId));
        }
    }

    private static void answer(Exchange exchange, int status, Map<String, Object> body) {
        Message m = exchange.getMessage();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(json(body));
    }

    /** Copies the value with Firestore timestamps turned into ISO-8601 strings. */
    @SuppressWarnings("unchecked")
    static Object json(Object value) {
        if (value instanceof Timestamp t) {
            return t.toDate().toInstant().toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, json(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RunsApi::json).toList();
        }
        return value;
    }
}
