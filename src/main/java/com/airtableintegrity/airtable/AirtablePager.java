package com.airtableintegrity.airtable;

import java.io.ByteArrayInputStream;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunStoppedException;

/**
 * The steps of the page loop in route {@code integrity-scan-table}: prepare and bound each request, read each answer,
 * and decide what a failed answer means (retry the page, wait out a 429, restart an expired iteration, or fail the
 * table with a message a user can act on).
 */
public final class AirtablePager {
    private static final Logger LOG = LoggerFactory.getLogger(AirtablePager.class);

    public static final String RUN = "integrityRun";
    public static final String SCAN = "integrityTableScan";
    private static final String ITERATOR_EXPIRED = "LIST_RECORDS_ITERATOR_NOT_AVAILABLE";

    private final AirtableSettings settings;
    private final AirtableRequestGuard guard;

    public AirtablePager(AirtableSettings settings, AirtableRequestGuard guard) {
        this.settings = settings;
        this.guard = guard;
    }

    /** Starts a table: the body is the table name; the run is in property {@code integrityRun}. */
    public void begin(Exchange exchange) {
        RunContext run = exchange.getProperty(RUN, RunContext.class);
        String table = exchange.getMessage().getBody(String.class);
        exchange.setProperty(SCAN, new TableScan(run, table));
        exchange.getMessage().removeHeaders("*");
    }

    /** Before the throttle: stop if the run is over, then wait out any pending backoff (bounded by the deadline). */
    public void prepareRequest(Exchange exchange) {
        TableScan scan = scan(exchange);
        scan.run().ensureActive();
        Duration wait = scan.takePendingWait();
        if (!wait.isZero()) {
            scan.run().pause(wait);
        }
        scan.enteredThrottle();
    }

