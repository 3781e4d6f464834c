package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinksToRuleTest extends RulesFixture {
    private final RunRules run = run(
            table("Customers", RuleSpec.linksTo("Orders", "Orders")),
            table("Orders", RuleSpec.required("Total")));
    private final TableRules customers = run.table("Customers");
    private final TableRules orders = run.table("Orders");

    private static String broken(String id) {
        return "'Orders' links to " + id + ", which is not a record of table 'Orders'";
    }

    private void scanOrders(String... ids) {
        for (String id : ids) {
            orders.accept(id, json("{\"Total\":1}"));
        }
        orders.finishTable();
    }

    @Test
    void linksToReportsEachBrokenReference() {
        customers.accept("c1", json("{\"Orders\":[\"o1\",\"oGone\",\"o2\",\"oLost\"]}"));
        customers.accept("c2", json("{\"Orders\":[\"oGone\"]}"));
        customers.finishTable();
        scanOrders("o1", "o2");
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).containsExactly(
                issue("Customers", "c1", "Orders", "links_to", "oGone", broken("oGone")),
                issue("Customers", "c1", "Orders", "links_to", "oLost", broken("oLost")),
                issue("Customers", "c2", "Orders", "links_to", "oGone", broken("oGone")));
        assertThat(customers.counts()).containsExactly(Map.entry("links_to:Orders", 3L));
        assertThat(run.totalIssues()).isEqualTo(3);
    }

    @Test
    void linksToAcceptsLinksToAnyRecordScannedInTheTargetAcrossPages() {
        customers.accept("c1", json("{\"Orders\":[\"o1\",\"o250\"]}"));
        customers.finishTable();
        for (int i = 1; i <= 300; i++) {
            orders.accept("o" + i, json("{\"Total\":1}"));
        }
        orders.finishTable();
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).isEmpty();
        assertThat(run.totalIssues()).isZero();
    }

    @Test
    void linksToIsNotEvaluatedBeforeFinishRun() {
        customers.accept("c1", json("{\"Orders\":[\"oGone\"]}"));
        customers.finishTable();
        scanOrders("o1");
        assertThat(issues).isEmpty();
        assertThat(customers.issueCount()).isZero();
    }

    @Test
    void linksToIgnoredWhenTargetTableDidNotFinish() {
        customers.accept("c1", json("{\"Orders\":[\"oGone\"]}"));
        customers.finishTable();
        orders.accept("o1", json("{\"Total\":1}"));
        run.finishRun(Set.of("Customers"));
        assertThat(issues).isEmpty();
        assertThat(customers.counts()).containsExactly(Map.entry("links_to:Orders", 0L));
    }

    @Test
    void linksToIgnoredWhenSourceTableDidNotFinish() {
        customers.accept("c1", json("{\"Orders\":[\"oGone\"]}"));
        scanOrders("o1");
        run.finishRun(Set.of("Orders"));
        assertThat(issues).isEmpty();
        assertThat(customers.counts()).containsExactly(Map.entry("links_to:Orders", 0L));
    }

    @Test
    void linksToFlagsNonArrayValueWithOneIssue() {
        customers.accept("c1", json("{\"Orders\":\"o1\"}"));
        customers.accept("c2", json("{\"Orders\":{\"id\":\"o1\"}}"));
        customers.finishTable();
        scanOrders("o1");
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).containsExactly(
                issue("Customers", "c1", "Orders", "links_to", "o1",
                        "'Orders' is not a linked-record field (value: o1)"),
                issue("Customers", "c2", "Orders", "links_to", "{\"id\":\"o1\"}",
                        "'Orders' is not a linked-record field (value: {\"id\":\"o1\"})"));
        assertThat(customers.issueCount()).isEqualTo(2);
    }

    @Test
    void linksToFlagsArrayWithNonStringElementOnceForTheWholeValue() {
        customers.accept("c1", json("{\"Orders\":[\"oGone\",1]}"));
        customers.finishTable();
        scanOrders("o1");
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).containsExactly(issue("Customers", "c1", "Orders", "links_to", "[\"oGone\",1]",
                "'Orders' is not a linked-record field (value: [\"oGone\",1])"));
    }

    @Test
    void linksToSkipsRecordsWithoutLinks() {
        customers.accept("c1", json("{}"));
        customers.accept("c2", json("{\"Orders\":[]}"));
        customers.accept("c3", json("{\"Orders\":null}"));
        customers.finishTable();
        scanOrders();
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).isEmpty();
    }

    @Test
    void linksToWorksWithinTheSameTable() {
        RunRules self = run(table("People", RuleSpec.linksTo("Manager", "People")));
        TableRules people = self.table("People");
        people.accept("p1", json("{\"Manager\":[\"p2\"]}"));
        people.accept("p2", json("{\"Manager\":[\"p9\"]}"));
        people.accept("p3", json("{}"));
        people.finishTable();
        self.finishRun(Set.of("People"));
        assertThat(issues).containsExactly(issue("People", "p2", "Manager", "links_to", "p9",
                "'Manager' links to p9, which is not a record of table 'People'"));
        assertThat(self.totalIssues()).isEqualTo(1);
    }

    @Test
    void linksToEvaluatedOnlyOnceWhenFinishRunIsCalledTwice() {
        customers.accept("c1", json("{\"Orders\":[\"oGone\"]}"));
        customers.finishTable();
        scanOrders("o1");
        run.finishRun(Set.of("Customers", "Orders"));
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).hasSize(1);
        assertThat(run.totalIssues()).isEqualTo(1);
    }

    @Test
    void resetOfTargetTableForgetsItsRecordIds() {
        customers.accept("c1", json("{\"Orders\":[\"o1\",\"o2\"]}"));
        customers.finishTable();
        orders.accept("o1", json("{\"Total\":1}"));
        orders.accept("oStale", json("{\"Total\":1}"));
        orders.reset();
        scanOrders("o1", "o2");
        // o2 was linked and scanned after the reset; nothing broken
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).isEmpty();
    }

    @Test
    void resetOfTargetTableMakesIdsSeenOnlyBeforeTheResetBroken() {
        customers.accept("c1", json("{\"Orders\":[\"oStale\"]}"));
        customers.finishTable();
        orders.accept("oStale", json("{\"Total\":1}"));
        orders.reset();
        scanOrders("o1");
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).containsExactly(
                issue("Customers", "c1", "Orders", "links_to", "oStale", broken("oStale")));
    }

    @Test
    void resetOfSourceTableForgetsItsLinkPairs() {
        customers.accept("c1", json("{\"Orders\":[\"oGone\"]}"));
        customers.reset();
        customers.accept("c1", json("{\"Orders\":[\"o1\"]}"));
        customers.finishTable();
        scanOrders("o1");
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(issues).isEmpty();
        assertThat(run.totalIssues()).isZero();
    }

    @Test
    void linksToTargetMustBeAConfiguredTable() {
        assertThatThrownBy(() -> run(table("Customers", RuleSpec.linksTo("Orders", "Ordres"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Ordres'");
    }

    @Test
    void aHugeLinkedIdGivesAnIssueWithExcerptsOnly() {
        String id = "rec" + "x".repeat(1_100_000); // 1.1 MB: the issue would be too large for Firestore
        customers.accept("c1", json("{\"Orders\":[\"" + id + "\"]}"));
        customers.finishTable();
        scanOrders("o1");
        run.finishRun(Set.of("Customers", "Orders"));
        String excerpt = "rec" + "x".repeat(196) + "…";
        assertThat(issues).containsExactly(issue("Customers", "c1", "Orders", "links_to", excerpt, broken(excerpt)));
        assertThat(issues.get(0).value()).hasSize(200);
        assertThat(issues.get(0).message()).hasSize(259).hasSizeLessThanOrEqualTo(Issue.MAX_MESSAGE);
    }

    @Test
    void linksToHandlesManyPairsBeyondInitialCapacity() {
        for (int i = 0; i < 1000; i++) {
            customers.accept("c" + i, json("{\"Orders\":[\"o" + i + "\",\"x" + i + "\"]}"));
        }
        customers.finishTable();
        for (int i = 0; i < 1000; i++) {
            orders.accept("o" + i, json("{\"Total\":1}"));
        }
        orders.finishTable();
        run.finishRun(Set.of("Customers", "Orders"));
        assertThat(customers.counts()).containsExactly(Map.entry("links_to:Orders", 1000L));
        assertThat(issues).hasSize(1000);
        assertThat(issues.get(999)).isEqualTo(issue("Customers", "c999", "Orders", "links_to", "x999", broken("x999")));
    }
}
