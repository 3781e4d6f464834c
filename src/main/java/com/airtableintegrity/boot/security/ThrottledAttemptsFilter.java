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

/**
 * Counts a login before its password is checked ({@link LoginThrottle#attempt}), per address and user name, and
 * answers 429 to a user that address has failed as too often within the minute: parallel guesses cannot pass the
 * limit, and one user's failures lock out no one else.
 */
final class ThrottledAttemptsFilter extends OncePerRequestFilter {
    private final LoginThrottle throttle;

    ThrottledAttemptsFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    /** The throttle's key of a login: the client address and the user name given. */
    static String loginKey(HttpServletRequest request) {
        String user = request.getParameter("username");
        return "login " + request.getRemoteAddr() + " " + (user == null ? "" : user);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean login = "POST".equals(request.getMethod()) && "/login".equals(request.getServletPath());
        Duration refused = login ? throttle.attempt(loginKey(request)) : Duration.ZERO;
        if (refused.isZero()) {
            chain.doFilter(request, response);
            return;
        }
        SecurityConfiguration.tooManyFailures(request, response, refused, "Too many failed logins for this user "
                + "from this address");
    }
}
