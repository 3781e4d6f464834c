package com.airtableintegrity.quarkus;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.InvalidConfigurationException;

/**
 * Secure by default: the Quarkus runtime has no users, API keys or login (Spring Security is Spring-Boot-only), so
 * its HTTP server (REST API and /q/health) listens on a loopback address only. {@code SERVER_ADDRESS} may name another
 * loopback address; any other address stops startup, naming the key.
 */
final class LoopbackOnly {
    static final String ADDRESS_KEY = "server.address (env SERVER_ADDRESS)";
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackOnly.class);

    private LoopbackOnly() {
    }

    /** @param address the host Quarkus' HTTP server binds ({@code quarkus.http.host}) */
    static void check(String address, String users, String apiKeys) {
        if (!isLoopback(address)) {
            throw new InvalidConfigurationException(List.of(ADDRESS_KEY + " is '" + address + "', but the Quarkus "
                    + "runtime has no authentication: it serves the REST API on a loopback address only (leave "
                    + ADDRESS_KEY + " unset for 127.0.0.1); run the Spring Boot jar for users and API keys"));
        }
        if (!users.isBlank() || !apiKeys.isBlank()) {
            LOG.warn("integrity.security.users / api-keys are set, but the Quarkus runtime has no authentication: they "
                    + "are not used, and the HTTP server listens on {} only", address);
        } else {
            LOG.info("No authentication on the Quarkus runtime: the HTTP server listens on {} only, and every local "
                    + "caller may view and operate", address);
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
