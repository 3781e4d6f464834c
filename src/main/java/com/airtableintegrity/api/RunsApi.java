package com.airtableintegrity.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

import com.airtableintegrity.diff.RunDiff;
import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.run.RunHistory;
import com.airtableintegrity.store.RunFields;
import com.airtableintegrity.store.RunIds;
import com.airtableintegrity.store.RunPages;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.store.RunTransactions;

/**
 * The bean methods behind the REST verbs (routes/rest/runs-api.camel.yaml). Each returns plain data, which the REST
 * binding writes as JSON (Firestore timestamps through {@link FirestoreJson}), and sets only a status other than
 * 200; a refusal is thrown as an {@link ApiRefusal}. Run ids are checked with {@link RunIds} before they reach
 * Firestore, and parameters come from the query string only: an unknown or repeated one is a 400 naming it. The
 * operator console calls the same public methods ({@link #listing}, {@link #issueListing}, {@link #requestCancel}).
 */
public final class RunsApi {
    /** The statuses a run can have, in the order the status filter lists them. */
    public static final List<String> STATUSES = List.of(RunFields.STATUS_RUNNING, RunFields.STATUS_SUCCESS,
            RunFields.STATUS_WARNING, RunFields.STATUS_ERROR, RunFields.STATUS_TIMEOUT, RunFields.STATUS_CANCELLED);
    public static final int MAX_LIMIT = 200;
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_ISSUE_LIMIT = 500;
    public static final int DEFAULT_ISSUE_LIMIT = 100;
    private static final int MAX_BASES = 500;
    private static final List<String> LIST_PARAMETERS = List.of("limit", "status", "base", "before");
    private static final List<String> ISSUE_PARAMETERS = List.of("limit", "after", "state");
    private static final List<String> RESOLVED_PARAMETERS = List.of("limit", "after");
    /** The states a stored issue can have (see {@code RunDiff}); {@code ?state=} filters on them. */
    public static final List<String> ISSUE_STATES = List.of(RunDiff.NEW, RunDiff.PERSISTING, RunDiff.FIRST_RUN);

    /**
     * One page of runs, newest first, under the filters it was asked with ({@code status}, {@code base}: null for
     * all); {@code next} is the {@code before} of the next page, or null on the last page. {@code bases} are the
     * lock documents (see {@link RunReads#bases}).
     */
    public record Listing(List<Map<String, Object>> runs, String next, List<Map<String, Object>> bases,
                          String status, String base, String before, int limit) {
    }

