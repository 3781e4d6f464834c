package com.airtableintegrity.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The security headers of every answer. Spring Security's header writer adds them to what passes its filter chain;
 * the answers written before or beside it (the firewall's refusal, the loopback and throttle filters, Tomcat's own
 * error report, the error page after a container {@code sendError}) set the same ones through {@link #setOn}, so no
 * answer goes out without them. Setting replaces, so an answer never carries one twice.
 */
public final class SecurityHeaders {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** As Spring Security writes them for the console and the API (its defaults, plus the policy above). */
    private static final Map<String, String> ON_EVERY_ANSWER = headers();

    private SecurityHeaders() {
    }

    private static Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-XSS-Protection", "0");
        headers.put("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
        headers.put("Pragma", "no-cache");
        headers.put("Expires", "0");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("Referrer-Policy", "same-origin");
        return Map.copyOf(headers);
    }

    /** @param setHeader the answer's {@code setHeader} (a servlet response's or Tomcat's own) */
    public static void setOn(BiConsumer<String, String> setHeader) {
        ON_EVERY_ANSWER.forEach(setHeader);
    }
}
