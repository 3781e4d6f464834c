package com.airtableintegrity.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Slack incoming-webhook body: {@code text} (the fallback line) and blocks: a header with the status word and the
 * base, the counts, the first new issues as links to their records, and a button to the run page.
 *
 * <p>Every value from the base (table and field names, values, messages) and from the run (its error message) is
 * escaped as Slack asks ({@code &}, {@code <}, {@code >}) and shown as inline code with its backticks replaced, so a
 * record value such as {@code <!channel> <a href=x>} can neither mention anyone nor make a link. The only links are
 * the run page (under {@code integrity.console.public-url}) and records on airtable.com.
 */
public final class SlackBody {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Slack cuts a section's text at 3,000 characters and a header's at 150; stay below. */
    private static final int SECTION_CHARS = 2900;
    private static final int HEADER_CHARS = 150;
    private static final int VALUE_CHARS = 200;
    private static final Pattern SAFE_LINK = Pattern.compile("https?://[^\\s<>|`]+");

    private SlackBody() {
    }

    public static String of(NoticeView v) {
        ObjectNode body = JSON.createObjectNode();
        body.put("text", escape(v.headline()));
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text")
                .put("text", cut(String.valueOf(v.status()).toUpperCase(Locale.ROOT) + " · base " + v.baseId(),
                        HEADER_CHARS));
        StringBuilder facts = new StringBuilder();
        facts.append("*").append(escape(v.headline())).append("*\n");
        facts.append("Run ").append(code(v.runId())).append(", trigger ").append(code(v.trigger()));
        if (v.scheduleId() != null) {
            facts.append(", schedule ").append(code(v.scheduleId()));
        }
        facts.append('\n');
        v.counts().forEach((name, n) -> facts.append(name.replace('_', ' ')).append(": ").append(n).append("  "));
        if (v.errorMessage() != null) {
            facts.append("\nError: ").append(code(v.errorMessage()));
        }
        if (v.suppressedCount() != null) {
            facts.append("\n").append(v.suppressedCount()).append(" similar notices held back since ")
                    .append(escape(v.suppressedSince())).append(" (rate limit)");
        }
        section(blocks, facts.toString());
        if (!v.newIssues().isEmpty()) {
            StringBuilder issues = new StringBuilder("*New issues*");
            for (NoticeView.IssueExcerpt i : v.newIssues()) {
                String where = escape(i.table()) + " / " + escape(i.recordId());
                issues.append("\n• ")
                        .append(i.recordUrl() != null && SAFE_LINK.matcher(i.recordUrl()).matches()
                                ? "<" + i.recordUrl() + "|" + where + ">" : where)
                        .append(" ").append(code(i.field())).append(" ").append(code(i.rule()))
                        .append(": ").append(code(i.message()));
            }
            section(blocks, issues.toString());
        }
        if (v.runUrl() != null && SAFE_LINK.matcher(v.runUrl()).matches()) {
            ObjectNode actions = blocks.addObject().put("type", "actions");
            ObjectNode button = actions.putArray("elements").addObject().put("type", "button")
                    .put("url", v.runUrl());
            button.putObject("text").put("type", "plain_text").put("text", "Open the run");
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notice's Slack body could not be written", e);
        }
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", cut(mrkdwn, SECTION_CHARS));
    }

    /** Slack's escaping of text: the three characters its markup is made of. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Inline code: no link, mention or formatting is made inside it; its own backticks cannot close it. */
    static String code(String value) {
        if (value == null || value.isEmpty()) {
            return "–";
        }
        return "`" + escape(cut(value, VALUE_CHARS)).replace('`', '\'').replace('\n', ' ') + "`";
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
