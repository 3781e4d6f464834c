package com.airtableintegrity.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.NoticeReceiver;
import com.airtableintegrity.support.TestSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The webhook channel end to end ({@link NotifyTestBase}): runs on the product's routes, the emulator, the Airtable
 * double, and a real HTTP receiver.
 */
class WebhookNoticesTest extends NotifyTestBase {
    private static final String SECRET = "whsec-test-0123456789abcdef";
    private static final String HOOK_PATH = "/hooks/integrity-SECRETPATH42";
    private static final ObjectMapper JSON = new ObjectMapper();

    private void startNotifying(List<String> events, Consumer<IntegrityProperties> more) throws Exception {
        startNotifying("ops", channel("webhook", receiver.url(HOOK_PATH), SECRET), events, more);
    }

    @Test
    void anErrorRunIsNoticedOnceWithAVersionedBodySignedSoThatAReceiverCanVerifyIt() throws Exception {
        startNotifying(List.of("error"), p -> { });
        airtable.fault(Fault.status(404).onTable("People"));

        String runId = runner.runNow();
        Map<String, Object> delivered = awaitNoticeState(runId, "delivered");

        NoticeReceiver.Received got = receiver.received().get(0);
        assertThat(receiver.received()).hasSize(1);
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.path()).isEqualTo(HOOK_PATH);
        assertThat(got.headers()).containsEntry("idempotency-key", runId + ":error")
                .containsEntry("integrity-event", "error");
        assertThat(got.headers().get("content-type")).startsWith("application/json");
        JsonNode body = JSON.readTree(got.body());
        Map<String, Object> run = doc(runId);
        assertThat(body.get("version").asInt()).isEqualTo(1);
        assertThat(body.get("id").asText()).isEqualTo(runId + ":error");
        assertThat(body.get("event").asText()).isEqualTo("error");
        assertThat(body.get("channel").asText()).isEqualTo("ops");
        assertThat(body.at("/run/id").asText()).isEqualTo(runId);
        assertThat(body.at("/run/status").asText()).isEqualTo("error");
        assertThat(body.at("/run/base_id").asText()).isEqualTo(TestSettings.BASE);
        assertThat(body.at("/run/error_message").asText()).isEqualTo(run.get("error_message"));
        assertThat(body.at("/run/tables/0").asText()).isEqualTo("People");
        assertThat(body.at("/run/url").isNull()).isTrue(); // no integrity.console.public-url in this test
        assertThat(body.get("new_issues").size()).isZero();
        String[] signature = got.headers().get("integrity-signature").split(",");
        String t = signature[0].substring("t=".length());
        assertThat(signature[1]).isEqualTo("v1=" + HexFormat.of().formatHex(
                hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), (t + "." + got.body()).getBytes(
                        StandardCharsets.UTF_8))));
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t))).isLessThan(60);
        assertThat(delivered).containsEntry("attempts", 1L).containsEntry("last_answer", "HTTP 200")
                .containsEntry("claimed_by", "test-runner").doesNotContainKey("last_error");
        assertThat(run).doesNotContainKeys("notify_next_at", "notify_pending_since");
    }

    @Test
    void aReceiverAnswering500ThreeTimesGetsTheNoticeOnTheFourthAttemptAndOneDeliveryIsRecorded() throws Exception {
        startNotifying(List.of("every_run"), p -> { });
        receiver.answer(500, 500, 500);

        String runId = runner.runNow();
        Map<String, Object> delivered = awaitNoticeState(runId, "delivered");

        assertThat(receiver.received()).extracting(NoticeReceiver.Received::answeredWith)
                .containsExactly(500, 500, 500, 200);
        assertThat(receiver.received()).extracting(r -> r.headers().get("idempotency-key"))
                .containsOnly(runId + ":every_run");
        assertThat(delivered).containsEntry("attempts", 4L).containsEntry("last_answer", "HTTP 200")
                .containsEntry("last_error", "receiver answered HTTP 500: receiver trouble 500");
    }

    @Test
    void aHangingReceiverCostsOneBoundedAttemptAndTheRunnersNextRunIsUnaffected() throws Exception {
        startNotifying(List.of("every_run"), p -> { });
        receiver.answer(NoticeReceiver.HANG);

        String first = runner.runNow();
        receiver.await(1, Duration.ofSeconds(30));
        String second = runner.runNow();
        Map<String, Object> firstNotice = awaitNoticeState(first, "delivered");
        awaitNoticeState(second, "delivered");

        assertThat(doc(second)).containsEntry("status", "success");
        assertThat(firstNotice).containsEntry("attempts", 2L);
        assertThat((String) firstNotice.get("last_error")).doesNotContain("SECRETPATH42");
        List<NoticeReceiver.Received> toFirst = receiver.received().stream()
                .filter(r -> r.headers().get("idempotency-key").startsWith(first)).toList();
        long gapMs = Duration.ofNanos(toFirst.get(1).arrivalNanos() - toFirst.get(0).arrivalNanos()).toMillis();
        // the hanging call is cut at the 2 s wall-clock bound, then the 1 s back-off and the next 1 s poll
        assertThat(gapMs).isBetween(2000L, 10_000L);
    }

    @Test
    void aReceiverDrippingItsAnswerIsCutAtTheWallClockBoundThoughNoGapTripsTheReadTimeout() throws Exception {
        startNotifying(List.of("every_run"), p -> { });
        receiver.answer(NoticeReceiver.DRIP);

        String runId = runner.runNow();
        Map<String, Object> delivered = awaitNoticeState(runId, "delivered");

        List<NoticeReceiver.Received> got = receiver.received();
        long gapMs = Duration.ofNanos(got.get(1).arrivalNanos() - got.get(0).arrivalNanos()).toMillis();
        // cut at the 2 s bound (a 1 s read timeout never trips: a byte comes every 300 ms), then 1 s back-off and poll
        assertThat(gapMs).isBetween(2000L, 8000L);
        assertThat(delivered).containsEntry("attempts", 2L);
        assertThat((String) delivered.get("last_error")).doesNotContain("Read timed out");
    }

    @Test
    void aHugeAnswerIsReadOnlyToItsCapAndStillCountsAsDelivered() throws Exception {
        startNotifying(List.of("every_run"), p -> p.getNotify().setMaxAnswerBytes(4096));
        receiver.answer(NoticeReceiver.HUGE);

        String runId = runner.runNow();
        Map<String, Object> delivered = awaitNoticeState(runId, "delivered");

        assertThat(receiver.received()).hasSize(1);
        assertThat(delivered).containsEntry("attempts", 1L).containsEntry("last_answer", "HTTP 200");
    }

    @Test
    void aRedirectIsNotFollowedItFailsTheAttempt() throws Exception {
        startNotifying(List.of("every_run"), p -> { });
        receiver.answer(302);

        String runId = runner.runNow();
        Map<String, Object> delivered = awaitNoticeState(runId, "delivered");

        assertThat(receiver.received()).extracting(NoticeReceiver.Received::answeredWith).containsExactly(302, 200);
        assertThat(delivered).containsEntry("attempts", 2L)
                .containsEntry("last_error", "receiver answered HTTP 302: receiver trouble 302");
    }

    @Test
    void aReceiverThatIsDownLeavesTheNoticePendingAndTheErrorNeverShowsTheChannelsUrl() throws Exception {
        startNotifying(List.of("every_run"), p -> { });
        receiver.close();

        String runId = runner.runNow();
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> ((Number) notice(runId).get("attempts")).longValue() >= 2);

        Map<String, Object> pending = notice(runId);
        assertThat(pending).containsEntry("state", "pending");
        assertThat((String) pending.get("last_error")).contains("Connect").doesNotContain("SECRETPATH42")
                .doesNotContain(SECRET);
        assertThat(doc(runId)).containsKeys("notify_next_at", "notify_pending_since");
    }

    @Test
    void aReceiverThatIsDownForAWhileGetsTheNoticeOnceWhenItIsBack() throws Exception {
        startNotifying(List.of("every_run"), p -> { });
        int port = receiver.port();
        receiver.close();

        String runId = runner.runNow();
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> ((Number) notice(runId).get("attempts")).longValue() >= 3);
        receiver = NoticeReceiver.start(port);
        Map<String, Object> delivered = awaitNoticeState(runId, "delivered");

        assertThat(receiver.received()).hasSize(1);
        // an attempt is counted when it is claimed, before its call: the third may be the one that reached the
        // receiver once it was back (seen under a CPU hog: delivered on attempt 3), so two failures at least
        assertThat(((Number) delivered.get("attempts")).longValue()).isGreaterThanOrEqualTo(3);
        assertThat((String) delivered.get("last_error")).contains("HttpHostConnectException").contains("refused");
    }

    @Test
    void aScheduleFailingEveryMinuteForHalfAnHourSendsOneErrorNoticeAndTheFirstAfterTheHourCountsTheRest()
            throws Exception {
        startNotifying(List.of("error"), p -> { }); // rate-limit-seconds: the default hour
        airtable.fault(Fault.status(404).onTable("People"));

        List<String> runIds = new ArrayList<>();
        for (int minute = 0; minute < 30; minute++) { // the minutes compressed: one run after the other
            runIds.add(runner.runNow());
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runIds.stream()
                .allMatch(id -> List.of("delivered", "suppressed").contains(notice(id).get("state"))));
        assertThat(receiver.received()).hasSize(1);
        assertThat(runIds.stream().filter(id -> "suppressed".equals(notice(id).get("state")))).hasSize(29);

        // the hour passes: the limit document's last send moves back by the window, as the clock would move forward
        List<QueryDocumentSnapshot> limits = runner.firestore().collection("integrity_runs_notify_limits").get()
                .get(10, TimeUnit.SECONDS).getDocuments();
        assertThat(limits).extracting(QueryDocumentSnapshot::getId).containsExactly(
                "base-" + TestSettings.BASE + "~ops~error"); // the configured schedule has no schedule id
        DocumentReference limit = limits.get(0).getReference();
        Timestamp sent = (Timestamp) limit.get().get(10, TimeUnit.SECONDS).get("last_sent_at");
        limit.update("last_sent_at", Timestamp.ofTimeSecondsAndNanos(sent.getSeconds() - 3600, sent.getNanos()))
                .get(10, TimeUnit.SECONDS);
        String afterTheHour = runner.runNow();
        awaitNoticeState(afterTheHour, "delivered");

        assertThat(receiver.received()).hasSize(2);
        JsonNode summary = JSON.readTree(receiver.received().get(1).body()).get("suppressed_before");
        assertThat(summary.get("count").asLong()).isEqualTo(29);
        assertThat(summary.get("since").asText()).isNotBlank();
    }

    /** HMAC-SHA256 as RFC 2104 defines it, on SHA-256 alone: checks the product's javax.crypto signature. */
    private static byte[] hmacSha256(byte[] key, byte[] message) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] k = Arrays.copyOf(key.length > 64 ? sha.digest(key) : key, 64);
        byte[] inner = new byte[64];
        byte[] outer = new byte[64];
        for (int i = 0; i < 64; i++) {
            inner[i] = (byte) (k[i] ^ 0x36);
            outer[i] = (byte) (k[i] ^ 0x5c);
        }
        sha.update(inner);
        sha.update(message);
        byte[] innerHash = sha.digest();
        sha.update(outer);
        sha.update(innerHash);
        return sha.digest();
    }
}
