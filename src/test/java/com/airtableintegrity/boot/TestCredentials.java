package com.airtableintegrity.boot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The users and API keys of the tests that run with security on: one viewer and one operator of each. */
public final class TestCredentials {
    public static final String VIEWER = "vera";
    public static final String OPERATOR = "otto";
    public static final String VIEWER_PASSWORD = "viewer-password-1";
    public static final String OPERATOR_PASSWORD = "operator-password-1";
    public static final String VIEWER_KEY = "viewer-key-0123456789abcdefghijklmnopqrstuvwxyz";
    public static final String OPERATOR_KEY = "operator-key-0123456789abcdefghijklmnopqrstuvwxyz";

    private TestCredentials() {
    }

    /** {@code integrity.security.users} and {@code api-keys} with the hashes of the above. */
    public static void register(DynamicPropertyRegistry r) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        String users = VIEWER + ":viewer:" + bcrypt.encode(VIEWER_PASSWORD) + ","
                + OPERATOR + ":operator:" + bcrypt.encode(OPERATOR_PASSWORD);
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
