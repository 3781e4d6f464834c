package com.airtableintegrity.boot.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

import com.airtableintegrity.config.InvalidConfigurationException;

/**
 * {@code integrity.security.*}: who may use the HTTP surface (Spring Boot runtime only; plain Camel Main serves no
 * HTTP). Users of the page and API keys are given as hashes, never in clear:
 * <ul>
 *   <li>{@code users} (env {@code INTEGRITY_USERS}): {@code name:role:bcrypt-hash} entries, comma-separated;</li>
 *   <li>{@code api-keys} (env {@code INTEGRITY_API_KEYS}): {@code name:role:sha256-hex} entries, comma-separated.</li>
 * </ul>
 * Roles: {@code viewer}, {@code operator}. {@link #credentials()} validates them and stops startup naming the key and
 * the entry (by position and name, never its hash) when one is malformed, or when a bcrypt hash has a cost below
 * {@value #MIN_BCRYPT_COST}: a cheap hash that leaks is guessed that much faster.
 */
@ConfigurationProperties("integrity.security")
public class SecuritySettings {
    static final String USERS_KEY = "integrity.security.users (env INTEGRITY_USERS)";
    static final String API_KEYS_KEY = "integrity.security.api-keys (env INTEGRITY_API_KEYS)";
    static final String FAILURES_KEY =
            "integrity.security.login-failures-per-minute (env INTEGRITY_LOGIN_FAILURES_PER_MINUTE)";

    /** The least bcrypt cost (log2 of its rounds) a user's hash may have; {@link HashCommands} makes hashes of it. */
    public static final int MIN_BCRYPT_COST = 10;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private String users = "";
    private String apiKeys = "";
    private int loginFailuresPerMinute;

    /** One configured user or API key. */
    public record Credential(String name, Role role, String hash) {
        @Override
        public String toString() {
            return name + " (" + role.name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
    }

    /** The parsed users and API keys. */
    public record Credentials(List<Credential> users, List<Credential> apiKeys, int loginFailuresPerMinute) {
        /** True when nobody is configured: the server then listens on the loopback interface only. */
        public boolean none() {
            return users.isEmpty() && apiKeys.isEmpty();
        }
    }

    /** Parses and validates every entry; throws {@link InvalidConfigurationException} naming each one at fault. */
    public Credentials credentials() {
        List<String> problems = new ArrayList<>();
        List<Credential> parsedUsers = parse(users, USERS_KEY, BCRYPT, "a bcrypt hash ($2a$10$..., 60 characters: "
                + "java -jar airtable-integrity-runner.jar hash-password)", SecuritySettings::weakBcrypt, problems);
        List<Credential> parsedKeys = parse(apiKeys, API_KEYS_KEY, SHA256_HEX, "the SHA-256 of the key, 64 hex digits "
                + "(java -jar airtable-integrity-runner.jar new-api-key)", hash -> null, problems);
        if (loginFailuresPerMinute < 1 || loginFailuresPerMinute > 1000) {
            problems.add(FAILURES_KEY + " must be from 1 to 1000, was " + loginFailuresPerMinute);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new Credentials(parsedUsers, parsedKeys, loginFailuresPerMinute);
    }

    /** The entries of {@code text}; a hash must match {@code hashShape}, and {@code weakness} finds it none. */
    private static List<Credential> parse(String text, String key, Pattern hashShape, String hashText,
                                          Function<String, String> weakness, List<String> problems) {
        List<Credential> result = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return result;
        }
        Set<String> names = new HashSet<>();
        String[] entries = text.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            String where = key + " entry " + (i + 1);
            String[] parts = entry.split(":", -1);
            if (parts.length != 3) {
                problems.add(where + " must be name:role:hash (three parts separated by ':'), has "
                        + parts.length + " part(s)");
                continue;
            }
            String name = parts[0].trim();
            Role role = Role.named(parts[1].trim());
            String hash = parts[2].trim();
            if (!NAME.matcher(name).matches()) {
                problems.add(where + ": the name must be 1 to 64 letters, digits or . _ @ -");
                continue;
            }
            where = where + " ('" + name + "')";
            if (!names.add(name)) {
                problems.add(where + ": the name is given twice");
            }
            if (role == null) {
                problems.add(where + ": role must be one of " + Role.allowed() + ", was '" + parts[1].trim() + "'");
            }
            boolean wellFormed = hashShape.matcher(hash).matches();
            String weak = wellFormed ? weakness.apply(hash) : null;
            if (!wellFormed) {
                problems.add(where + ": the hash must be " + hashText + " (the value is not shown)");
            } else if (weak != null) {
                problems.add(where + ": " + weak + " (the value is not shown)");
            } else if (role != null) {
                result.add(new Credential(name, role, hash));
            }
        }
        return result;
    }

    /** Why a well-formed bcrypt hash is too cheap (its cost, the two digits after {@code $2a$}), or null. */
    private static String weakBcrypt(String hash) {
        int start = hash.indexOf('$', 1) + 1;
        int cost = Integer.parseInt(hash.substring(start, start + 2));
        return cost >= MIN_BCRYPT_COST ? null : "the bcrypt hash has cost " + cost + "; at least " + MIN_BCRYPT_COST
                + " is required (java -jar airtable-integrity-runner.jar hash-password makes one)";
    }

    public String getUsers() { return users; }
    public void setUsers(String users) { this.users = users; }
    public String getApiKeys() { return apiKeys; }
    public void setApiKeys(String apiKeys) { this.apiKeys = apiKeys; }
    public int getLoginFailuresPerMinute() { return loginFailuresPerMinute; }
    public void setLoginFailuresPerMinute(int value) { this.loginFailuresPerMinute = value; }
}
