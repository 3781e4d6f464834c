package com.airtableintegrity.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.Records;

/**
 * Benchmark data: tables {@code T1..Tn} of synthetic customer records (6 fields, ~230 bytes of JSON each), every
 * table checked by all five rule types, {@code links_to} pointing at the next table (cyclic, so every table is also a
 * link target and its record ids are kept). About 10% of records carry exactly one defect, rotating over the rules.
 */
final class BenchData {
    static final String EMAIL_REGEX = "[^@\\s]+@[^@\\s]+\\.[a-z]+";
    static final List<String> STATUSES = List.of("Active", "Paused", "Churned");

    private BenchData() {
    }

    static String tableName(int t) {
        return "T" + (t + 1);
    }

    static char prefix(int t) {
        return (char) ('A' + t);
    }

    /** The records of table {@code t} of {@code tables}; links point at the same position in table {@code (t+1)%tables}. */
    static List<Map<String, Object>> records(int t, int tables, int count, boolean defects) {
        char own = prefix(t);
        char target = prefix((t + 1) % tables);
        List<Map<String, Object>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            int defect = defects && i % 10 == 3 ? (i / 10) % 5 : -1;
            f.put("Name", defect == 0 ? null : "Customer " + i + " of " + tableName(t));
            f.put("Email", switch (defect) {
                case 1 -> email(t, i - 1); // duplicate of the previous record: a unique issue on both
                case 2 -> "not-an-email-" + i;
                default -> email(t, i);
            });
            f.put("Status", defect == 3 ? "Unknown" : STATUSES.get(i % 3));
            f.put("Owner", List.of(defect == 4 ? "recMISSING" + String.format("%07d", i) : Records.id(target, i)));
            f.put("Amount", (i * 7919L) % 100_000 / 100.0);
            f.put("Notes", "Synthetic benchmark record number " + i + ", nothing to see here.");
            out.add(AirtableDouble.record(Records.id(own, i), f));
        }
        return out;
    }

    private static String email(int t, int i) {
        return "user" + i + "@t" + (t + 1) + ".example.com";
    }

    /** Issues the data above yields per table of {@code count} records (defects on). */
    static long expectedIssues(int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            if (i % 10 == 3) {
                n += (i / 10) % 5 == 1 ? 2 : 1;
            }
        }
        return n;
    }

    /**
     * Figure 10's records: the customer fields the rules read (Name, Email, Status), plus what real bases carry beside
     * them: a 4 KB long text "Notes" and an attachments array "Photos" of two files, shaped like Airtable's.
     */
    static List<Map<String, Object>> wideRecords(int count) {
        String notes = "Long text. ".repeat(373).substring(0, 4096);
        List<Map<String, Object>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("Name", "Customer " + i);
            f.put("Email", email(0, i));
            f.put("Status", STATUSES.get(i % 3));
            f.put("Notes", notes);
            f.put("Photos", List.of(attachment(i, 1), attachment(i, 2)));
            out.add(AirtableDouble.record(Records.id('W', i), f));
        }
        return out;
    }

    /** Figure 10's rules: they read Name, Email and Status only. */
    static List<RuleSpec> wideRules() {
        return List.of(RuleSpec.required("Name"), RuleSpec.unique("Email"), RuleSpec.pattern("Email", EMAIL_REGEX),
                RuleSpec.allowedValues("Status", STATUSES));
    }

    private static Map<String, Object> attachment(int record, int n) {
        String url = "https://v5.airtableusercontent.com/v3/u/29/29/1700000000000/" + record + "x" + n + "/photo.jpg";
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", "att" + String.format("%014d", record * 10L + n));
        a.put("width", 1024);
        a.put("height", 768);
        a.put("url", url);
        a.put("filename", "photo-" + record + "-" + n + ".jpg");
        a.put("size", 183_000 + record);
        a.put("type", "image/jpeg");
        a.put("thumbnails", Map.of(
                "small", Map.of("url", url + "?s", "width", 48, "height", 36),
                "large", Map.of("url", url + "?l", "width", 512, "height", 384)));
        return a;
    }

    /**
     * Figures 13 and 14: table {@code t}'s {@code count} records with only a Name. {@code defective} of them, spread
     * evenly, have none; then the first {@code fixed} of those get one back and the first {@code broken} of the others
     * lose theirs. Under {@link #requiredName} the table has exactly {@code defective - fixed + broken} issues.
     */
    static List<Map<String, Object>> plantedRecords(int t, int count, int defective, int fixed, int broken) {
        if (defective < 0 || defective > count || fixed < 0 || fixed > defective || broken < 0
                || broken > count - defective) {
            throw new IllegalArgumentException("planted " + count + " records, " + defective + " defective, " + fixed
                    + " fixed, " + broken + " broken: fixed must be 0.." + defective + " and broken 0.."
                    + (count - defective));
        }
        List<Map<String, Object>> out = new ArrayList<>(count);
        int fixedLeft = fixed;
        int brokenLeft = broken;
        for (int i = 0; i < count; i++) {
            boolean empty = (long) (i + 1) * defective / count > (long) i * defective / count;
            if (empty && fixedLeft > 0) {
                empty = false;
                fixedLeft--;
            } else if (!empty && brokenLeft > 0) {
                empty = true;
                brokenLeft--;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("Name", empty ? null : "Customer " + i + " of " + tableName(t));
            out.add(AirtableDouble.record(Records.id(prefix(t), i), f));
        }
        return out;
    }

    /** Figures 13 and 14's rules: one {@code required} rule on Name in each table. */
    static List<TableSpec> requiredName(int tables) {
        List<TableSpec> specs = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            specs.add(new TableSpec(tableName(t), List.of(RuleSpec.required("Name"))));
        }
        return specs;
    }

    /** All five rule types on every table; links_to is cyclic over the tables. */
    static List<TableSpec> allRules(int tables) {
        List<TableSpec> specs = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            specs.add(new TableSpec(tableName(t), List.of(
                    RuleSpec.required("Name"),
                    RuleSpec.required("Email"),
                    RuleSpec.unique("Email"),
                    RuleSpec.pattern("Email", EMAIL_REGEX),
                    RuleSpec.allowedValues("Status", STATUSES),
                    RuleSpec.linksTo("Owner", tableName((t + 1) % tables)))));
        }
        return specs;
    }
}
