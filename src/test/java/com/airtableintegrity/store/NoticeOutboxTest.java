package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunCollection.toTimestamp;
import static org.assertj.core.api.Assertions.assertThat;

import com.airtableintegrity.config.NotifySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The outbox on the run document: which notices each way of ending a run owes (written in the same commit as its
 * terminal status), and how claims, leases, back-off, giving up, duplicates and the rate limit record them. The clock
 * moves only when a test moves it.
 */
class NoticeOutboxTest extends StoreTestBase {

    private static final Duration LEASE = Duration.ofSeconds(40);
    private static final Duration WINDOW = Duration.ofHours(1);
    private static final Duration RETRY_FOR = Duration.ofHours(24);
    private static final List<NotifySpec> OPS_ERRORS = List.of(new NotifySpec("ops", List.of("error", "timeout")));

    private String start(String baseId, String scheduleId, List<NotifySpec> notify) {
        RunTransactions.StartResult r = store.startRun(new RunTransactions.NewRun(baseId, List.of("T"), "schedule",
                "runner-1", 600, scheduleId, notify), STALE);
        return ((RunTransactions.Started) r).runId();
    }

    private String runEnding(String status, List<NotifySpec> notify, Map<String, Object> extra) {
        String runId = start("appNotify", "sched1", notify);
        clock.advance(Duration.ofSeconds(5));
        store.finishIfRunning(runId, status, "error".equals(status) ? "table 'T' page 1: HTTP 404" : null, extra);
        return runId;
    }

    private NoticeOutbox outbox(String runnerId) {
        return new NoticeOutbox(runCollection, runnerId, LEASE, WINDOW);
    }

