package com.airtableintegrity.boot;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the method of the request as it came, for error answers: in the error dispatch to {@code /error} the request
 * reports {@code GET} (seen with a DELETE answered 405: "Method GET is not allowed").
 */
public final class OriginalMethod extends OncePerRequestFilter {
    private static final String ATTRIBUTE = OriginalMethod.class.getName();

    /** The method the client sent. */
    public static String of(HttpServletRequest request) {
        Object method = request.getAttribute(ATTRIBUTE);
        return method instanceof String s ? s : request.getMethod();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(ATTRIBUTE, request.getMethod());
        chain.doFilter(request, response);
    }
}
