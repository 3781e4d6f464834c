package com.airtableintegrity.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.store.RunIds;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.store.RunTransactions;

/**
 * The bean methods behind the REST verbs (routes/rest/runs-api.camel.yaml). Each returns plain data, which the REST
 * binding writes as JSON (Firestore timestamps through {@link FirestoreJson}), and sets only a status other than
 * 200; a refusal is thrown as an {@link ApiRefusal}. Run ids are checked with {@link RunIds} before they reach
 * Firestore, and parameters come from the query string only.
 */
public final class RunsApi {
    private static final int MAX_LIMIT = 200;
    private static final String DEFAULT_LIMIT = "20";
    private static final int MAX_BASES = 500;

    private final RunReads store;
    private final RunTransactions runs;
    private final ManualRuns manualRuns;

    public RunsApi(RunReads store, RunTransactions runs, ManualRuns manualRuns) {
        this.store = store;
        this.runs = runs;
        this.manualRuns = manualRuns;
    }

    /** {@code GET /api/runs/{runId}}: the run document, 404 if there is none, 400 for an invalid id. */
    public Map<String, Object> get(@Header("runId") String runIdParam) {
        String runId = validRunId(runIdParam);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", runId);
        body.putAll(existingRun(runId));
        return body;
    }

    /**
     * {@code GET /api/runs?limit=N}: the newest runs first (default 20, at most 200), and under {@code bases} each
     * base's skipped firings (a firing finding its base busy starts no run, so it is counted there).
     */
    public Map<String, List<Map<String, Object>>> list(@Header(Exchange.HTTP_QUERY) String query) {
        String limitText = QueryString.first(query, "limit").orElse(DEFAULT_LIMIT);
        int limit;
        try {
            limit = Integer.parseInt(limitText.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiRefusal(400, "Query parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT
                    + ", was '" + limitText + "'");
        }
        Map<String, List<Map<String, Object>>> body = new LinkedHashMap<>();
        body.put("runs", store.latestRuns(limit));
        body.put("bases", store.bases(MAX_BASES));
        return body;
    }

    /**
     * {@code POST /api/runs}: 202 when a manual run was handed to the worker, 409 while a run of the base is live or
     * queued in this process, 429 (with Retry-After) when start requests come too often. No Firestore call.
     */
    public Map<String, String> start(Message answer) {
        ManualRuns.Result result = manualRuns.request();
        ApiRefusal.unlessAccepted(result);
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return Map.of("result", result.message());
    }

    /**
     * {@code POST /api/runs/{runId}/cancel}: sets {@code cancel_requested} on the run document, which the runner of
     * that run (in any process) obeys within one page. 404 for an unknown run, 409 for a run that is not running.
     */
    public Map<String, String> cancel(@Header("runId") String runIdParam, Message answer) {
        String runId = validRunId(runIdParam);
        Object status = existingRun(runId).get("status");
        if (!"running".equals(status)) {
            throw new ApiRefusal(409, "Run '" + runId + "' is not running (status '" + status + "')");
        }
        runs.requestCancel(runId);
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("result", "cancel requested");
        body.put("id", runId);
        return body;
    }

    private static String validRunId(String runId) {
        try {
            return RunIds.require(runId);
        } catch (IllegalArgumentException e) {
            throw new ApiRefusal(400, e.getMessage());
        }
    }

    private Map<String, Object> existingRun(String runId) {
        Map<String, Object> doc = store.read(runId);
        if (doc == null) {
            throw new ApiRefusal(404, "No run with id '" + runId + "'");
        }
        return doc;
    }
}