    private NoticeOutbox unlimited(String runnerId) {
        return new NoticeOutbox(runCollection, runnerId, LEASE, Duration.ZERO);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> notices(String runId) {
        return (List<Map<String, Object>>) reads.read(runId).get("notices");
    }

    @Test
    void aRunOwesItsNoticesInTheSameWriteAsItsTerminalStatus() {
        String runId = runEnding("error", List.of(new NotifySpec("ops", List.of("every_run", "error")),
                new NotifySpec("team", List.of("new_issues", "timeout"))), Map.of("issues_new", 2L));

        Map<String, Object> doc = reads.read(runId);
        Instant ended = T0.plusSeconds(5);
        assertThat(notices(runId)).extracting(n -> n.get("channel") + "/" + n.get("event") + "/" + n.get("state")
                        + "/" + n.get("attempts") + "/" + n.get("key"))
                .containsExactly("ops/error/pending/0/" + runId + ":error",
                        "ops/every_run/pending/0/" + runId + ":every_run",
                        "team/new_issues/pending/0/" + runId + ":new_issues");
        assertThat(doc).containsEntry("notify_next_at", toTimestamp(ended))
                .containsEntry("notify_pending_since", toTimestamp(ended)).containsEntry("status", "error");
    }

    @Test
    void aRunWhoseScheduleNotifiesNoOneOwesNothing() {
        String runId = runEnding("error", List.of(), Map.of());

        assertThat(reads.read(runId)).doesNotContainKeys("notices", "notify", "notify_next_at", "previous_status");
    }

    @Test
    void aRunTheSweepClosesOwesItsTimeoutNotice() {
        String runId = start("appSwept", "sched1", OPS_ERRORS);
        clock.advance(Duration.ofMinutes(5));

        assertThat(hungRuns.markTimeoutIfHung(runId, Duration.ofHours(1), STALE, "sweeper-2"))
                .isEqualTo(HungRunQueries.MarkResult.MARKED_HEARTBEAT_STALE);

        assertThat(notices(runId)).extracting(n -> n.get("channel") + "/" + n.get("event"))
                .containsExactly("ops/timeout");
    }

    @Test
    void aRunTakenOverWithAStaleHeartbeatOwesItsTimeoutNoticeAndTheNextRunKnowsItsPredecessorFailed() {
        String stale = start("appTaken", "sched1", OPS_ERRORS);
        clock.advance(Duration.ofMinutes(5));

        String next = start("appTaken", "sched1", List.of(new NotifySpec("ops", List.of("recovered"))));

        assertThat(notices(stale)).extracting(n -> n.get("event")).containsExactly("timeout");
        assertThat(reads.read(next)).containsEntry("previous_status", "timeout");
        store.finishIfRunning(next, "success", null, Map.of());
        assertThat(notices(next)).extracting(n -> n.get("event")).containsExactly("recovered");
    }

    @Test
    void recoveredIsOwedOnlyByTheFirstHealthyRunAfterAFailureOfItsBase() {
        List<NotifySpec> recovered = List.of(new NotifySpec("ops", List.of("recovered")));
        String failed = runEnding("error", recovered, Map.of());
        String first = runEnding("warning", recovered, Map.of("issues_found", 3L));
        String second = runEnding("success", recovered, Map.of());

        assertThat(reads.read(failed)).doesNotContainKey("notices");
        assertThat(notices(first)).extracting(n -> n.get("event")).containsExactly("recovered");
        assertThat(reads.read(second)).containsEntry("previous_status", "warning").doesNotContainKey("notices");
    }

    @Test
    void newIssuesAreThoseTheDiffFoundNewNotIssuesSeenBefore() {
        List<NotifySpec> newIssues = List.of(new NotifySpec("ops", List.of("new_issues")));

        String persisting = runEnding("warning", newIssues, Map.of("issues_found", 4L, "issues_new", 0L));
        String fresh = runEnding("warning", newIssues, Map.of("issues_found", 4L, "issues_new", 1L));

        assertThat(reads.read(persisting)).doesNotContainKey("notices");
        assertThat(notices(fresh)).extracting(n -> n.get("event")).containsExactly("new_issues");
    }

    @Test
    void aClaimHoldsANoticeForItsLeaseThenAnotherRunnerClaimsItAgain() {
        String runId = runEnding("error", OPS_ERRORS, Map.of());

        NoticeOutbox.Claims first = outbox("runner-a").claimDue(10);
        NoticeOutbox.Claims meanwhile = outbox("runner-b").claimDue(10);
        clock.advance(LEASE);
        NoticeOutbox.Claims afterLease = outbox("runner-b").claimDue(10);

        assertThat(first.claimed()).extracting(NoticeOutbox.Claimed::key, NoticeOutbox.Claimed::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(runId + ":error", 1L));
        assertThat(meanwhile.claimed()).isEmpty();
        assertThat(afterLease.claimed()).extracting(NoticeOutbox.Claimed::attempt).containsExactly(2L);
        assertThat(notices(runId).get(0)).containsEntry("claimed_by", "runner-b").containsEntry("attempts", 2L);
    }

    @Test
    void aDeliveredNoticeLeavesTheQueueAndALateSecondDeliveryCountsAsADuplicate() {
        String runId = runEnding("error", OPS_ERRORS, Map.of());
        NoticeOutbox.Claimed stale = outbox("runner-a").claimDue(10).claimed().get(0);
        clock.advance(LEASE);
        NoticeOutbox.Claimed retaken = outbox("runner-b").claimDue(10).claimed().get(0);

        assertThat(outbox("runner-b").delivered(retaken, "HTTP 200")).isFalse();
        assertThat(outbox("runner-a").delivered(stale, "HTTP 200")).isTrue();

        assertThat(notices(runId).get(0)).containsEntry("state", "delivered").containsEntry("duplicates", 1L)
                .containsEntry("last_answer", "HTTP 200").containsEntry("delivered_at", toTimestamp(clock.instant()));
        assertThat(reads.read(runId)).doesNotContainKeys("notify_next_at", "notify_pending_since");
        assertThat(outbox("runner-c").claimDue(10).claimed()).isEmpty();
    }

    @Test
    void aFailedAttemptComesDueAfterItsBackoffAndIsGivenUpOnceRetryForHasPassed() {
        String runId = runEnding("error", OPS_ERRORS, Map.of());
        NoticeOutbox box = outbox("runner-a");

        NoticeOutbox.Claimed one = box.claimDue(10).claimed().get(0);
        assertThat(box.failed(one, "receiver answered HTTP 500", Duration.ofSeconds(10), RETRY_FOR))
                .isEqualTo(NoticeOutbox.Failure.RETRY);
        assertThat(box.claimDue(10).claimed()).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        NoticeOutbox.Claimed two = box.claimDue(10).claimed().get(0);
        clock.advance(RETRY_FOR);
        assertThat(box.failed(two, "connection refused", Duration.ofSeconds(20), RETRY_FOR))
                .isEqualTo(NoticeOutbox.Failure.GAVE_UP);

        assertThat(notices(runId).get(0)).containsEntry("state", "failed").containsEntry("attempts", 2L)
                .containsEntry("last_error", "connection refused").containsEntry("failed_at",
                        toTimestamp(clock.instant()));
        assertThat(reads.read(runId)).doesNotContainKeys("notify_next_at", "notify_pending_since");
    }

    @Test
    void errorNoticesOfAScheduleAndChannelGoOutOncePerWindowAndTheNextOneCountsWhatWasHeldBack() {
        NoticeOutbox box = outbox("runner-a");
        List<String> sent = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (int minute = 0; minute < 30; minute++) {
            runEnding("error", OPS_ERRORS, Map.of());
            NoticeOutbox.Claims claims = box.claimDue(10);
            claims.claimed().forEach(c -> {
                sent.add(c.runId());
                box.delivered(c, "HTTP 200");
            });
            claims.suppressed().forEach(s -> held.add(s.event()));
            clock.advance(Duration.ofSeconds(55));
        }
        clock.advance(WINDOW);
        String afterWindow = runEnding("error", OPS_ERRORS, Map.of());
        NoticeOutbox.Claimed next = box.claimDue(10).claimed().get(0);

        assertThat(sent).hasSize(1);
        assertThat(held).hasSize(29).containsOnly("error");
        assertThat(next.runId()).isEqualTo(afterWindow);
        assertThat(next.suppressedBefore()).containsEntry("count", 29L);
    }

    @Test
    void twoRunnersPollingAtOnceClaimEachNoticeExactlyOnce() throws Exception {
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runIds.add(runEnding("error", List.of(new NotifySpec("ops", List.of("error")),
                    new NotifySpec("team", List.of("every_run"))), Map.of()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<NoticeOutbox.Claims>> polls = List.of(pool.submit(() -> unlimited("runner-a").claimDue(50)),
                    pool.submit(() -> unlimited("runner-b").claimDue(50)));
            List<String> claimed = Collections.synchronizedList(new ArrayList<>());
            for (Future<NoticeOutbox.Claims> poll : polls) {
                poll.get(60, TimeUnit.SECONDS).claimed().forEach(c -> claimed.add(c.key() + "@" + c.channel()));
            }
            assertThat(claimed).hasSize(12).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }
}
