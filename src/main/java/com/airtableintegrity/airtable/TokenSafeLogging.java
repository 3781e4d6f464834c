package com.airtableintegrity.airtable;

import java.util.List;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache HttpClient prints every request header, {@code Authorization: Bearer <token>} included, to its loggers
 * {@code org.apache.hc.client5.http.headers} and {@code org.apache.hc.client5.http.wire} at DEBUG. A root logger at
 * DEBUG would thus put the Airtable token in the logs: those two loggers are held at INFO (with Logback, the
 * backend Spring Boot ships; other backends are left alone).
 */
final class TokenSafeLogging {
    private static final Logger LOG = LoggerFactory.getLogger(TokenSafeLogging.class);
    static final List<String> HEADER_LOGGERS = List.of(
            "org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire");

    private TokenSafeLogging() {
    }

    static void capHttpClientWireLogs() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!"ch.qos.logback.classic.LoggerContext".equals(factory.getClass().getName())) {
            return;
        }
        try {
            Logback.cap(factory);
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("Could not hold Apache HttpClient's header logging at INFO ({}): do not run it at DEBUG, it "
                    + "would print the Airtable token", e.toString());
        }
    }

    /** Loaded only when Logback is the backend. */
    private static final class Logback {
        static void cap(ILoggerFactory factory) {
            ch.qos.logback.classic.LoggerContext context = (ch.qos.logback.classic.LoggerContext) factory;
            for (String name : HEADER_LOGGERS) {
                ch.qos.logback.classic.Logger logger = context.getLogger(name);
                if (logger.isDebugEnabled()) {
                    logger.setLevel(ch.qos.logback.classic.Level.INFO);
                    LOG.info("Logger {} held at INFO: at DEBUG it would print the Airtable token", name);
                }
            }
        }
    }
}
