package com.airtableintegrity.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every string field of an issue is bounded by its constructor, whoever builds it (an issue is a Firestore document). */
class IssueTest {

    @Test
    void aMessageOverTheLimitKeepsItsPrefixAndEndsWithAnEllipsis() {
        Issue issue = new Issue("T", "r1", "F", "pattern", null, "m".repeat(5000));
        assertThat(issue.message()).isEqualTo("m".repeat(999) + "…").hasSize(Issue.MAX_MESSAGE);
    }

    @Test
    void aMessageOfExactlyTheLimitIsKeptWhole() {
        String message = "m".repeat(Issue.MAX_MESSAGE);
        assertThat(new Issue("T", "r1", "F", "pattern", null, message).message()).isSameAs(message);
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        // the 999th and 1000th characters are one emoji: keeping 999 would keep only its high surrogate
        String message = "m".repeat(998) + "😀" + "tail";
        assertThat(new Issue("T", "r1", "F", "pattern", null, message).message()).isEqualTo("m".repeat(998) + "…");
        // a pair that ends right before the cut is kept
        String fits = "m".repeat(997) + "😀" + "tail";
        assertThat(new Issue("T", "r1", "F", "pattern", null, fits).message()).isEqualTo("m".repeat(997) + "😀" + "…");
    }

    @Test
    void everyOtherStringFieldIsCutTo200Characters() {
        String big = "b".repeat(10_000);
        Issue issue = new Issue(big, big, big, big, big, "m");
        String cut = "b".repeat(199) + "…";
        assertThat(issue).isEqualTo(new Issue(cut, cut, cut, cut, cut, "m"));
        assertThat(Issue.MAX_TABLE).isEqualTo(200);
        assertThat(Issue.MAX_RECORD_ID).isEqualTo(200);
        assertThat(Issue.MAX_FIELD).isEqualTo(200);
        assertThat(Issue.MAX_RULE).isEqualTo(200);
        assertThat(Issue.MAX_VALUE).isEqualTo(200);
        assertThat(Issue.MAX_MESSAGE).isEqualTo(1000);
        assertThat(issue.table()).hasSize(200);
    }

    @Test
    void nullFieldsStayNull() {
        Issue issue = new Issue(null, null, null, null, null, null);
        assertThat(issue).isEqualTo(new Issue(null, null, null, null, null, null));
        assertThat(issue.value()).isNull();
        assertThat(issue.message()).isNull();
    }
}
