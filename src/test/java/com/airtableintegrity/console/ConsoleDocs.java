package com.airtableintegrity.console;

import static com.airtableintegrity.store.RunCollection.toTimestamp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/** Run and issue documents as the runner writes them, and what the console's HTML shows of them. */
final class ConsoleDocs {
    static final String BASE_A = "appCONSOLEBASE0A1";
    static final String BASE_B = "appCONSOLEBASE0B2";
    private static final Pattern ROW_ID = Pattern.compile("<tr class=\"run\" data-run-id=\"([^\"]+)\"");
    private static final Pattern ISSUE_SEQ = Pattern.compile("<tr class=\"issue\" data-issue-id=\"[^\"]+\" "
            + "data-seq=\"(\\d+)\"");
    private static final Pattern ISSUE_STATE = Pattern.compile("<td class=\"issue-state\">([^<]*)</td>");
    private static final Pattern OPEN_FOR = Pattern.compile("<td class=\"open-for\"[^>]*>([^<]*)</td>");

    private ConsoleDocs() {
    }

    /** A run of this status; a terminal one with its end, duration, counts and results. */
    static Map<String, Object> run(String status, String baseId, Instant startedAt) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", status);
        doc.put("started_at", toTimestamp(startedAt));
        doc.put("heartbeat_at", toTimestamp(startedAt.plusSeconds(15)));
        doc.put("trigger", "schedule");
        doc.put("base_id", baseId);
        doc.put("tables", List.of("Customers", "Orders"));
        doc.put("runner_id", "console-test-writer");
        doc.put("max_duration_seconds", 1800L);
        doc.put("cancel_requested", false);
        if (!"running".equals(status)) {
            doc.put("ended_at", toTimestamp(startedAt.plusSeconds(42)));
            doc.put("duration_ms", 42_000L);
            doc.put("records_scanned", 1500L);
            doc.put("issues_found", 0L);
            doc.put("issues_stored", 0L);
            doc.put("counters", Map.of("requests", 17L, "retries", 0L, "rate_limited_429", 0L));
        }
        return doc;
    }

    /** {@code n} issue documents, seq 0 to n - 1. */
    static List<Map<String, Object>> issues(int n) {
        return IntStream.range(0, n).mapToObj(i -> {
            Map<String, Object> issue = new LinkedHashMap<>();
            issue.put("table", "Customers");
            issue.put("record_id", String.format("rec%014d", i));
            issue.put("field", "Email");
            issue.put("rule", "unique:Email");
            issue.put("value", "dup" + i + "@example.com");
            issue.put("message", "value shared with another record");
            issue.put("seq", (long) i);
            return issue;
        }).toList();
    }

    /**
     * A terminal run compared with run {@code baselineRunId} (null: with none, {@code none_because} says why), with
     * these exact counts of new, persisting, resolved and first-run issues (found: the sum of all but resolved).
     */
    static Map<String, Object> comparedRun(Instant startedAt, String baselineRunId, long fresh, long persisting,
                                           long resolved, long firstRun) {
        Map<String, Object> doc = run(fresh + persisting + firstRun > 0 ? "warning" : "success", BASE_A, startedAt);
        doc.put("issues_found", fresh + persisting + firstRun);
        doc.put("issues_stored", fresh + persisting + firstRun);
        doc.put("issues_new", fresh);
        doc.put("issues_persisting", persisting);
        doc.put("issues_resolved", resolved);
        doc.put("issues_first_run", firstRun);
        doc.put("issues_resolved_stored", resolved);
        doc.put("baseline_run_id", baselineRunId);
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("run_id", baselineRunId);
        if (baselineRunId == null) {
            baseline.put("none_because", "no earlier success or warning run of this schedule and base");
        }
        doc.put("baseline", baseline);
        doc.put("tables_not_compared", List.of());
        return doc;
    }

    /**
     * Stored issues as {@link #issues} makes them, with the run-to-run diff's fields: issue i has state
     * {@code states.get(i)} and was first seen {@code openFor.get(i)} before {@code runStart}.
     */
    static List<Map<String, Object>> issuesInStates(Instant runStart, List<String> states, List<Duration> openFor) {
        List<Map<String, Object>> issues = new ArrayList<>();
        for (Map<String, Object> issue : issues(states.size())) {
            Map<String, Object> stated = new LinkedHashMap<>(issue);
            int i = issues.size();
            stated.put("state", states.get(i));
            stated.put("first_seen_at", toTimestamp(runStart.minus(openFor.get(i))));
            stated.put("first_seen_run_id", "firstSeenIn" + i);
            issues.add(stated);
        }
        return issues;
    }

    /** {@code n} resolved issue documents as the runner stores them, seq 0 to n - 1, first seen a day before. */
    static List<Map<String, Object>> resolved(Instant runStart, int n) {
        return IntStream.range(0, n).mapToObj(i -> {
            Map<String, Object> issue = new LinkedHashMap<>();
            issue.put("table", "Orders");
            issue.put("record_id", String.format("recR%013d", i));
            issue.put("field", "Customer");
            issue.put("rule", "required:Customer");
            issue.put("state", "resolved");
            issue.put("first_seen_at", toTimestamp(runStart.minus(Duration.ofDays(1))));
            issue.put("first_seen_run_id", "olderRun");
            issue.put("seq", (long) i);
            return issue;
        }).toList();
    }

    /** The State cells of the issue rows, in page order. */
    static List<String> issueStates(String html) {
        return all(ISSUE_STATE, html);
    }

    /** The "Open for" cells of the issue rows, in page order. */
    static List<String> openFor(String html) {
        return all(OPEN_FOR, html);
    }

    /** The run ids of the runs table's rows, in page order. */
    static List<String> rowIds(String html) {
        return all(ROW_ID, section(html, "id=\"runs-body\"", "</tbody>"));
    }

    /** The seqs of the issue rows, in page order. */
    static List<Long> issueSeqs(String html) {
        return all(ISSUE_SEQ, html).stream().map(Long::valueOf).toList();
    }

    /** The whole row of one run. */
    static String row(String html, String runId) {
        return section(html, "<tr class=\"run\" data-run-id=\"" + runId + "\"", "</tr>");
    }

    /** The href of the link with this id, unescaped, or null when the page has none. */
    static String href(String html, String id) {
        Matcher m = Pattern.compile("href=\"([^\"]*)\" id=\"" + id + "\"").matcher(html);
        return m.find() ? m.group(1).replace("&amp;", "&") : null;
    }

    /** From {@code start} (included) to the first {@code end} after it (included). */
    static String section(String html, String start, String end) {
        int from = html.indexOf(start);
        if (from < 0) {
            throw new AssertionError("No '" + start + "' in the page:\n" + html);
        }
        int to = html.indexOf(end, from);
        return html.substring(from, to < 0 ? html.length() : to + end.length());
    }

    private static List<String> all(Pattern p, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
