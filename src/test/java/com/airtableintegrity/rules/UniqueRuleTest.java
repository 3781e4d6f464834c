package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UniqueRuleTest extends RulesFixture {

    @Test
    void uniqueReportsEveryRecordSharingAValueWithTheirIds() {
        TableRules t = single(RuleSpec.unique("Email"));
        t.accept("recA", json("{\"Email\":\"a@x.com\"}"));
        t.accept("recB", json("{\"Email\":\"a@x.com\"}"));
        t.accept("recX", json("{\"Email\":\"x@x.com\"}"));
        t.accept("recC", json("{\"Email\":\"a@x.com\"}"));
        t.finishTable();
        String message = "Value 'a@x.com' of 'Email' is shared by 3 records: recA, recB, recC";
        assertThat(issues).containsExactly(
                issue("T", "recA", "Email", "unique", "a@x.com", message),
                issue("T", "recB", "Email", "unique", "a@x.com", message),
                issue("T", "recC", "Email", "unique", "a@x.com", message));
        assertThat(t.counts()).containsExactly(Map.entry("unique:Email", 3L));
    }

    @Test
    void uniqueEmitsAndCountsNothingBeforeFinishTable() {
        TableRules t = single(RuleSpec.unique("Email"));
        t.accept("recA", json("{\"Email\":\"a\"}"));
        t.accept("recB", json("{\"Email\":\"a\"}"));
        assertThat(issues).isEmpty();
        assertThat(t.issueCount()).isZero();
    }

    @Test
    void uniqueGroupsIssuesByValueInTheOrderValuesBecameShared() {
        TableRules t = single(RuleSpec.unique("Code"));
        t.accept("r1", json("{\"Code\":\"x\"}"));
        t.accept("r2", json("{\"Code\":\"y\"}"));
        t.accept("r3", json("{\"Code\":\"y\"}"));
        t.accept("r4", json("{\"Code\":\"x\"}"));
        t.finishTable();
        assertThat(issues).extracting(Issue::recordId).containsExactly("r2", "r3", "r1", "r4");
        assertThat(issues).extracting(Issue::message).containsExactly(
                "Value 'y' of 'Code' is shared by 2 records: r2, r3",
                "Value 'y' of 'Code' is shared by 2 records: r2, r3",
                "Value 'x' of 'Code' is shared by 2 records: r1, r4",
                "Value 'x' of 'Code' is shared by 2 records: r1, r4");
        assertThat(t.issueCount()).isEqualTo(4);
    }

    @Test
    void uniqueIsCaseSensitiveForStrings() {
        TableRules t = single(RuleSpec.unique("Email"));
        t.accept("recA", json("{\"Email\":\"a@x.com\"}"));
        t.accept("recB", json("{\"Email\":\"A@x.com\"}"));
        t.finishTable();
        assertThat(issues).isEmpty();
        assertThat(t.counts()).containsExactly(Map.entry("unique:Email", 0L));
    }

    @Test
    void uniqueComparesNonStringValuesByCompactJson() {
        TableRules t = single(RuleSpec.unique("Tags"));
        t.accept("r1", json("{\"Tags\":[\"a\", \"b\"]}"));
        t.accept("r2", json("{\"Tags\":[\"a\",\"b\"]}"));
        t.accept("r3", json("{\"Tags\":[\"b\",\"a\"]}"));
        t.finishTable();
        String message = "Value '[\"a\",\"b\"]' of 'Tags' is shared by 2 records: r1, r2";
        assertThat(issues).containsExactly(
                issue("T", "r1", "Tags", "unique", "[\"a\",\"b\"]", message),
                issue("T", "r2", "Tags", "unique", "[\"a\",\"b\"]", message));
    }

    @Test
    void uniqueTreatsNumberAndStringWithSameTextAsDifferent() {
        TableRules t = single(RuleSpec.unique("N"));
        t.accept("r1", json("{\"N\":1}"));
        t.accept("r2", json("{\"N\":\"1\"}"));
        t.accept("r3", json("{\"N\":1}"));
        t.finishTable();
        assertThat(issues).extracting(Issue::recordId).containsExactly("r1", "r3");
        assertThat(issues).extracting(Issue::message)
                .containsOnly("Value '1' of 'N' is shared by 2 records: r1, r3");
    }

    @Test
    void uniqueSkipsRecordsWithoutValue() {
        TableRules t = single(RuleSpec.unique("Email"));
        t.accept("r1", json("{}"));
        t.accept("r2", json("{}"));
        t.accept("r3", json("{\"Email\":null}"));
        t.accept("r4", json("{\"Email\":\"  \"}"));
        t.accept("r5", json("{\"Email\":\"  \"}"));
        t.accept("r6", json("{\"Email\":[]}"));
        t.accept("r7", json("{\"Email\":[]}"));
        t.finishTable();
        assertThat(issues).isEmpty();
        assertThat(t.issueCount()).isZero();
    }

    @Test
    void uniqueListsAtMostTenIdsThenHowManyMore() {
        TableRules t = single(RuleSpec.unique("Email"));
        for (int i = 1; i <= 12; i++) {
            t.accept("r" + i, json("{\"Email\":\"dup\"}"));
        }
        t.finishTable();
        assertThat(issues).hasSize(12);
        assertThat(issues).extracting(Issue::message).containsOnly(
                "Value 'dup' of 'Email' is shared by 12 records: r1, r2, r3, r4, r5, r6, r7, r8, r9, r10 and 2 more");
        assertThat(t.issueCount()).isEqualTo(12);
    }

    @Test
    void uniqueListsExactlyTenIdsWithoutMore() {
        TableRules t = single(RuleSpec.unique("Email"));
        for (int i = 1; i <= 10; i++) {
            t.accept("r" + i, json("{\"Email\":\"dup\"}"));
        }
        t.finishTable();
        assertThat(issues).extracting(Issue::message).containsOnly(
                "Value 'dup' of 'Email' is shared by 10 records: r1, r2, r3, r4, r5, r6, r7, r8, r9, r10");
    }

    @Test
    void uniqueFinishTableTwiceEmitsAndCountsOnce() {
        TableRules t = single(RuleSpec.unique("Email"));
        t.accept("r1", json("{\"Email\":\"a\"}"));
        t.accept("r2", json("{\"Email\":\"a\"}"));
        t.finishTable();
        t.finishTable();
        assertThat(issues).hasSize(2);
        assertThat(t.issueCount()).isEqualTo(2);
    }

    @Test
    void uniqueCutsLongSharedValuesInValueAndMessage() {
        TableRules t = single(RuleSpec.unique("Notes"));
        String longText = "n".repeat(300);
        t.accept("r1", json("{\"Notes\":\"" + longText + "\"}"));
        t.accept("r2", json("{\"Notes\":\"" + longText + "\"}"));
        t.finishTable();
        String excerpt = "n".repeat(199) + "…";
        assertThat(issues).containsExactly(
                issue("T", "r1", "Notes", "unique", excerpt,
                        "Value '" + excerpt + "' of 'Notes' is shared by 2 records: r1, r2"),
                issue("T", "r2", "Notes", "unique", excerpt,
                        "Value '" + excerpt + "' of 'Notes' is shared by 2 records: r1, r2"));
    }

    @Test
    void uniqueTellsApartStringsThatDifferOnlyInLoneSurrogates() {
        TableRules t = single(RuleSpec.unique("N"));
        t.accept("r1", json("{\"N\":\"\\ud800x\"}"));
        t.accept("r2", json("{\"N\":\"\\udbffx\"}"));
        t.finishTable();
        assertThat(issues).isEmpty();
    }

    @Test
    void uniqueMessageListsExcerptsOfLongRecordIds() {
        TableRules t = single(RuleSpec.unique("N"));
        String id1 = "recA" + "a".repeat(10_000);
        String id2 = "recB" + "b".repeat(10_000);
        t.accept(id1, json("{\"N\":\"v\"}"));
        t.accept(id2, json("{\"N\":\"v\"}"));
        t.finishTable();
        String cut1 = "recA" + "a".repeat(195) + "…";
        String cut2 = "recB" + "b".repeat(195) + "…";
        String message = "Value 'v' of 'N' is shared by 2 records: " + cut1 + ", " + cut2;
        assertThat(issues).containsExactly(
                issue("T", cut1, "N", "unique", "v", message),
                issue("T", cut2, "N", "unique", "v", message));
    }

    @Test
    void uniqueKeepsNoValueAfterAcceptYetReportsSharedBigValuesExactly() {
        TableRules t = single(RuleSpec.unique("Notes"));
        List<WeakReference<Object>> fed = feedMegabyteValues(t);
        // before finishTable, while the rule still holds its state: none of the big values may be reachable from it
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return fed.stream().allMatch(ref -> ref.get() == null);
        });
        t.finishTable();
        String excerpt = "s".repeat(199) + "…";
        String message = "Value '" + excerpt + "' of 'Notes' is shared by 2 records: rS1, rS2";
        assertThat(issues).containsExactly(
                issue("T", "rS1", "Notes", "unique", excerpt, message),
                issue("T", "rS2", "Notes", "unique", excerpt, message));
        assertThat(t.counts()).containsExactly(Map.entry("unique:Notes", 2L));
    }

    /**
     * Feeds 20 records with distinct 1 MB strings, then 2 records sharing one 1 MB string (parsed twice, so two
     * instances), and returns weak references to every JsonNode and String passed in; the caller keeps nothing else.
     */
    private static List<WeakReference<Object>> feedMegabyteValues(TableRules t) {
        List<WeakReference<Object>> fed = new ArrayList<>();
        String megabyte = "v".repeat(1 << 20);
        for (int i = 0; i < 20; i++) {
            feed(t, "r" + i, i + "-" + megabyte, fed);
        }
        String shared = "s".repeat(1 << 20);
        feed(t, "rS1", shared, fed);
        feed(t, "rS2", shared, fed);
        return fed;
    }

    private static void feed(TableRules t, String recordId, String text, List<WeakReference<Object>> fed) {
        JsonNode fields = json("{\"Notes\":\"" + text + "\"}");
        fed.add(new WeakReference<>(fields.get("Notes")));
        fed.add(new WeakReference<>(fields.get("Notes").textValue()));
        t.accept(recordId, fields);
    }
}
