package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRulesTest extends RulesFixture {

    @Test
    void unknownTableIsRejectedWithItsName() {
        RunRules run = run(table("A"));
        assertThatThrownBy(() -> run.table("Nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Nope'");
    }

    @Test
    void tableReturnsTheSameStateEveryTime() {
        RunRules run = run(table("A"));
        assertThat(run.table("A")).isSameAs(run.table("A"));
    }

    @Test
    void duplicateTableNamesAreRejected() {
        assertThatThrownBy(() -> run(table("A"), table("A")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'A'");
    }

    @Test
    void unknownRuleTypeIsRejected() {
        assertThatThrownBy(() -> run(table("A", new RuleSpec("mandatory", "Name"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mandatory");
    }

    @Test
    void totalIssuesSumsAllTablesExactly() {
        RunRules run = run(table("A", RuleSpec.required("X")), table("B", RuleSpec.unique("Y")));
        run.table("A").accept("a1", json("{}"));
        run.table("A").accept("a2", json("{}"));
        run.table("B").accept("b1", json("{\"Y\":1}"));
        run.table("B").accept("b2", json("{\"Y\":1}"));
        run.table("B").finishTable();
        assertThat(run.totalIssues()).isEqualTo(4);
        assertThat(issues).extracting(Issue::table).containsExactly("A", "A", "B", "B");
    }

    @Test
    void distinctTablesCanBeFedFromDistinctThreads() throws Exception {
        List<TableSpec> specs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            specs.add(table("T" + t, RuleSpec.required("Name"), RuleSpec.unique("Code"),
                    RuleSpec.linksTo("Ref", "T" + ((t + 1) % 8))));
        }
        RunRules run = new RunRules(specs, issues::add);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                TableRules table = run.table("T" + t);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 5000; i++) {
                        // every 10th record lacks Name; codes repeat in pairs; every 100th link is broken
                        String name = i % 10 == 0 ? "" : ",\"Name\":\"n\"";
                        String ref = i % 100 == 0 ? "\"gone\"" : "\"r" + i + "\"";
                        table.accept("r" + i, json("{\"Code\":\"c" + (i / 2) + "\",\"Ref\":[" + ref + "]" + name + "}"));
                    }
                    table.finishTable();
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        Set<String> finished = Set.of("T0", "T1", "T2", "T3", "T4", "T5", "T6", "T7");
        run.finishRun(finished);
        for (int t = 0; t < 8; t++) {
            assertThat(run.table("T" + t).counts()).containsExactly(
                    java.util.Map.entry("required:Name", 500L),
                    java.util.Map.entry("unique:Code", 5000L),
                    java.util.Map.entry("links_to:Ref", 50L));
            assertThat(run.table("T" + t).records()).isEqualTo(5000);
        }
        assertThat(run.totalIssues()).isEqualTo(8 * 5550L);
        assertThat(issues).hasSize(8 * 5550);
    }
}
