package com.airtableintegrity.boot.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import com.airtableintegrity.config.InvalidConfigurationException;

/**
 * Secure by default: with no users and no API keys configured, the HTTP server listens on 127.0.0.1 only (every
 * local caller may then view and operate) and says so in one log line. An explicit non-loopback
 * {@code server.address} ({@code SERVER_ADDRESS}) without credentials stops startup instead of being overridden
 * silently. With credentials the server listens where {@code SERVER_ADDRESS} says (all interfaces by default).
 * Runs after Spring Boot's own customizer, which applies {@code server.address}.
 */
final class LoopbackOnlyBinding implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackOnlyBinding.class);
    static final String ADDRESS_KEY = "server.address (env SERVER_ADDRESS)";

    private final SecuritySettings.Credentials credentials;
    private final Environment environment;

    LoopbackOnlyBinding(SecuritySettings.Credentials credentials, Environment environment) {
        this.credentials = credentials;
        this.environment = environment;
    }

    /** Whether the server listens on a loopback address: no credentials, or {@code server.address} is one. */
    boolean loopbackOnly() {
        String address = environment.getProperty("server.address", "").trim();
        return credentials.none() || (!address.isEmpty() && isLoopback(address));
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        String address = environment.getProperty("server.address", "").trim();
        if (!credentials.none()) {
            LOG.info("HTTP access: {} user(s) {}, {} API key(s) {}; listening on {}", credentials.users().size(),
                    credentials.users(), credentials.apiKeys().size(), credentials.apiKeys(),
                    address.isEmpty() ? "all interfaces" : address);
            return;
        }
        if (!address.isEmpty() && !isLoopback(address)) {
            throw new InvalidConfigurationException(List.of(ADDRESS_KEY + " is '" + address + "', but no users or "
                    + "API keys are configured (" + SecuritySettings.USERS_KEY + ", " + SecuritySettings.API_KEYS_KEY
                    + "): configure them, or leave " + ADDRESS_KEY + " unset to listen on 127.0.0.1 only"));
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        factory.setAddress(address.isEmpty() ? loopback : parse(address));
        LOG.warn("No users or API keys configured (INTEGRITY_USERS, INTEGRITY_API_KEYS): the HTTP server listens on "
                + "{} only, and every local caller may view and operate", address.isEmpty()
                ? loopback.getHostAddress() : address);
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static InetAddress parse(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
