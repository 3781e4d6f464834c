package com.airtableintegrity.api;

import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The headers an API answer may carry from the route: {@code Content-Type}, {@code Location} (a created schedule) and
 * {@code Retry-After} (a 429), nothing else. camel-platform-http maps every request header and every query and path
 * parameter into the message, and by default writes the message's headers back out as response headers: a request
 * could set any header of its own answer ({@code ?Set-Cookie=...}, {@code Refresh}, or its own headers echoed a
 * second time). Request headers reach the routes (Camel's HTTP default for that direction), but for {@code Location}
 * and {@code Retry-After}, which only a route may set: a request naming them (as a header or a query parameter) would
 * otherwise set them on its own answer.
 */
public final class ApiAnswerHeaders extends HttpHeaderFilterStrategy {
    private static final Set<String> ANSWERED = Set.of("content-type", "location", "retry-after");

    /** Only the route may set these: a request header or query parameter of the same name is not taken in. */
    private static final Set<String> SET_BY_THE_ROUTE = Set.of("location", "retry-after");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ANSWERED.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return SET_BY_THE_ROUTE.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToExternalHeaders(headerName, headerValue, exchange);
    }
}