    /** After the throttle, right before camel-http: check again, set path, query and token, arm the wall-clock bound. */
    public void beforeSend(Exchange exchange) {
        TableScan scan = scan(exchange);
        RunContext run = scan.run();
        run.counters().throttleWaitMillis.addAndGet(
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scan.throttleEnteredNanos()));
        run.ensureActive();
        scan.attemptStarting();
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(null);
        m.setHeader(Exchange.HTTP_PATH, "/" + encode(settings.baseId()) + "/" + encode(scan.table()));
        StringBuilder query = new StringBuilder("pageSize=").append(settings.pageSize());
        if (scan.offset() != null) {
            query.append("&offset=").append(URLEncoder.encode(scan.offset(), StandardCharsets.UTF_8));
        }
        m.setHeader(Exchange.HTTP_QUERY, query.toString());
        m.setHeader("Authorization", "Bearer " + settings.token());
        run.counters().requests.incrementAndGet();
        long bound = Math.min(settings.requestTimeout().toMillis(), Math.max(0, run.remainingMillis()));
        guard.arm(bound, run);
    }

    /** camel-http answered (any status): read the page or act on the error. */
    public void onResponse(Exchange exchange) {
        guard.disarm();
        TableScan scan = scan(exchange);
        Message m = exchange.getMessage();
        m.removeHeader("Authorization");
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = m.getBody(byte[].class);
        m.setBody(null);
        if (body == null) {
            body = new byte[0];
        }
        scan.run().ensureActive();
        if (status == 200) {
            acceptPage(scan, body);
            return;
        }
        AirtableError error = AirtableError.of(status, body);
        if (status == 429) {
            rateLimited(scan, m.getHeader("Retry-After", String.class), error);
        } else if (status >= 500) {
            transientFailure(scan, error.describe());
        } else if (status == 422 && ITERATOR_EXPIRED.equals(error.type())) {
            iteratorExpired(scan, error);
        } else {
            throw new AirtableException(permanentFailure(scan, error));
        }
    }

    /** camel-http threw (connect failure, reset, read timeout, cut-off by the wall-clock bound, truncated body). */
    public void onTransportFailure(Exchange exchange) {
        AirtableRequestGuard.Armed armed = guard.disarm();
        exchange.getMessage().removeHeader("Authorization");
        TableScan scan = scan(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // handled here: the failure is this page's, not the run's
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        scan.run().ensureActive();
        if (rootCause(cause) instanceof PageTooLargeException tooLarge) {
            throw new AirtableException(where(scan) + ": Airtable's answer is larger than the limit of "
                    + tooLarge.limit() + " bytes (integrity.airtable.max-page-bytes)");
        }
        String timedOut = "no complete answer within the request timeout of " + settings.requestTimeout().toSeconds() + " s";
        String what;
        if (armed != null && armed.fired()) {
            what = timedOut;
        } else if (rootCause(cause) instanceof SocketTimeoutException) {
            // the socket read timeout equals the request timeout: whichever of the two fires first, it is the same bound
            what = timedOut + " (" + describe(cause) + ")";
        } else {
            what = describe(cause);
        }
        transientFailure(scan, what);
    }

    /** The table's last page was read: emit deferred rule results and mark the table finished. */
    public void finish(Exchange exchange) {
        TableScan scan = scan(exchange);
        scan.run().ensureActive();
        scan.rules().finishTable();
        scan.progress().finished(true);
        LOG.debug("Run {}: table '{}' finished, {} records in {} pages", scan.run().runId(), scan.table(),
                scan.progress().records(), scan.progress().pages());
    }

    private void acceptPage(TableScan scan, byte[] body) {
        AirtablePage page;
        try {
            page = AirtablePage.parse(new ByteArrayInputStream(body));
        } catch (AirtablePage.MalformedPageException e) {
            throw new AirtableException(where(scan) + ": Airtable's answer could not be read: " + e.getMessage());
        }
        for (AirtablePage.Record record : page.records()) {
            scan.rules().accept(record.id(), record.fields());
        }
        scan.run().counters().pages.incrementAndGet();
        scan.pageAccepted(page.offset(), page.records().size());
    }

    private void rateLimited(TableScan scan, String retryAfter, AirtableError error) {
        RunContext run = scan.run();
        run.counters().rateLimited.incrementAndGet();
        scan.countRateLimited();
        if (scan.rateLimitAttempts() >= settings.rateLimitMaxAttempts()) {
            throw new AirtableException(where(scan) + ": Airtable kept answering 429 (rate limited) after "
                    + scan.rateLimitAttempts() + " attempts (" + error.describe() + ")");
        }
        Duration wait = parseRetryAfter(retryAfter);
        run.counters().retries.incrementAndGet();
        LOG.warn("Run {}: {} rate limited (429); retrying in {} s", run.runId(), where(scan), wait.toSeconds());
        scan.waitBeforeNextAttempt(wait);
    }

    private void transientFailure(TableScan scan, String what) {
        scan.countTransientFailure();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scan.pageStartedNanos());
        if (scan.attempts() >= settings.maxAttempts()) {
            throw new AirtableException(where(scan) + ": failed after " + scan.attempts() + " attempts: " + what);
        }
        Duration backoff = backoff(scan.attempts());
        if (elapsedMillis + backoff.toMillis() >= settings.retryBudget().toMillis()) {
            throw new AirtableException(where(scan) + ": failed after " + scan.attempts() + " attempt"
                    + (scan.attempts() == 1 ? "" : "s") + " (retry budget of " + settings.retryBudget().toSeconds()
                    + " s used up): " + what);
        }
        scan.run().counters().retries.incrementAndGet();
        LOG.warn("Run {}: {} attempt {} failed ({}); retrying in {} ms", scan.run().runId(), where(scan),
                scan.attempts(), what, backoff.toMillis());
        scan.waitBeforeNextAttempt(backoff);
    }

    private void iteratorExpired(TableScan scan, AirtableError error) {
        if (scan.restarts() >= settings.iteratorRestarts()) {
            throw new AirtableException(where(scan) + ": Airtable's iteration expired (" + error.describe()
                    + ") and the table was already restarted " + scan.restarts() + " times");
        }
        LOG.warn("Run {}: {} iteration expired ({}); restarting table '{}' from page 1", scan.run().runId(),
                where(scan), ITERATOR_EXPIRED, scan.table());
        scan.run().counters().iteratorRestarts.incrementAndGet();
        scan.restart();
    }

    private String permanentFailure(TableScan scan, AirtableError error) {
        String base = settings.baseId();
        return switch (error.status()) {
            case 401 -> "Airtable token rejected (" + error.describe() + "): check AIRTABLE_TOKEN; " + where(scan);
            case 403 -> "Airtable token lacks access to base " + base + " (" + error.describe() + "); " + where(scan);
            case 404 -> "Table '" + scan.table() + "' not found in base " + base + " (" + error.describe() + ")";
            default -> where(scan) + ": Airtable rejected the request (" + error.describe() + ")";
        };
    }

    private Duration backoff(int failedAttempts) {
        long base = settings.backoffInitial().toMillis() << Math.min(failedAttempts - 1, 20);
        long capped = Math.min(base, settings.backoffMax().toMillis());
        // full jitter in [capped/2, capped]
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    private Duration parseRetryAfter(String value) {
        if (value != null) {
            try {
                long seconds = Long.parseLong(value.trim());
                if (seconds >= 0) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException notSeconds) {
                // HTTP-date form: fall back to the documented penalty
            }
        }
        return settings.rateLimitWait();
    }

    private static String where(TableScan scan) {
        return "table '" + scan.table() + "' page " + scan.pageNumber();
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown transport failure";
        }
        if (e instanceof RunStoppedException stopped) {
            throw stopped;
        }
        Throwable root = rootCause(e);
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static TableScan scan(Exchange exchange) {
        return exchange.getProperty(SCAN, TableScan.class);
    }
}
