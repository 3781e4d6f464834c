package com.airtableintegrity.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.airtableintegrity.diff.IssueIdentities;
import com.airtableintegrity.rules.Issue;

/**
 * Keeps the first {@code maxStored} issues of a run for storage, and the identity of every issue for the run-to-run
 * diff ({@link IssueIdentities}); the rules keep the exact counts.
 */
public final class IssueCollector implements Consumer<Issue> {
    private final int maxStored;
    private final List<Issue> kept = new ArrayList<>();
    private final IssueIdentities identities = new IssueIdentities();

    public IssueCollector(int maxStored) {
        this.maxStored = maxStored;
    }

    @Override
    public synchronized void accept(Issue issue) {
        if (kept.size() < maxStored) {
            kept.add(issue);
        }
        identities.add(issue);
    }

    /** A table's iteration restarted from page 1: forget what it reported, so nothing is stored twice. */
    public synchronized void discardTable(String table) {
        kept.removeIf(issue -> table.equals(issue.table()));
        identities.discardTable(table);
    }

    /** Every issue's identity. */
    public IssueIdentities identities() {
        return identities;
    }

    public synchronized List<Issue> kept() {
        return List.copyOf(kept);
    }
}
