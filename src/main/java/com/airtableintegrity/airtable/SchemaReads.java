package com.airtableintegrity.airtable;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.airtableintegrity.metrics.RunnerMetrics;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.schema.BaseTables;

/**
 * The steps of route {@code integrity-schema-read} (routes/schema-read.camel.yaml): one
 * {@code GET /v0/meta/bases/{base}/tables} for the schedule editor, under the same per-base and per-token send-time
 * limits, connect/read timeouts, wall-clock bound and answer cap as a scan's requests. It is not a run: it writes
 * nothing to Firestore, and it is bounded as a whole, a wait at the send-time limit included, by
 * {@code integrity.airtable.schema-read-timeout-seconds} (15 s): a person is waiting for the page. Nothing is
 * retried, and the editor says what happened.
 */
public final class SchemaReads {
    /** What a read gave: the tables, or why not ({@code refused}: the token may not read schemas). */
    public record SchemaRead(BaseTables tables, String problem, boolean refused) {
        static SchemaRead of(BaseTables tables) {
            return new SchemaRead(tables, null, false);
        }

        static SchemaRead failed(String problem, boolean refused) {
            return new SchemaRead(null, problem, refused);
        }
    }

    private final AirtableSettings settings;
    private final AirtableRequestGuard guard;
    private final Duration bound;

    /** @param bound the whole read's bound, waits included ({@code integrity.airtable.schema-read-timeout-seconds}) */
    public SchemaReads(AirtableSettings settings, AirtableRequestGuard guard, Duration bound) {
        this.settings = settings;
        this.guard = guard;
        this.bound = bound;
    }

    /**
     * The body is the base id: the read's own bound (a run of its own for the guard's send-time limits and deadline),
     * then path, token and the wall-clock bound of the request, right before camel-http.
     */
    public void send(Exchange exchange) {
        Message m = exchange.getMessage();
        String baseId = m.getBody(String.class);
        RunContext read = new RunContext("schema-read", baseId, List.of(), Instant.now(), bound, null, null);
        exchange.setProperty(RunExchange.RUN, read);
        m.removeHeaders("*");
        m.setBody(null);
        m.setHeader(Exchange.HTTP_PATH, "/meta/bases/" + FieldProjection.encode(baseId) + "/tables");
        m.setHeader(Exchange.HTTP_QUERY, "");
        m.setHeader("Authorization", "Bearer " + settings.token());
        read.ensureActive(); // the wait at the send-time limit is the guard's, inside the bound armed here
        guard.arm(Math.min(settings.requestTimeout().toMillis(), bound.toMillis()), read);
    }

    /** The answer: the body becomes a {@link SchemaRead}. */
    public void answered(Exchange exchange) {
        AirtableRequestGuard.Armed armed = guard.disarm();
        Message m = exchange.getMessage();
        m.removeHeader("Authorization");
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        guard.ended(armed, RunnerMetrics.outcome(status));
        byte[] body = m.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        SchemaRead read;
        if (status == 200) {
            try {
                read = SchemaRead.of(BaseTables.parse(body));
            } catch (IllegalArgumentException e) {
                read = SchemaRead.failed("Airtable's answer could not be read: " + e.getMessage(), false);
            }
        } else if (status == 403) {
            read = SchemaRead.failed("The Airtable token may not read this base's schema (it needs the scope "
                    + "schema.bases:read and access to the base)", true);
        } else if (status == 404) {
            read = SchemaRead.failed("Airtable knows no base '" + exchange.getProperty(RunExchange.RUN,
                    RunContext.class).baseId() + "' that this token may read", false);
        } else {
            read = SchemaRead.failed("Airtable answered " + AirtableError.of(status, body).describe()
                    + (status == 429 ? ": try again in 30 s" : ""), false);
        }
        m.removeHeaders("*");
        m.setBody(read);
    }

    /** The request failed on the way (connect, read timeout, the wall-clock bound, the answer cap). */
    public void failed(Exchange exchange) {
        AirtableRequestGuard.Armed armed = guard.disarm();
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        Throwable root = AirtableRetries.rootCause(e);
        boolean timedOut = armed != null && armed.fired() || root instanceof SocketTimeoutException;
        guard.ended(armed, timedOut ? "timeout" : "transport");
        String why = timedOut ? "no complete answer within " + bound.toSeconds()
                + " s (integrity.airtable.schema-read-timeout-seconds)"
                : root instanceof PageTooLargeException tooLarge ? "the answer is larger than the limit of "
                + tooLarge.limit() + " bytes (integrity.airtable.max-page-bytes)"
                : "could not reach Airtable (" + (root == null ? "unknown" : root.getClass().getSimpleName()) + ")";
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(SchemaRead.failed("The base's schema could not be read: " + why, false));
    }
}
