package com.airtableintegrity.boot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.springframework.test.context.DynamicPropertyRegistry;

/** The users and API keys of the tests that run with security on: one viewer and one operator of each. */
public final class TestCredentials {
    public static final String VIEWER = "vera";
    public static final String OPERATOR = "otto";
    public static final String VIEWER_PASSWORD = "viewer-password-1";
    public static final String OPERATOR_PASSWORD = "operator-password-1";
    public static final String VIEWER_KEY = "viewer-key-0123456789abcdefghijklmnopqrstuvwxyz";
    public static final String OPERATOR_KEY = "operator-key-0123456789abcdefghijklmnopqrstuvwxyz";
    /**
     * bcrypt hashes of the two passwords at cost 10, the least the settings accept, made once (hashing at test time
     * would cost a tenth of a second each, and a cheaper cost would not start).
     */
    static final String VIEWER_HASH = "$2a$10$lYnsqigp7jhcJMoDMtGpTO0XpRTNpSazEL.eSfP56YnUSmhAlFZf6";
    static final String OPERATOR_HASH = "$2a$10$srJt3ToddtDTGTqAtCrTJO4lmI0YlYrliWJkzQu85WF/kFOmBYZpa";

    private TestCredentials() {
    }

    /** {@code integrity.security.users} and {@code api-keys} with the hashes of the above. */
    public static void register(DynamicPropertyRegistry r) {
        String users = VIEWER + ":viewer:" + VIEWER_HASH + "," + OPERATOR + ":operator:" + OPERATOR_HASH;
        String keys = "grafana:viewer:" + sha256(VIEWER_KEY) + ",ci:operator:" + sha256(OPERATOR_KEY);
        r.add("integrity.security.users", () -> users);
        r.add("integrity.security.api-keys", () -> keys);
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
