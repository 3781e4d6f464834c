package com.airtableintegrity.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook channel's body (JSON, {@code "version": 1}; docs/notifications.md documents every field) and its
 * signature: {@code Integrity-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the channel's
 * secret>}, as Stripe signs its webhooks. The timestamp is signed with the body, so a receiver that refuses old
 * timestamps refuses replays; {@code id} (run id and event) lets it drop a duplicate of an at-least-once delivery.
 */
public final class WebhookBody {
    public static final int VERSION = 1;
    public static final String SIGNATURE_HEADER = "Integrity-Signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBody() {
    }

    public static String of(NoticeView v) {
        ObjectNode body = JSON.createObjectNode();
        body.put("version", VERSION);
        body.put("id", v.key());
        body.put("event", v.event());
        body.put("channel", v.channel());
        ObjectNode run = body.putObject("run");
        run.put("id", v.runId());
        run.put("status", v.status());
        run.put("trigger", v.trigger());
        run.put("schedule_id", v.scheduleId());
        run.put("base_id", v.baseId());
        ArrayNode tables = run.putArray("tables");
        v.tables().forEach(tables::add);
        run.put("started_at", v.startedAt());
        run.put("ended_at", v.endedAt());
        run.put("duration_ms", v.durationMs());
        run.put("error_message", v.errorMessage());
        v.counts().forEach(run::put);
        run.put("url", v.runUrl());
        ArrayNode issues = body.putArray("new_issues");
        for (NoticeView.IssueExcerpt i : v.newIssues()) {
            ObjectNode issue = issues.addObject();
            issue.put("table", i.table());
            issue.put("record_id", i.recordId());
            issue.put("field", i.field());
            issue.put("rule", i.rule());
            issue.put("message", i.message());
            issue.put("value", i.value());
            issue.put("record_url", i.recordUrl());
        }
        if (v.suppressedCount() != null) {
            ObjectNode before = body.putObject("suppressed_before");
            before.put("count", v.suppressedCount());
            before.put("since", v.suppressedSince());
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notice's JSON could not be written", e);
        }
    }

    /** The {@value #SIGNATURE_HEADER} value of {@code body} sent at {@code unixSeconds}. */
    public static String signature(String secret, long unixSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e); // every JDK has it
        }
    }
}
