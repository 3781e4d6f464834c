package com.airtableintegrity.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.airtableintegrity.rules.Issue;

/**
 * Keeps the first {@code maxStored} issues of a run for storage (the rules keep the exact counts).
 * Bounded memory: issues past the cap are counted, not kept.
 */
public final class IssueCollector implements Consumer<Issue> {
    private final int maxStored;
    private final List<Issue> kept = new ArrayList<>();
    private long seen;

    public IssueCollector(int maxStored) {
        this.maxStored = maxStored;
    }

    @Override
    public synchronized void accept(Issue issue) {
        seen++;
        if (kept.size() < maxStored) {
            kept.add(issue);
        }
    }

    public synchronized List<Issue> kept() {
        return List.copyOf(kept);
    }

    /** Issues reported to the collector, stored or not. */
    public synchronized long seen() {
        return seen;
    }

    public synchronized boolean truncated() {
        return seen > kept.size();
    }
}
