package com.airtableintegrity.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parameters from the raw query string of a request ({@code Exchange.HTTP_QUERY}) and from nowhere else: Camel also
 * copies request headers into message headers, so a header named like a parameter must not count as one.
 */
public final class QueryString {
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

    /**
     * Every parameter of {@code rawQuery} (URL-decoded), by name in query order, when each is one of {@code allowed}
     * and given once: otherwise a 400 naming the parameter (and for an unknown one, the parameters allowed).
     */
    public static Map<String, String> only(String rawQuery, List<String> allowed) {
        Map<String, String> found = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return found;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!allowed.contains(key)) {
                throw new ApiRefusal(400, "Unknown query parameter '" + key + "': this endpoint takes "
                        + (allowed.isEmpty() ? "no query parameters" : String.join(", ", allowed)));
            }
            if (found.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1))) != null) {
                throw new ApiRefusal(400, "Query parameter '" + key + "' is given more than once");
            }
        }
        return found;
    }

    /** Parameter {@code limit}: a whole number from 1 to {@code max}, else 400 naming it; absent: the default. */
    static int limit(Map<String, String> params, int defaultLimit, int max) {
        String text = params.getOrDefault("limit", String.valueOf(defaultLimit));
        int limit;
        try {
            limit = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            throw new ApiRefusal(400, "Query parameter 'limit' must be a whole number from 1 to " + max
                    + ", was '" + text + "'");
        }
        return limit;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
