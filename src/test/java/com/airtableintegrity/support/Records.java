package com.airtableintegrity.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Builds Airtable records with predictable ids ({@code rec} + prefix + zero-padded number, 17 characters). */
public final class Records {
    private Records() {
    }

    public static String id(char prefix, int n) {
        return "rec" + prefix + String.format("%013d", n);
    }

    public static List<Map<String, Object>> of(char prefix, int count, IntFunction<Map<String, Object>> fields) {
        List<Map<String, Object>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(AirtableDouble.record(id(prefix, i), fields.apply(i)));
        }
        return records;
    }
}