    /** A run document (with its id) and a page of its stored issues; {@code next} is the next page's {@code after}. */
    public record IssueListing(String runId, Map<String, Object> run, List<Map<String, Object>> issues, String next,
                               Long after, int limit, String state) {
    }

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
     * {@code GET /api/runs?limit=N&status=S&base=B&before=C}: the newest runs first (default 20, at most 200), only
     * of status S and base B when given, starting after cursor C (the {@code next} of the previous page, null on the
     * last page); and under {@code bases} each base's skipped firings (a firing finding its base busy starts no run,
     * so it is counted there).
     */
    public Map<String, Object> list(@Header(Exchange.HTTP_QUERY) String query) {
        Listing listing = listing(query, DEFAULT_LIMIT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", listing.runs());
        body.put("next", listing.next());
        body.put("bases", listing.bases());
        return body;
    }

    /** The page of runs a query string asks for ({@code limit}, {@code status}, {@code base}, {@code before}). */
    public Listing listing(String query, int defaultLimit) {
        Map<String, String> params = QueryString.only(query, LIST_PARAMETERS);
        int limit = QueryString.limit(params, defaultLimit, MAX_LIMIT);
        String status = present(params, "status");
        if (status != null && !STATUSES.contains(status)) {
            throw new ApiRefusal(400, "Query parameter 'status' must be one of " + String.join(", ", STATUSES)
                    + "; was '" + status + "'");
        }
        String base = present(params, "base");
        if (base != null && !RunIds.isValid(base)) {
            throw new ApiRefusal(400, "Query parameter 'base' must be a base id (1 to 128 letters, digits, '-' or "
                    + "'_', e.g. appXXXXXXXXXXXXXX); was '" + base + "'");
        }
        RunPages.Cursor before = cursor(present(params, "before"));
        RunPages.RunPage page = store.pages().runs(status, base, before, limit);
        return new Listing(page.runs(), page.next() == null ? null : page.next().encode(), store.bases(MAX_BASES),
                status, base, before == null ? null : before.encode(), limit);
    }

    /**
     * {@code GET /api/runs/{runId}/issues?limit=N&after=S&state=X}: the run's stored issues in {@code seq} order
     * (default 100, at most 500), after seq S (the {@code next} of the previous page), only those of state X
     * ({@code new}, {@code persisting}, {@code first_run}) if given, with the run's exact counts beside them:
     * {@code issues_found}, {@code issues_stored}, the diff's counts and, per table, {@code issues_by_rule}.
     */
    public Map<String, Object> issues(@Header("runId") String runIdParam, @Header(Exchange.HTTP_QUERY) String query) {
        IssueListing listing = issueListing(runIdParam, query, DEFAULT_ISSUE_LIMIT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", listing.runId());
        body.put("state", listing.state());
        for (String count : List.of("issues_found", "issues_stored", "issues_new", "issues_persisting",
                "issues_first_run", "baseline_run_id")) {
            body.put(count, listing.run().get(count));
        }
        body.put("issues_by_rule", issuesByRule(listing.run()));
        body.put("issues", listing.issues());
        body.put("next", listing.next());
        return body;
    }

    /**
     * {@code GET /api/runs/{runId}/resolved?limit=N&after=S}: the baseline's issues this run no longer found, stored
     * (capped like the issues) in {@code seq} order, with the exact {@code issues_resolved} beside them.
     */
    public Map<String, Object> resolved(@Header("runId") String runIdParam,
                                        @Header(Exchange.HTTP_QUERY) String query) {
        IssueListing listing = resolvedListing(runIdParam, query, DEFAULT_ISSUE_LIMIT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", listing.runId());
        body.put("baseline_run_id", listing.run().get("baseline_run_id"));
        body.put("issues_resolved", listing.run().get("issues_resolved"));
        body.put("issues_resolved_stored", listing.run().get("issues_resolved_stored"));
        body.put("resolved", listing.issues());
        body.put("next", listing.next());
        return body;
    }

    /** The run (404 if none) and the page of its issues a query string asks for ({@code limit}, {@code after}). */
    public IssueListing issueListing(String runIdParam, String query, int defaultLimit) {
        Map<String, String> params = QueryString.only(query, ISSUE_PARAMETERS);
        String state = present(params, "state");
        if (state != null && !ISSUE_STATES.contains(state)) {
            throw new ApiRefusal(400, "Query parameter 'state' must be one of " + String.join(", ", ISSUE_STATES)
                    + " (resolved issues are at /api/runs/{runId}/resolved)");
        }
        return listing(runIdParam, params, defaultLimit, RunFields.ISSUES_SUBCOLLECTION, state);
    }

    /** The run (404 if none) and the page of its resolved issues a query string asks for. */
    public IssueListing resolvedListing(String runIdParam, String query, int defaultLimit) {
        return listing(runIdParam, QueryString.only(query, RESOLVED_PARAMETERS), defaultLimit,
                RunHistory.RESOLVED_SUBCOLLECTION, null);
    }

    private IssueListing listing(String runIdParam, Map<String, String> params, int defaultLimit,
                                 String subcollection, String state) {
        String runId = validRunId(runIdParam);
        int limit = QueryString.limit(params, defaultLimit, MAX_ISSUE_LIMIT);
        Long after = seq(present(params, "after"));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", runId);
        run.putAll(existingRun(runId));
        RunPages.IssuePage page = store.pages().issues(runId, subcollection, state, after, limit);
        return new IssueListing(runId, run, page.issues(),
                page.nextAfter() == null ? null : String.valueOf(page.nextAfter()), after, limit, state);
    }

    /** Per table of the run document's {@code table_results}, its issue count by rule (tables by name). */
    public static Map<String, Object> issuesByRule(Map<String, Object> run) {
        Map<String, Object> byTable = new TreeMap<>();
        if (run.get("table_results") instanceof Map<?, ?> tables) {
            tables.forEach((table, result) -> {
                if (result instanceof Map<?, ?> r && r.get("issues_by_rule") instanceof Map<?, ?> rules) {
                    byTable.put(String.valueOf(table), rules);
                }
            });
        }
        return byTable;
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
        Map<String, String> body = requestCancel(runIdParam);
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return body;
    }

    /** The cancellation of {@link #cancel}, for any caller: refused (400, 404, 409) by an {@link ApiRefusal}. */
    public Map<String, String> requestCancel(String runIdParam) {
        String runId = validRunId(runIdParam);
        Object status = existingRun(runId).get("status");
        if (!"running".equals(status)) {
            throw new ApiRefusal(409, "Run '" + runId + "' is not running (status '" + status + "')");
        }
        runs.requestCancel(runId);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("result", "cancel requested");
        body.put("id", runId);
        return body;
    }

    /** A parameter's value, or null when it is absent or empty (an HTML form sends {@code status=} for "all"). */
    private static String present(Map<String, String> params, String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static RunPages.Cursor cursor(String text) {
        if (text == null) {
            return null;
        }
        try {
            return RunPages.Cursor.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiRefusal(400, "Query parameter 'before' must be the 'next' cursor of a previous page "
                    + "(<microseconds>-<run id>), was '" + text + "'");
        }
    }

    private static Long seq(String text) {
        if (text == null) {
            return null;
        }
        try {
            long seq = Long.parseLong(text);
            if (seq >= 0 && text.matches("\\d+")) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ApiRefusal(400, "Query parameter 'after' must be the 'next' value of a previous page (an issue's "
                + "seq, a whole number from 0), was '" + text + "'");
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
