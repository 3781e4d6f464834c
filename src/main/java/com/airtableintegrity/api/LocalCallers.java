package com.airtableintegrity.api;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Who a runner listening on a loopback address answers: its own local callers, not web pages of other sites that a
 * browser on the same machine opens. Every runtime's HTTP server asks this before anything else (Spring Boot's
 * {@code boot/security/LoopbackRequests}, Quarkus' {@code LocalCallersOnly}):
 * <ul>
 *   <li>a request must name a loopback host: {@code Host} {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, with
 *   any port; a page that re-points its own name at 127.0.0.1 (DNS rebinding) sends its own name, answered 421;</li>
 *   <li>a write (any method but GET, HEAD, OPTIONS) must not come from another site: {@code Sec-Fetch-Site}
 *   {@code cross-site} or {@code same-site}, or an {@code Origin} that is not a loopback origin, is answered 403
 *   (a plain cross-site form post needs no CORS preflight). Clients other than browsers send neither header.</li>
 * </ul>
 */
public final class LocalCallers {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> OTHER_SITES = Set.of("cross-site", "same-site");

    private LocalCallers() {
    }

    /**
     * The refusal of a request, or null if it is answered.
     *
     * @param hostName the host the request names, without its port (null if it names none)
     * @param secFetchSite the {@code Sec-Fetch-Site} header, or null
     * @param origin the {@code Origin} header, or null
     * @param path the request path, for the error answer
     */
    public static ApiError refusal(String method, String hostName, String secFetchSite, String origin, String path) {
        if (hostName != null && !loopback(hostName)) {
            return ApiError.of(421, "Host '" + hostName + "' is not a name of this runner: it listens on a loopback "
                    + "address and answers only localhost, 127.0.0.1 and [::1]", path);
        }
        if (!SAFE_METHODS.contains(method) && fromAnotherSite(secFetchSite, origin)) {
            return ApiError.of(403, "A " + method + " from another site's page is refused: this runner listens on a "
                    + "loopback address for its local callers only", path);
        }
        return null;
    }

    private static boolean loopback(String host) {
        return LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT));
    }

    private static boolean fromAnotherSite(String secFetchSite, String origin) {
        if (secFetchSite != null && OTHER_SITES.contains(secFetchSite.toLowerCase(Locale.ROOT))) {
            return true;
        }
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
