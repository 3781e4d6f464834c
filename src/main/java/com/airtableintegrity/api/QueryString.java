package com.airtableintegrity.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parameters from the raw query string of a request ({@code Exchange.HTTP_QUERY}) and from nowhere else: Camel also
 * copies request headers into message headers, so a header named like a parameter must not count as one.
 */
final class QueryString {
    private QueryString() {
    }

    /** The first value of {@code name} in {@code rawQuery} (URL-decoded), if the query has one. */
    static Optional<String> first(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (name.equals(key)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
