package com.airtableintegrity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.diff.IssueState;
import com.airtableintegrity.diff.IssueState.RuleIssues;
import com.airtableintegrity.diff.IssueState.Seen;
import com.airtableintegrity.store.RunTransactions.ChainAdvance;
import com.airtableintegrity.store.RunTransactions.NewRun;
import com.airtableintegrity.store.RunTransactions.Started;

/** A run's issue state in Firestore and the chain of baselines, over the emulator. */
class IssueStatesTest extends StoreTestBase {
    private static final String BASE = "appStates";

    private static String start() {
        return ((Started) store.startRun(new NewRun(BASE, List.of("T"), "schedule", "runner-a", 1800, "sched1"),
                STALE)).runId();
    }

    private static IssueState state(String runId, int issues) {
        String[] records = new String[issues];
        Seen[] seen = new Seen[issues];
        for (int i = 0; i < issues; i++) {
            records[i] = String.format("rec%014d", i);
            seen[i] = i % 2 == 0 ? new Seen(runId, T0) : new Seen("olderRun" + (i % 7), T0.minus(Duration.ofDays(i % 7)));
        }
        return new IssueState(runId, BASE, Map.of("T", Map.of("unique:Email", new RuleIssues(records, seen),
                "required:Name", RuleIssues.NONE)));
    }

    /** Ends the run as the runner does: the state written ahead or inline, the chain moved in the same commit. */
    private static void finishWithState(IssueStates states, IssueState state) {
        IssueStates.Prepared prepared = states.prepare(state);
        if (!prepared.inline()) {
            states.writeAhead(prepared);
        }
        Map<String, Object> fields = new java.util.HashMap<>();
        fields.put(IssueStates.ISSUE_STATE, prepared.manifest().toDocument());
        assertThat(store.finishIfRunning(state.runId(), "warning", null, fields, new ChainAdvance("sched1", BASE,
                prepared.inline() ? prepared.documents() : List.of())).applied()).isTrue();
    }

    @Test
    void aStateOfTwoHundredThousandIssuesSpansDocumentsUnderTheLimitAndReadsBackWhole() {
        IssueStates states = new IssueStates(runCollection);
        String runId = start();
        IssueState written = state(runId, 200_000);

        IssueStates.Prepared prepared = states.prepare(written);
        finishWithState(states, written);

        assertThat(prepared.inline()).isFalse();
        assertThat(prepared.documents()).hasSizeGreaterThan(3);
        assertThat(java.util.Arrays.stream(prepared.sizes()).max().orElseThrow()).isLessThanOrEqualTo(512 * 1024);
        IssueStates.Baseline read = states.load("sched1", BASE);
        assertThat(read).isInstanceOf(IssueStates.Found.class);
        IssueState back = ((IssueStates.Found) read).state();
        RuleIssues issues = back.tables().get("T").get("unique:Email");
        assertThat(issues.records()).containsExactly(written.tables().get("T").get("unique:Email").records());
        assertThat(issues.firstSeen()).containsExactly(written.tables().get("T").get("unique:Email").firstSeen());
        assertThat(back.tables().get("T").get("required:Name").size()).isZero();
    }

    @Test
    void theChainOnlyMovesToARunThatStartedLater() throws Exception {
        IssueStates states = new IssueStates(runCollection);
        String earlier = start();
        store.finishIfRunning(earlier, "cancelled", null, Map.of()); // frees the base for the next start
        clock.advance(Duration.ofSeconds(60));
        String later = start();
        IssueState laterState = state(later, 3);
        finishWithState(states, laterState);

        // the earlier run's close comes last (e.g. a runner that was suspended): it must not take the chain back
        db.collection(COLLECTION).document(earlier).update("status", "running").get(10, TimeUnit.SECONDS);
        finishWithState(states, state(earlier, 2));

        assertThat(((IssueStates.Found) states.load("sched1", BASE)).state().runId()).isEqualTo(later);
    }

    @Test
    void aStateWrittenAheadOfATerminalCommitThatNeverCameIsNeverABaseline() {
        IssueStates states = new IssueStates(runCollection);
        String complete = start();
        finishWithState(states, state(complete, 3));
        clock.advance(Duration.ofSeconds(60));
        String killed = start(); // its runner dies (kill -9) after writing its large state, before its status
        states.writeAhead(states.prepare(state(killed, 200_000)));

        IssueStates.Baseline baseline = states.load("sched1", BASE);

        assertThat(((IssueStates.Found) baseline).state().runId()).isEqualTo(complete);
        assertThat(((IssueStates.Found) baseline).state().size()).isEqualTo(3);
    }

    @Test
    void aRunNamedByTheChainButMissingIsNoBaselineWithTheReason() throws Exception {
        IssueStates states = new IssueStates(runCollection);
        String runId = start();
        finishWithState(states, state(runId, 3));
        db.collection(COLLECTION).document(runId).delete().get(10, TimeUnit.SECONDS);

        assertThat(states.load("sched1", BASE)).isEqualTo(new IssueStates.None("baseline run " + runId
                + " no longer exists"));
    }

    @Test
    void aBaselineOfAnotherBaseIsNoBaseline() {
        IssueStates states = new IssueStates(runCollection);
        String runId = start();
        finishWithState(states, state(runId, 3));

        assertThat(states.load("sched1", "appOther")).isEqualTo(new IssueStates.None("baseline run " + runId
                + " scanned base " + BASE + ", not this run's base appOther"));
    }
}
