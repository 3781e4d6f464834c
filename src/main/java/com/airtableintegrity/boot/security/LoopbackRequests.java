package com.airtableintegrity.boot.security;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import com.airtableintegrity.api.ApiError;
import com.airtableintegrity.boot.JsonErrorWriter;

/**
 * On a loopback address (no credentials, where every local caller is an anonymous operator, or {@code server.address}
 * set to one, as in the demo) the runner answers only its own local callers, not web pages of other sites that a
 * browser on the same machine opens:
 * <ul>
 *   <li>a request must name a loopback host: {@code Host} {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, with
 *   any port; a page that re-points its own name at 127.0.0.1 (DNS rebinding) sends its own name, answered 421;</li>
 *   <li>a write (any method but GET, HEAD, OPTIONS) must not come from another site: {@code Sec-Fetch-Site}
 *   {@code cross-site} or {@code same-site}, or an {@code Origin} that is not a loopback origin, is answered 403
 *   (a plain cross-site form post needs no CORS preflight). Clients other than browsers send neither header.</li>
 * </ul>
 */
final class LoopbackRequests extends OncePerRequestFilter {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> OTHER_SITES = Set.of("cross-site", "same-site");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String name = request.getServerName();
        if (name != null && !loopback(name)) {
            JsonErrorWriter.write(request, response, ApiError.of(421, "Host '" + name + "' is not a name of this "
                    + "runner: it listens on a loopback address and answers only localhost, 127.0.0.1 and [::1]",
                    request.getRequestURI()), null);
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod()) && fromAnotherSite(request)) {
            JsonErrorWriter.write(request, response, ApiError.of(403, "A " + request.getMethod() + " from another "
                    + "site's page is refused: this runner listens on a loopback address for its local callers only",
                    request.getRequestURI()), null);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean loopback(String host) {
        return LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT));
    }

    private static boolean fromAnotherSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && OTHER_SITES.contains(site.toLowerCase(Locale.ROOT))) {
            return true;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        try {
            String host = URI.create(origin.trim()).getHost();
            return host == null || !loopback(host);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
