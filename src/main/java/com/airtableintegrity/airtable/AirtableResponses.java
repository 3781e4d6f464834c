package com.airtableintegrity.airtable;

import java.io.ByteArrayInputStream;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.metrics.RunnerMetrics;

/**
 * The answer side of route {@code integrity-scan-table}: read an answer (any status) so the route can dispatch on
 * it, feed an accepted page to the rules (or take the base's schema), and finish the table after its last page.
 */
public final class AirtableResponses {
    private static final Logger LOG = LoggerFactory.getLogger(AirtableResponses.class);

    /** Exchange property: the {@link AirtableError} of an answer other than 200. */
    public static final String ERROR = "airtableError";
    /** Exchange property: its Airtable error type (e.g. LIST_RECORDS_ITERATOR_NOT_AVAILABLE), for the route. */
    public static final String ERROR_TYPE = "airtableErrorType";

    private final AirtableRequestGuard guard;

    public AirtableResponses(AirtableRequestGuard guard) {
        this.guard = guard;
    }

    /**
     * camel-http answered: release the request's bound, drop the token from the message, keep the body for
     * {@link #accept}, or the parsed error (and its type) in properties for the retry and failure steps.
     */
    public void read(Exchange exchange) {
        AirtableRequestGuard.Armed armed = guard.disarm();
        TableScan scan = TableScan.of(exchange);
        Message m = exchange.getMessage();
        m.removeHeader("Authorization");
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        guard.ended(armed, RunnerMetrics.outcome(status));
        byte[] body = m.getBody(byte[].class);
        m.setBody(status == 200 ? body : null);
        exchange.removeProperty(ERROR);
        exchange.removeProperty(ERROR_TYPE);
        scan.run().ensureActive();
        if (status != 200) {
            AirtableError error = AirtableError.of(status, body == null ? new byte[0] : body);
            exchange.setProperty(ERROR, error);
            exchange.setProperty(ERROR_TYPE, error.type());
        }
    }

    /** A 200: the page is checked whole, then each record goes to the rules (or the base's schema is read). */
    public void accept(Exchange exchange) {
        TableScan scan = TableScan.of(exchange);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().setBody(null);
        if (scan.readingSchema()) {
            FieldProjection.schemaRead(scan, body == null ? new byte[0] : body);
            return;
        }
        AirtablePage page;
        try {
            page = AirtablePage.parse(new ByteArrayInputStream(body == null ? new byte[0] : body));
        } catch (AirtablePage.MalformedPageException e) {
            throw new AirtableException(scan.where() + ": Airtable's answer could not be read: " + e.getMessage());
        }
        for (AirtablePage.Record record : page.records()) {
            scan.rules().accept(record.id(), record.fields());
        }
        scan.run().counters().pages.incrementAndGet();
        scan.pageAccepted(page.offset(), page.records().size());
    }

    /** A 403 to the schema request: the table goes on without it (see {@link FieldProjection}). */
    public void schemaRefused(Exchange exchange) {
        FieldProjection.schemaRefused(TableScan.of(exchange), exchange.getProperty(ERROR, AirtableError.class));
    }

    /** The table's last page was read: emit deferred rule results and mark the table finished. */
    public void finish(Exchange exchange) {
        TableScan scan = TableScan.of(exchange);
        scan.run().ensureActive();
        scan.rules().finishTable();
        scan.progress().finished(true);
        LOG.debug("Run {}: table '{}' finished, {} records in {} pages", scan.run().runId(), scan.table(),
                scan.progress().records(), scan.progress().pages());
    }
}
