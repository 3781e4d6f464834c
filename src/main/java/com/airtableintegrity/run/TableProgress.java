package com.airtableintegrity.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** How far one table of a run got. Written by the table's branch thread, read by the run's finisher. */
public final class TableProgress {
    private final String table;
    private volatile long pages;
    private volatile long records;
    private volatile int restarts;
    private volatile boolean finished;
    private volatile String error;

    TableProgress(String table) {
        this.table = table;
    }

    public String table() { return table; }
    public long pages() { return pages; }
    public long records() { return records; }
    public int restarts() { return restarts; }
    public boolean finished() { return finished; }
    public String error() { return error; }

    public void pageDone(int recordsOnPage) {
        pages++;
        records += recordsOnPage;
    }

    /** The iteration starts again from page 1: what was counted so far is discarded. */
    public void restarted() {
        restarts++;
        pages = 0;
        records = 0;
    }

    public void finished(boolean value) {
        this.finished = value;
    }

    public void failed(String message) {
        this.error = message;
    }

    /** The table's entry in the run document's {@code table_results} map. */
    public Map<String, Object> toDocument(Map<String, Long> ruleCounts, long issues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("finished", finished);
        m.put("records", records);
        m.put("pages", pages);
        m.put("restarts", restarts);
        m.put("issues", issues);
        m.put("issues_by_rule", new LinkedHashMap<>(ruleCounts));
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }
}
