package com.airtableintegrity.rules.bench;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.rules.RunRules;
import com.airtableintegrity.rules.TableRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test (no {@code @Test}): a rough cost measurement of the rules engine, one rule of each type.
 * Run with {@code java -cp <test classpath> com.airtableintegrity.rules.bench.RulesBench [records]}.
 */
public final class RulesBench {
    private RulesBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ObjectMapper mapper = new ObjectMapper();
        JsonNode[] fields = new JsonNode[n];
        for (int i = 0; i < n; i++) {
            fields[i] = mapper.readTree("{\"Name\":\"Person " + i + "\",\"Email\":\"user" + (i % (n - 10)) + "@example.com\","
                    + "\"Status\":\"" + (i % 50 == 0 ? "Bogus" : "Active") + "\",\"Orders\":[\"rec" + i + "\",\"rec"
                    + (i + 1) + "\"]}");
        }
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "rec" + i;
        }
        for (int round = 0; round < 5; round++) {
            AtomicLong sunk = new AtomicLong();
            RunRules run = new RunRules(List.of(new TableSpec("People", List.of(
                    RuleSpec.required("Name"), RuleSpec.unique("Email"),
                    RuleSpec.allowedValues("Status", List.of("Active", "Inactive")),
                    RuleSpec.pattern("Email", "[^@\\s]+@[^@\\s]+\\.[a-z]+"),
                    RuleSpec.linksTo("Orders", "People")))), issue -> sunk.incrementAndGet());
            TableRules t = run.table("People");
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                t.accept(ids[i], fields[i]);
            }
            t.finishTable();
            run.finishRun(Set.of("People"));
            long ns = System.nanoTime() - start;
            System.out.printf("round %d: %d records, 5 rules, %.0f ns/record (%.0f ns/record/rule), issues %d %s%n",
                    round, n, (double) ns / n, (double) ns / n / 5, run.totalIssues(), t.counts());
        }
    }
}
