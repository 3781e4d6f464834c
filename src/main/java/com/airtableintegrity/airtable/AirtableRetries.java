package com.airtableintegrity.airtable;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunStoppedException;

/**
 * What a failed answer means, one verb per branch of the scan route's dispatch: wait out a 429, retry a 5xx or a
 * transport failure with backoff within the attempts and the retry budget, restart an expired iteration, or fail the
 * table with a message a user can act on. A retry is not done here: the wait is set on the table's scan and the
 * route's loop sends the page again after it (waking at once if the run stops).
 */
public final class AirtableRetries {
    private static final Logger LOG = LoggerFactory.getLogger(AirtableRetries.class);

    private static final String UNKNOWN_FIELD = "UNKNOWN_FIELD_NAME";
    /** Airtable's message: {@code Unknown field name: "Emial"}. */
    private static final Pattern UNKNOWN_FIELD_MESSAGE = Pattern.compile("Unknown field name: \"(.*)\"");

    private final AirtableSettings settings;
    private final AirtableRequestGuard guard;

    public AirtableRetries(AirtableSettings settings, AirtableRequestGuard guard) {
        this.settings = settings;
        this.guard = guard;
    }

    /** 429: wait Retry-After (else the configured penalty), up to the rate-limit attempts. */
    public void rateLimited(Exchange exchange) {
        TableScan scan = TableScan.of(exchange);
        RunContext run = scan.run();
        run.counters().rateLimited.incrementAndGet();
        scan.countRateLimited();
        if (scan.rateLimitAttempts() >= settings.rateLimitMaxAttempts()) {
            throw new AirtableException(scan.where() + ": Airtable kept answering 429 (rate limited) after "
                    + scan.rateLimitAttempts() + " attempts (" + error(exchange).describe() + ")");
        }
        Duration wait = parseRetryAfter(exchange.getMessage().getHeader("Retry-After", String.class));
        run.counters().retries.incrementAndGet();
        LOG.warn("Run {}: {} rate limited (429); retrying in {} s", run.runId(), scan.where(), wait.toSeconds());
        scan.waitBeforeNextAttempt(wait);
    }

    /** 5xx: a transient failure. */
    public void serverError(Exchange exchange) {
        transientFailure(TableScan.of(exchange), error(exchange).describe());
    }

    /** 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE: start the table again from page 1, a bounded number of times. */
    public void iteratorExpired(Exchange exchange) {
        TableScan scan = TableScan.of(exchange);
        AirtableError error = error(exchange);
        if (scan.restarts() >= settings.iteratorRestarts()) {
            throw new AirtableException(scan.where() + ": Airtable's iteration expired (" + error.describe()
                    + ") and the table was already restarted " + scan.restarts() + " times");
        }
        LOG.warn("Run {}: {} iteration expired ({}); restarting table '{}' from page 1", scan.run().runId(),
                scan.where(), error.type(), scan.table());
        scan.run().counters().iteratorRestarts.incrementAndGet();
        scan.restart();
    }

    /** Any other answer: the table fails, with a message that says what to do. */
    public void rejected(Exchange exchange) {
        TableScan scan = TableScan.of(exchange);
        AirtableError error = error(exchange);
        String base = scan.run().baseId();
        if (error.status() == 422 && UNKNOWN_FIELD.equals(error.type())) {
            throw new AirtableException(unknownField(scan, error));
        }
        if (scan.readingSchema()) {
            throw new AirtableException(scan.where() + ": Airtable refused the schema request (" + error.describe()
                    + ")");
        }
        throw new AirtableException(switch (error.status()) {
            case 401 -> "Airtable token rejected (" + error.describe() + "): check AIRTABLE_TOKEN; " + scan.where();
            case 403 -> "Airtable token lacks access to base " + base + " (" + error.describe() + "); " + scan.where();
            case 404 -> "Table '" + scan.table() + "' not found in base " + base + " (" + error.describe() + ")";
            default -> scan.where() + ": Airtable rejected the request (" + error.describe() + ")";
        });
    }

    /** The rules name a field the table does not have: say which, and which rules read it. */
    private static String unknownField(TableScan scan, AirtableError error) {
        Matcher named = UNKNOWN_FIELD_MESSAGE.matcher(error.message());
        List<String> fields = scan.fields() == null ? List.of() : scan.fields();
        String field = named.find() ? named.group(1) : null;
        String which = field != null ? "field '" + field + "'"
                : "one of the fields " + fields.stream().map(f -> "'" + f + "'").toList();
        List<String> drift = scan.run().schemaDrift().stream().filter(d -> scan.table().equals(d.get("table")))
                .map(d -> "rule " + d.get("rule") + ": " + d.get("change")).toList();
        return "Table '" + scan.table() + "' of base " + scan.run().baseId() + " has no " + which
                + ", which its rules read (" + error.describe() + "): fix the rule's field name"
                + (drift.isEmpty() ? "" : "; this run's schema read shows: " + String.join("; ", drift));
    }

    /** camel-http threw (connect failure, reset, read timeout, cut-off by the wall-clock bound, truncated body). */
    public void transportFailure(Exchange exchange) {
        AirtableRequestGuard.Armed armed = guard.disarm();
        exchange.getMessage().removeHeader("Authorization");
        TableScan scan = TableScan.of(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // handled here: the failure is this page's, not the run's
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        guard.ended(armed, scan.run().stopped() != null ? "aborted"
                : armed != null && armed.fired() || rootCause(cause) instanceof SocketTimeoutException ? "timeout"
                : "transport");
        scan.run().ensureActive();
        if (rootCause(cause) instanceof PageTooLargeException tooLarge) {
            throw new AirtableException(scan.where() + ": Airtable's answer is larger than the limit of "
                    + tooLarge.limit() + " bytes (integrity.airtable.max-page-bytes)");
        }
        String timedOut = "no complete answer within the request timeout of "
                + scan.run().requestTimeoutOr(settings.requestTimeout()).toSeconds() + " s";
        String what;
        if (armed != null && armed.fired()) {
            what = timedOut;
        } else if (rootCause(cause) instanceof SocketTimeoutException) {
            // the socket read timeout equals the request timeout: whichever of the two fires first, it is the same
            // bound
            what = timedOut + " (" + describe(cause) + ")";
        } else {
            what = describe(cause);
        }
        transientFailure(scan, what);
    }

    private void transientFailure(TableScan scan, String what) {
        scan.countTransientFailure();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scan.pageStartedNanos());
        if (scan.attempts() >= settings.maxAttempts()) {
            throw new AirtableException(scan.where() + ": failed after " + scan.attempts() + " attempts: " + what);
        }
        Duration backoff = backoff(scan.attempts());
        if (elapsedMillis + backoff.toMillis() >= settings.retryBudget().toMillis()) {
            throw new AirtableException(scan.where() + ": failed after " + scan.attempts() + " attempt"
                    + (scan.attempts() == 1 ? "" : "s") + " (retry budget of " + settings.retryBudget().toSeconds()
                    + " s used up): " + what);
        }
        scan.run().counters().retries.incrementAndGet();
        LOG.warn("Run {}: {} attempt {} failed ({}); retrying in {} ms", scan.run().runId(), scan.where(),
                scan.attempts(), what, backoff.toMillis());
        scan.waitBeforeNextAttempt(backoff);
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

    private static AirtableError error(Exchange exchange) {
        return exchange.getProperty(AirtableResponses.ERROR, AirtableError.class);
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

    static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
