package com.airtableintegrity.airtable;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;

import com.airtableintegrity.rules.TableRules;
import com.airtableintegrity.run.FailureSite;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.run.TableProgress;

/**
 * The paging state of one table in one run, carried by the table's exchange (property {@code integrityTableScan}).
 * Only the table's own branch thread touches it.
 */
public final class TableScan implements FailureSite {
    private final RunContext run;
    private final String table;
    private final TableRules rules;
    private final TableProgress progress;

    /** The fields to download; null: all of them. */
    private List<String> fields;
    /** Set while the base's schema is to be read before the first page. */
    private BaseSchema schema;
    private String offset;
    private boolean morePages = true;
    private int restarts;
    // the page being fetched: attempts and waits are per page
    private int attempts;
    private int rateLimitAttempts;
    private long pageStartedNanos;
    private Duration pendingWait = Duration.ZERO;
    private long throttleEnteredNanos;

    TableScan(RunContext run, String table) {
        this.run = run;
        this.table = table;
        this.rules = run.rules().table(table);
        this.progress = run.progress(table);
    }

    /** The scan of the table this exchange pages through. */
    static TableScan of(Exchange exchange) {
        return exchange.getProperty(RunExchange.SCAN, TableScan.class);
    }

    public RunContext run() { return run; }
    @Override
    public String table() { return table; }
    public TableRules rules() { return rules; }
    public TableProgress progress() { return progress; }
    public String offset() { return offset; }
    List<String> fields() { return fields; }
    BaseSchema schema() { return schema; }

    /** Read by the route: the request in flight is the base's schema, not a page. */
    public boolean readingSchema() {
        return schema != null;
    }

    void project(List<String> fields) {
        this.fields = fields;
    }

    /** The first request of this table reads the base's schema. */
    void readSchemaFirst(BaseSchema baseSchema) {
        this.schema = baseSchema;
    }

    /** The schema was answered: page 1 comes next, with these fields (null: all). */
    void schemaDone(List<String> projected) {
        this.fields = projected;
        this.schema = null;
        attempts = 0;
        rateLimitAttempts = 0;
    }

    /** Read by the route's loop predicate. */
    public boolean hasMorePages() {
        return morePages;
    }

    @Override
    public String where() {
        return readingSchema() ? "table '" + table + "' (schema of base " + run.baseId() + ")"
                : FailureSite.super.where();
    }

    @Override
    public long pageNumber() {
        return progress.pages() + 1;
    }

    int attempts() { return attempts; }
    int rateLimitAttempts() { return rateLimitAttempts; }
    int restarts() { return restarts; }
    long pageStartedNanos() { return pageStartedNanos; }

    void attemptStarting() {
        if (attempts == 0 && rateLimitAttempts == 0) {
            pageStartedNanos = System.nanoTime();
        }
    }

    void countTransientFailure() { attempts++; }
    void countRateLimited() { rateLimitAttempts++; }

    Duration takePendingWait() {
        Duration w = pendingWait;
        pendingWait = Duration.ZERO;
        return w;
    }

    void waitBeforeNextAttempt(Duration wait) {
        pendingWait = wait;
    }

    void enteredThrottle() { throttleEnteredNanos = System.nanoTime(); }
    long throttleEnteredNanos() { return throttleEnteredNanos; }

    @Override
    public void failed(String message) {
        progress.failed(message);
    }

    /** A page arrived and was accepted: go on with the next one, or stop on the last. */
    void pageAccepted(String nextOffset, int records) {
        progress.pageDone(records);
        offset = nextOffset;
        morePages = nextOffset != null;
        attempts = 0;
        rateLimitAttempts = 0;
    }

    /** The iteration expired: start the table again from page 1 with fresh rule state. */
    void restart() {
        restarts++;
        offset = null;
        morePages = true;
        attempts = 0;
        rateLimitAttempts = 0;
        rules.reset();
        run.issues().discardTable(table);
        progress.restarted();
    }
}
