package com.airtableintegrity.api;

import org.apache.camel.Exchange;

/**
 * The REST routes' error handler (routeConfiguration {@code integrity-api-errors}): an exception no step turned into
 * an answer becomes a JSON 500 that says nothing internal, with one ERROR log line (the stack trace at DEBUG only).
 */
public final class RouteErrors {
    public void answer(Exchange exchange) {
        Answers.error(exchange, 500, ApiError.INTERNAL_MESSAGE, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }
}
