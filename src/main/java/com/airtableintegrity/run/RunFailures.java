package com.airtableintegrity.run;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.airtable.AirtableException;
import com.airtableintegrity.airtable.AirtablePager;
import com.airtableintegrity.airtable.TableScan;

/**
 * The shared error handler of the routes (used by routeConfiguration {@code integrity-error-handling}): records a
 * failure on its run, stopping the run so its other tables end too. The first failure is the one reported.
 */
public final class RunFailures {
    private static final Logger LOG = LoggerFactory.getLogger(RunFailures.class);

    public void record(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        RunContext run = exchange.getProperty(AirtablePager.RUN, RunContext.class);
        if (e instanceof RunStoppedException) {
            return; // the run already knows why it stopped
        }
        String message = e == null ? "unknown failure" : messageOf(e);
        if (run == null) {
            String route = exchange.getFromRouteId();
            if ("integrity-run".equals(route)) {
                LOG.error("Integrity run could not start: {}", message);
            } else {
                LOG.error("Route {} failed: {}", route, message);
            }
            return;
        }
        TableScan scan = exchange.getProperty(AirtablePager.SCAN, TableScan.class);
        if (scan != null) {
            if (!(e instanceof AirtableException)) {
                message = "table '" + scan.table() + "' page " + scan.pageNumber() + ": " + message;
            }
            scan.progress().failed(message);
        }
        if (run.stop(RunContext.StopKind.FAILED, message)) {
            LOG.error("Run {} failed: {}", run.runId(), message);
        }
    }

    private static String messageOf(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
