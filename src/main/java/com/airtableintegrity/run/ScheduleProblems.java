package com.airtableintegrity.run;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stored schedule documents this runner does not apply, each with why: not a schedule (a field of the wrong type),
 * not valid (a problem the validator names, e.g. a pattern over its budget), or beyond
 * {@code integrity.schedule.max-stored}. Written by {@link ScheduleSync}, which sees every document; shown by the REST
 * API and the console, so a schedule that does not fire says so where its owner looks, not only in the log.
 */
public final class ScheduleProblems {
    private final Map<String, String> byId = new ConcurrentHashMap<>();

    void set(String id, String problem) {
        byId.put(id, problem);
    }

    void clear(String id) {
        byId.remove(id);
    }

    /** Schedule id → why it is not applied, by id. */
    public SortedMap<String, String> all() {
        return new TreeMap<>(byId);
    }

    /** Why this schedule is not applied, or null when it is (or is unknown). */
    public String of(String id) {
        return byId.get(id);
    }
}
