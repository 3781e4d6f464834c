package com.airtableintegrity.boot.security;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import com.airtableintegrity.api.ApiError;
import com.airtableintegrity.boot.JsonErrorWriter;

/** Answers 429 to a login or an API key from an address that {@link LoginThrottle} refuses, before checking it. */
final class ThrottledAttemptsFilter extends OncePerRequestFilter {
    private final LoginThrottle throttle;

    ThrottledAttemptsFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean attempt = ApiKeyAuthenticator.presented(request) != null
                || ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
        Duration refused = attempt ? throttle.refusedFor(request.getRemoteAddr()) : Duration.ZERO;
        if (refused.isZero()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (refused.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        JsonErrorWriter.write(request, response, ApiError.of(429, "Too many failed logins or API keys from this "
                + "address; try again in " + seconds + " s", request.getRequestURI()), null);
    }
}
