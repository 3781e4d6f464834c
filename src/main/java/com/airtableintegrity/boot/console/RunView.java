package com.airtableintegrity.boot.console;

import static com.airtableintegrity.store.RunFields.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.airtableintegrity.store.RunCollection;
import com.google.cloud.Timestamp;

/**
 * A run document as the console's templates read it: every value ready to print (see {@link Display}). The fields
 * are those of the run document contract (shared/notes/run-document.md, and the run statuses and run document in
 * docs/run-document.md).
 */
public final class RunView {
    /**
     * One row of the per-table results; {@code issuesNew} and {@code issuesResolved} are empty for a run without a
     * diff.
     */
    public record TableRow(String table, boolean finished, String records, String pages, String restarts,
                           String issues, List<String> issuesByRule, String issuesNew, String issuesResolved,
                           String error) {
    }

    /** One counter of the run ({@code counters.requests}, ...). */
    public record Counter(String name, String value) {
    }

    /** One notice the run owes ({@code notices[]}): its channel and event, where its delivery stands, why it failed. */
    public record NoticeRow(String channel, String event, String state, String attempts, Display.Time delivered,
                            String lastError) {
    }

    /** One rule that no longer fits the base ({@code schema_drift[]}): its table, rule and the change. */
    public record DriftRow(String table, String rule, String change) {
        /** The rows of a run document's {@code schema_drift}; empty when it has none. */
        static List<DriftRow> of(Map<String, Object> doc) {
            List<DriftRow> rows = new ArrayList<>();
            if (doc.get("schema_drift") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> d) {
                        rows.add(new DriftRow(Display.text(d.get("table")), Display.text(d.get("rule")),
                                Display.text(d.get("change"))));
                    }
                }
            }
            return rows;
        }
    }

    private final Map<String, Object> doc;
    private final Instant now;
    private final RunDiffView diff;

    RunView(Map<String, Object> doc, Instant now) {
        this.doc = doc;
        this.now = now;
        this.diff = RunDiffView.of(doc);
    }

    public String getId() {
        return Display.text(doc.get("id"));
    }

    public String getStatus() {
        return Display.text(doc.get(STATUS));
    }

    public String getStatusLabel() {
        return Display.statusLabel(getStatus());
    }

    public String getStatusClass() {
        return Display.statusClass(getStatus());
    }

    public boolean isRunning() {
        return STATUS_RUNNING.equals(getStatus());
    }

    public boolean isTerminal() {
        return TERMINAL_STATUSES.contains(getStatus());
    }

    public boolean isCancelRequested() {
        return Boolean.TRUE.equals(doc.get(CANCEL_REQUESTED));
    }

    public String getBaseId() {
        return Display.text(doc.get(BASE_ID));
    }

    public String getScheduleId() {
        return Display.text(doc.get(SCHEDULE_ID));
    }

    public String getTrigger() {
        return Display.text(doc.get(TRIGGER));
    }

    public String getRunnerId() {
        return Display.text(doc.get(RUNNER_ID));
    }

    public Display.Time getStarted() {
        return Display.time(doc.get(STARTED_AT));
    }

    /** When the run started, or null for a document without {@code started_at}. */
    Instant startedAt() {
        return Display.instant(doc.get(STARTED_AT));
    }

    public Display.Time getEnded() {
        return Display.time(doc.get(ENDED_AT));
    }

    public Display.Time getHeartbeat() {
        return Display.time(doc.get(HEARTBEAT_AT));
    }

    /** {@code duration_ms} once ended; while running, the time since it started, marked "so far". */
    public String getDuration() {
        if (doc.get(DURATION_MS) instanceof Number ms) {
            return Display.duration(ms.longValue());
        }
        if (isRunning() && doc.get(STARTED_AT) instanceof Timestamp started) {
            return Display.duration(now.toEpochMilli() - RunCollection.toInstant(started).toEpochMilli())
                    + " so far";
        }
        return "";
    }

    public String getMaxDuration() {
        return doc.get(MAX_DURATION_SECONDS) instanceof Number s ? Display.duration(s.longValue() * 1000) : "";
    }

    public String getRecordsScanned() {
        return Display.number(doc.get("records_scanned"));
    }

    public String getIssuesFound() {
        return Display.number(doc.get("issues_found"));
    }

    public String getIssuesStored() {
        return Display.number(doc.get("issues_stored"));
    }

    /** The run compared with its baseline, or null when its document has no diff (see {@link RunDiffView}). */
    public RunDiffView getDiff() {
        return diff;
    }

    public String getIssuesStoreError() {
        return Display.text(doc.get(ISSUES_STORE_ERROR));
    }

    public String getErrorMessage() {
        return Display.text(doc.get(ERROR_MESSAGE));
    }

    public List<String> getUnfinishedTables() {
        return doc.get("unfinished_tables") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    public List<String> getTables() {
        return doc.get(TABLES) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    public String getSweptBy() {
        return Display.text(doc.get(SWEPT_BY));
    }

    public String getSweepRule() {
        return Display.text(doc.get(SWEEP_RULE));
    }

    /** Why the sweep marked the run, in words. */
    public String getSweepReason() {
        return sweepReason(getSweepRule());
    }

    public String getEndedBy() {
        return Display.text(doc.get(ENDED_BY));
    }

    /** The rules that no longer fit the base, from the run's schema read; empty when none. */
    public List<DriftRow> getDrift() {
        return DriftRow.of(doc);
    }

    /** The notices the run owes and where each stands; empty when it owes none. */
    public List<NoticeRow> getNotices() {
        List<NoticeRow> rows = new ArrayList<>();
        if (doc.get("notices") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> n) {
                    rows.add(new NoticeRow(Display.text(n.get("channel")), Display.text(n.get("event")),
                            Display.text(n.get("state")), Display.number(n.get("attempts")),
                            Display.time(n.get("delivered_at")), Display.text(n.get("last_error"))));
                }
            }
        }
        return rows;
    }

    public List<Counter> getCounters() {
        List<Counter> counters = new ArrayList<>();
        if (doc.get("counters") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> counters.add(new Counter(String.valueOf(k), Display.number(v))));
        }
        return counters;
    }

    /** The per-table results by table name. */
    public List<TableRow> getTableResults() {
        List<TableRow> rows = new ArrayList<>();
        if (doc.get("table_results") instanceof Map<?, ?> tables) {
            new TreeMap<>(tables).forEach((table, value) -> {
                if (value instanceof Map<?, ?> r) {
                    rows.add(new TableRow(String.valueOf(table), Boolean.TRUE.equals(r.get("finished")),
                            Display.number(r.get("records")), Display.number(r.get("pages")),
                            Display.number(r.get("restarts")), Display.number(r.get("issues")),
                            byRule(r.get("issues_by_rule")), Display.number(r.get("issues_new")),
                            Display.number(r.get("issues_resolved")), Display.text(r.get("error"))));
                }
            });
        }
        return rows;
    }

    static String sweepReason(String rule) {
        return switch (rule) {
            case RULE_MAX_AGE -> "it was still running past the hung-run threshold (integrity.sweep.max-age-seconds)";
            case RULE_HEARTBEAT_STALE -> "its heartbeat had stopped (older than "
                    + "integrity.sweep.heartbeat-stale-after-seconds): its runner died or its machine slept";
            default -> rule;
        };
    }

    /** {@code unique:Email: 2} per rule, by rule. */
    private static List<String> byRule(Object counts) {
        List<String> lines = new ArrayList<>();
        if (counts instanceof Map<?, ?> m) {
            new TreeMap<>(m).forEach((rule, n) -> lines.add(rule + ": " + Display.number(n)));
        }
        return lines;
    }
}
