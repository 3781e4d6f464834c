package com.airtableintegrity.boot;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers every request with an {@code X-Request-Id}: the caller's own, when it sent one of 1 to 64 letters, digits,
 * '.', '_' or '-' (so a proxy's or a client's id can be followed through), else a new random one. Set before the rest
 * of the chain runs, on the request's own container thread, so that it is in place before an API answer is written
 * on another thread.
 */
public final class RequestIdFilter extends OncePerRequestFilter {
    /** The header, in requests and answers. */
    public static final String HEADER = "X-Request-Id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        String id = given != null && VALID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        response.setHeader(HEADER, id);
        chain.doFilter(request, response);
    }
}
