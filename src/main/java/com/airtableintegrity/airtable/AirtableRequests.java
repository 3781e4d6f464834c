package com.airtableintegrity.airtable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.airtableintegrity.metrics.RunnerMetrics;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunExchange;

/**
 * The request side of route {@code integrity-scan-table}: start a table (choosing the fields it downloads, see
 * {@link FieldProjection}), wait out a pending retry before the throttle, and after it build the request (path,
 * query, token) and arm its wall-clock bound.
 */
public final class AirtableRequests {
    private final AirtableSettings settings;
    private final AirtableRequestGuard guard;
    private final RunnerMetrics metrics;

    public AirtableRequests(AirtableSettings settings, AirtableRequestGuard guard, RunnerMetrics metrics) {
        this.settings = settings;
        this.guard = guard;
        this.metrics = metrics;
    }

    /** Starts a table: the body is the table name; the run is in property {@link RunExchange#RUN}. */
    public void begin(Exchange exchange) {
        RunContext run = exchange.getProperty(RunExchange.RUN, RunContext.class);
        String table = exchange.getMessage().getBody(String.class);
        TableScan scan = new TableScan(run, table);
        exchange.setProperty(RunExchange.SCAN, scan);
        exchange.getMessage().removeHeaders("*");
        FieldProjection.choose(scan);
    }

    /** Before the throttle: stop if the run is over, then wait out any pending backoff (bounded by the deadline). */
    public void prepare(Exchange exchange) {
        TableScan scan = TableScan.of(exchange);
        scan.run().ensureActive();
        Duration wait = scan.takePendingWait();
        if (!wait.isZero()) {
            scan.run().pause(wait);
        }
        scan.enteredThrottle();
    }

    /**
     * After the throttle, right before camel-http: check again, set path, query and token, arm the wall-clock bound.
     */
    public void send(Exchange exchange) {
        TableScan scan = TableScan.of(exchange);
        RunContext run = scan.run();
        // the time since prepare, the step before the route's Throttle EIPs
        long throttled = System.nanoTime() - scan.throttleEnteredNanos();
        run.counters().throttleWaitMillis.addAndGet(TimeUnit.NANOSECONDS.toMillis(throttled));
        metrics.throttleWaited("throttle", throttled);
        run.ensureActive();
        scan.attemptStarting();
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(null);
        if (scan.readingSchema()) {
            m.setHeader(Exchange.HTTP_PATH, "/meta/bases/" + encode(run.baseId()) + "/tables");
            m.setHeader(Exchange.HTTP_QUERY, ""); // else camel-http sends the endpoint's own options as the query
        } else {
            m.setHeader(Exchange.HTTP_PATH, "/" + encode(run.baseId()) + "/" + encode(scan.table()));
            StringBuilder query = new StringBuilder("pageSize=").append(settings.pageSize());
            query.append(FieldProjection.query(scan.fields()));
            if (scan.offset() != null) {
                query.append("&offset=").append(encode(scan.offset()));
            }
            m.setHeader(Exchange.HTTP_QUERY, query.toString());
        }
        m.setHeader("Authorization", "Bearer " + settings.token());
        run.counters().requests.incrementAndGet();
        long bound = Math.min(run.requestTimeoutOr(settings.requestTimeout()).toMillis(),
                Math.max(0, run.remainingMillis()));
        guard.arm(bound, run);
    }

    private static String encode(String segment) {
        return FieldProjection.encode(segment);
    }
}
