package com.airtableintegrity.run;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The shared error handler of the routes (used by routeConfiguration {@code integrity-error-handling}): records a
 * failure on its run, stopping the run so its other tables end too. The first failure is the one reported.
 */
public final class RunFailures {
    private static final Logger LOG = LoggerFactory.getLogger(RunFailures.class);

    public void record(Exchange exchange) {
        RunContext run = exchange.getProperty(RunExchange.RUN, RunContext.class);
        try {
            record(exchange, run);
        } catch (Throwable again) {
            // e.g. out of memory once more while building the message: the run must stop all the same
            if (run != null) {
                run.stop(RunContext.StopKind.FAILED, "failed: " + again.getClass().getSimpleName());
            }
            throw again;
        }
    }

    private void record(Exchange exchange, RunContext run) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
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
        FailureSite site = exchange.getProperty(RunExchange.SCAN, FailureSite.class);
        if (site != null) {
            if (!(e instanceof SitedFailure)) {
                message = site.where() + ": " + message;
            }
            site.failed(message);
        }
        if (run.stop(RunContext.StopKind.FAILED, message)) {
            LOG.error("Run {} failed: {}", run.runId(), message);
        }
    }

    /**
     * What went wrong, in words: a JVM error (out of memory, stack overflow) by its name and message wherever it sits
     * in the chain, else the first cause under Camel's and the JDK's wrappers, whose own message says nothing
     * ("Exception occurred during execution on the exchange").
     */
    static String messageOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error) {
                return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && isWrapper(t)) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static boolean isWrapper(Throwable t) {
        return t instanceof org.apache.camel.RuntimeCamelException
                || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof java.lang.reflect.UndeclaredThrowableException;
    }
}
