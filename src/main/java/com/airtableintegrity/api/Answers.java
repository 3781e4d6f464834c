package com.airtableintegrity.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** How the REST routes' steps answer: a status and a JSON-ready body, or an {@link ApiError} (logged once). */
final class Answers {
    private Answers() {
    }

    static void json(Exchange exchange, int status, Object body) {
        Message m = exchange.getMessage();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, ApiError.CONTENT_TYPE);
        m.setBody(body);
    }

    static void error(Exchange exchange, int status, String message, Throwable causeOrNull) {
        ApiError error = ApiError.of(status, message, path(exchange));
        error.log(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "", String.class), causeOrNull);
        json(exchange, status, error.toMap());
    }

    /** The request path as received (without the query). */
    static String path(Exchange exchange) {
        Message m = exchange.getMessage();
        String uri = m.getHeader(Exchange.HTTP_URI, String.class);
        return uri != null ? uri : m.getHeader(Exchange.HTTP_PATH, "", String.class);
    }
}
