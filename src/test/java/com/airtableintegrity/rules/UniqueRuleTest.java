package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UniqueRuleTest extends RulesFixture {

    @Test
    void uniqueReportsEveryRecordSharingAValueWithTheirIds() {
        TableRules t = uniqueFinished("Email", "recA", "{\"Email\":\"a@x.com\"}", "recB", "{\"Email\":\"a@x.com\"}",
                "recX", "{\"Email\":\"x@x.com\"}", "recC", "{\"Email\":\"a@x.com\"}");
        assertThat(issues).containsExactlyElementsOf(shared("Email", "a@x.com", "recA", "recB", "recC"));
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
        TableRules t = uniqueFinished("Code", "r1", "{\"Code\":\"x\"}", "r2", "{\"Code\":\"y\"}",
                "r3", "{\"Code\":\"y\"}", "r4", "{\"Code\":\"x\"}");
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
        TableRules t = uniqueFinished("Email",
                "recA", "{\"Email\":\"a@x.com\"}", "recB", "{\"Email\":\"A@x.com\"}");
        assertThat(issues).isEmpty();
        assertThat(t.counts()).containsExactly(Map.entry("unique:Email", 0L));
    }

    @Test
    void uniqueComparesNonStringValuesByCompactJson() {
        uniqueFinished("Tags", "r1", "{\"Tags\":[\"a\", \"b\"]}", "r2", "{\"Tags\":[\"a\",\"b\"]}",
                "r3", "{\"Tags\":[\"b\",\"a\"]}");
        assertThat(issues).containsExactlyElementsOf(shared("Tags", "[\"a\",\"b\"]", "r1", "r2"));
    }

    @Test
    void uniqueTreatsNumberAndStringWithSameTextAsDifferent() {
        uniqueFinished("N", "r1", "{\"N\":1}", "r2", "{\"N\":\"1\"}", "r3", "{\"N\":1}");
        assertThat(issues).extracting(Issue::recordId).containsExactly("r1", "r3");
        assertThat(issues).extracting(Issue::message)
                .containsOnly("Value '1' of 'N' is shared by 2 records: r1, r3");
    }

    @Test
    void uniqueSkipsRecordsWithoutValue() {
        TableRules t = uniqueFinished("Email", "r1", "{}", "r2", "{}", "r3", "{\"Email\":null}",
                "r4", "{\"Email\":\"  \"}", "r5", "{\"Email\":\"  \"}",
                "r6", "{\"Email\":[]}", "r7", "{\"Email\":[]}");
        assertThat(issues).isEmpty();
        assertThat(t.issueCount()).isZero();
    }

    @Test
    void uniqueListsAtMostTenIdsThenHowManyMore() {
        TableRules t = uniqueFinished("Email", sameValue(12, "{\"Email\":\"dup\"}"));
        assertThat(issues).hasSize(12);
        assertThat(issues).extracting(Issue::message).containsOnly(
                "Value 'dup' of 'Email' is shared by 12 records: r1, r2, r3, r4, r5, r6, r7, r8, r9, r10 and 2 more");
        assertThat(t.issueCount()).isEqualTo(12);
    }

    @Test
    void uniqueListsExactlyTenIdsWithoutMore() {
        uniqueFinished("Email", sameValue(10, "{\"Email\":\"dup\"}"));
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
        String longText = "{\"Notes\":\"" + "n".repeat(300) + "\"}";
        uniqueFinished("Notes", "r1", longText, "r2", longText);
        String excerpt = "n".repeat(199) + "…";
        assertThat(issues).containsExactlyElementsOf(shared("Notes", excerpt, "r1", "r2"));
    }

    @Test
    void uniqueTellsApartStringsThatDifferOnlyInLoneSurrogates() {
        uniqueFinished("N", "r1", "{\"N\":\"\\ud800x\"}", "r2", "{\"N\":\"\\udbffx\"}");
        assertThat(issues).isEmpty();
    }

    @Test
    void uniqueMessageListsExcerptsOfLongRecordIds() {
        uniqueFinished("N", "recA" + "a".repeat(10_000), "{\"N\":\"v\"}",
                "recB" + "b".repeat(10_000), "{\"N\":\"v\"}");
        String cut1 = "recA" + "a".repeat(195) + "…";
        String cut2 = "recB" + "b".repeat(195) + "…";
        assertThat(issues).containsExactlyElementsOf(shared("N", "v", cut1, cut2));
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
        assertThat(issues).containsExactlyElementsOf(shared("Notes", excerpt, "rS1", "rS2"));
        assertThat(t.counts()).containsExactly(Map.entry("unique:Notes", 2L));
    }

    /** A run's only table {@code T} with a unique rule on {@code field}, fed {@code id, fields JSON, ...}, finished. */
    private TableRules uniqueFinished(String field, String... idsAndFields) {
        TableRules t = single(RuleSpec.unique(field));
        for (int i = 0; i < idsAndFields.length; i += 2) {
            t.accept(idsAndFields[i], json(idsAndFields[i + 1]));
        }
        t.finishTable();
        return t;
    }

    /** {@code r1, fields, r2, fields, ...} for {@code n} records with the same fields. */
    private static String[] sameValue(int n, String fields) {
        String[] idsAndFields = new String[2 * n];
        for (int i = 0; i < n; i++) {
            idsAndFields[2 * i] = "r" + (i + 1);
            idsAndFields[2 * i + 1] = fields;
        }
        return idsAndFields;
    }

    /** The issues of one value shared by {@code ids}, in that order; {@code shown} is the value as issues show it. */
    private static List<Issue> shared(String field, String shown, String... ids) {
        String message = "Value '" + shown + "' of '" + field + "' is shared by " + ids.length + " records: "
                + String.join(", ", ids);
        return Arrays.stream(ids).map(id -> issue("T", id, field, "unique", shown, message)).toList();
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
