package com.airtableintegrity.notify;

import com.airtableintegrity.store.NoticeOutbox;
import com.google.cloud.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a notice tells, read once from its run document and the run's first new issues, for every channel's
 * rendering ({@link WebhookBody}, {@link SlackBody}, {@link MailBody}). Values from the base (table names, field
 * values, messages) are kept as they are here; each renderer escapes them for its own markup.
 */
public record NoticeView(String key, String event, String channel, String runId, String status, String baseId,
                         String scheduleId, String trigger, String startedAt, String endedAt, Long durationMs,
                         String errorMessage, Map<String, Long> counts, List<String> tables, String runUrl,
                         List<IssueExcerpt> newIssues, Long suppressedCount, String suppressedSince) {

    /** The counts a notice carries, in this order, when the run document has them. */
    public static final List<String> COUNTS = List.of("records_scanned", "issues_found", "issues_new",
            "issues_persisting", "issues_first_run", "issues_resolved");
    /** Record links are made only to Airtable itself (as the console does). */
    static final String AIRTABLE = "https://airtable.com/";

    /** One new issue: where it is, what is wrong, and a link to the record when the run knew its table's id. */
    public record IssueExcerpt(String table, String recordId, String field, String rule, String message, String value,
                               String recordUrl) {
    }

    /** @param publicUrl the console's address ({@code integrity.console.public-url}); blank: no run link */
    public static NoticeView of(NoticeOutbox.Claimed claim, List<Map<String, Object>> newIssues, String publicUrl) {
        Map<String, Object> run = claim.run() == null ? Map.of() : claim.run();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : COUNTS) {
            if (run.get(name) instanceof Number n) {
                counts.put(name, n.longValue());
            }
        }
        List<String> tables = new ArrayList<>();
        if (run.get("tables") instanceof List<?> list) {
            list.forEach(t -> tables.add(String.valueOf(t)));
        }
        List<IssueExcerpt> issues = new ArrayList<>();
        for (Map<String, Object> i : newIssues) {
            String url = text(i.get("record_url"));
            issues.add(new IssueExcerpt(text(i.get("table")), text(i.get("record_id")), text(i.get("field")),
                    text(i.get("rule")), text(i.get("message")), text(i.get("value")),
                    url != null && url.startsWith(AIRTABLE) ? url : null));
        }
        Map<String, Object> before = claim.suppressedBefore();
        String base = publicUrl == null || publicUrl.isBlank() ? null
                : publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        return new NoticeView(claim.key(), claim.event(), claim.channel(), claim.runId(), text(run.get("status")),
                text(run.get("base_id")), text(run.get("schedule_id")), text(run.get("trigger")),
                iso(run.get("started_at")), iso(run.get("ended_at")),
                run.get("duration_ms") instanceof Number n ? n.longValue() : null, text(run.get("error_message")),
                counts, tables, base == null ? null : base + "/runs/" + claim.runId(), issues,
                before != null && before.get("count") instanceof Number c ? c.longValue() : null,
                before == null ? null : iso(before.get("since")));
    }

    /** A short line: what happened to which run, e.g. {@code error: run abc of base appX… ended error}. */
    public String headline() {
        String what = switch (event) {
            case "error" -> "failed";
            case "timeout" -> "timed out";
            case "new_issues" -> "found " + counts.getOrDefault("issues_new", counts.getOrDefault("issues_found", 0L))
                    + " new issues";
            case "recovered" -> "recovered";
            default -> "ended " + status;
        };
        return "Integrity run " + what + " on base " + baseId + " (" + status + ")";
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    static String iso(Object value) {
        if (value instanceof Timestamp t) {
            return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
        }
        return value == null ? null : String.valueOf(value);
    }
}
