package com.airtableintegrity.boot.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import com.airtableintegrity.api.ApiError;
import com.airtableintegrity.api.LocalCallers;
import com.airtableintegrity.boot.JsonErrorWriter;

/**
 * On a loopback address (no credentials, where every local caller is an anonymous operator, or {@code server.address}
 * set to one, as in the demo) the runner answers only its own local callers, as {@link LocalCallers} decides: 421 for
 * a request named to a host other than localhost, 127.0.0.1 or [::1] (DNS rebinding), 403 for a write from another
 * site's page.
 */
final class LoopbackRequests extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ApiError refusal = LocalCallers.refusal(request.getMethod(), request.getServerName(),
                request.getHeader("Sec-Fetch-Site"), request.getHeader("Origin"), request.getRequestURI());
        if (refusal != null) {
            JsonErrorWriter.write(request, response, refusal, null);
            return;
        }
        chain.doFilter(request, response);
    }
}
