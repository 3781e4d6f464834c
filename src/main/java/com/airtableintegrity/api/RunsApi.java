package com.airtableintegrity.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;

import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.store.RunIds;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.store.RunTransactions;
import com.google.cloud.Timestamp;

/**
 * The steps behind the REST API (routes/rest/runs-api.camel.yaml): each sets the HTTP status and a JSON-ready body;
 * refusals are {@link ApiError}s. Run ids are checked with {@link RunIds} before they reach Firestore, parameters
 * come from the query string only, and Firestore timestamps are rendered as ISO-8601 strings.
 */
public final class RunsApi {
    private static final int MAX_LIMIT = 200;
    private static final String DEFAULT_LIMIT = "20";

    private final RunReads store;
    private final RunTransactions runs;
    private final ManualRuns manualRuns;

    public RunsApi(RunReads store, RunTransactions runs, ManualRuns manualRuns) {
        this.store = store;
        this.runs = runs;
        this.manualRuns = manualRuns;
    }

    /** {@code GET /api/runs/{runId}}: the run document, 404 if there is none, 400 for an invalid id. */
    public void get(Exchange exchange) {
        Optional<String> runId = validRunId(exchange);
        if (runId.isEmpty()) {
            return;
        }
        Map<String, Object> doc = store.read(runId.get());
        if (doc == null) {
            Answers.error(exchange, 404, "No run with id '" + runId.get() + "'", null);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", runId.get());
        body.putAll(doc);
        Answers.json(exchange, 200, json(body));
    }

    /** {@code GET /api/runs?limit=N}: the newest runs first (default 20, at most 200). */
    public void list(Exchange exchange) {
        String limitText = QueryString.first(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class), "limit")
                .orElse(DEFAULT_LIMIT);
        int limit;
        try {
            limit = Integer.parseInt(limitText.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            Answers.error(exchange, 400, "Query parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT
                    + ", was '" + limitText + "'", null);
            return;
        }
        Answers.json(exchange, 200, Map.of("runs", json(store.latestRuns(limit))));
    }

    /**
     * {@code POST /api/runs}: 202 when a manual run was handed to the worker, 409 while a run of the base is live or
     * queued in this process, 429 (with Retry-After) when start requests come too often. No Firestore call.
     */
    public void start(Exchange exchange) {
        ManualRuns.Result result = manualRuns.request();
        if (result instanceof ManualRuns.Accepted) {
            Answers.json(exchange, 202, Map.of("result", result.message()));
        } else if (result instanceof ManualRuns.RateLimited limited) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(limited.retryAfterSeconds()));
            Answers.error(exchange, 429, result.message(), null);
        } else {
            Answers.error(exchange, 409, result.message(), null);
        }
    }

    /**
     * {@code POST /api/runs/{runId}/cancel}: sets {@code cancel_requested} on the run document, which the runner of
     * that run (in any process) obeys within one page. 404 for an unknown run, 409 for a run that is not running.
     */
    public void cancel(Exchange exchange) {
        Optional<String> runId = validRunId(exchange);
        if (runId.isEmpty()) {
            return;
        }
        Map<String, Object> doc = store.read(runId.get());
        if (doc == null) {
            Answers.error(exchange, 404, "No run with id '" + runId.get() + "'", null);
        } else if (!"running".equals(doc.get("status"))) {
            Answers.error(exchange, 409, "Run '" + runId.get() + "' is not running (status '" + doc.get("status") + "')", null);
        } else {
            runs.requestCancel(runId.get());
            Answers.json(exchange, 202, Map.of("result", "cancel requested", "id", runId.get()));
        }
    }

    /** The path's run id if it has the form of one; else the 400 answer is set and empty is returned. */
    private static Optional<String> validRunId(Exchange exchange) {
        String runId = exchange.getMessage().getHeader("runId", String.class);
        try {
            return Optional.of(RunIds.require(runId));
        } catch (IllegalArgumentException e) {
            Answers.error(exchange, 400, e.getMessage(), null);
            return Optional.empty();
        }
    }

    /** Copies the value with Firestore timestamps turned into ISO-8601 strings. */
    static Object json(Object value) {
        if (value instanceof Timestamp t) {
            return t.toDate().toInstant().toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), json(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RunsApi::json).toList();
        }
        return value;
    }
}
