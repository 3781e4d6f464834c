package com.airtableintegrity.notify;

/**
 * The email channel's message: a subject, a plain-text body and an HTML body (sent as multipart/alternative). Every
 * value is HTML-escaped in the HTML body, so a record value such as {@code <a href=x>} shows as text; the only links
 * are the run page and records on airtable.com. The subject holds only the event, status, base id and run id (no
 * value from the base), with line breaks removed.
 */
public final class MailBody {
    private MailBody() {
    }

    public static String subject(NoticeView v) {
        return ("[integrity] " + v.headline() + " · run " + v.runId()).replaceAll("[\\r\\n]+", " ");
    }

    public static String text(NoticeView v) {
        StringBuilder t = new StringBuilder(v.headline()).append("\n\n");
        t.append("Run: ").append(v.runId()).append(" (").append(v.trigger()).append(")\n");
        if (v.scheduleId() != null) {
            t.append("Schedule: ").append(v.scheduleId()).append('\n');
        }
        t.append("Base: ").append(v.baseId()).append('\n');
        t.append("Status: ").append(v.status()).append('\n');
        t.append("Started: ").append(v.startedAt()).append(", ended: ").append(v.endedAt()).append('\n');
        v.counts().forEach((name, n) -> t.append(name.replace('_', ' ')).append(": ").append(n).append('\n'));
        if (v.errorMessage() != null) {
            t.append("Error: ").append(v.errorMessage()).append('\n');
        }
        if (v.suppressedCount() != null) {
            t.append(v.suppressedCount()).append(" similar notices were held back since ").append(v.suppressedSince())
                    .append(" (rate limit)\n");
        }
        if (!v.newIssues().isEmpty()) {
            t.append("\nNew issues:\n");
            for (NoticeView.IssueExcerpt i : v.newIssues()) {
                t.append("- ").append(i.table()).append(" / ").append(i.recordId()).append(" ").append(i.field())
                        .append(" (").append(i.rule()).append("): ").append(i.message());
                if (i.recordUrl() != null) {
                    t.append(" ").append(i.recordUrl());
                }
                t.append('\n');
            }
        }
        if (v.runUrl() != null) {
            t.append("\nThe run: ").append(v.runUrl()).append('\n');
        }
        return t.toString();
    }

    public static String html(NoticeView v) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><body>");
        h.append("<h2>").append(escape(v.headline())).append("</h2><table>");
        row(h, "Run", v.runId() + " (" + v.trigger() + ")");
        if (v.scheduleId() != null) {
            row(h, "Schedule", v.scheduleId());
        }
        row(h, "Base", v.baseId());
        row(h, "Status", v.status());
        row(h, "Started", v.startedAt());
        row(h, "Ended", v.endedAt());
        v.counts().forEach((name, n) -> row(h, name.replace('_', ' '), String.valueOf(n)));
        if (v.errorMessage() != null) {
            row(h, "Error", v.errorMessage());
        }
        if (v.suppressedCount() != null) {
            row(h, "Held back", v.suppressedCount() + " similar notices since " + v.suppressedSince()
                    + " (rate limit)");
        }
        h.append("</table>");
        if (!v.newIssues().isEmpty()) {
            h.append("<h3>New issues</h3><ul>");
            for (NoticeView.IssueExcerpt i : v.newIssues()) {
                String where = escape(i.table()) + " / " + escape(i.recordId());
                h.append("<li>").append(i.recordUrl() != null
                                ? "<a href=\"" + escape(i.recordUrl()) + "\">" + where + "</a>" : where)
                        .append(" <code>").append(escape(i.field())).append("</code> (").append(escape(i.rule()))
                        .append("): ").append(escape(i.message())).append("</li>");
            }
            h.append("</ul>");
        }
        if (v.runUrl() != null) {
            h.append("<p><a href=\"").append(escape(v.runUrl())).append("\">Open the run</a></p>");
        }
        return h.append("</body></html>").toString();
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th align=\"left\">").append(escape(name)).append("</th><td>").append(escape(value))
                .append("</td></tr>");
    }

    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
