package com.airtableintegrity.boot.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The jar's two helper commands for {@code integrity.security.*}, run before Spring starts:
 * {@code java -jar airtable-integrity-runner.jar hash-password} (reads a password, prints its bcrypt hash) and
 * {@code ... new-api-key} (prints a new random key once, and its SHA-256 for {@code INTEGRITY_API_KEYS}).
 * A password must be {@value #MIN_PASSWORD_CHARACTERS} characters at least (OWASP ASVS 4.0, 2.1.1) and at most
 * {@value #MAX_PASSWORD_BYTES} bytes in UTF-8 (all bcrypt reads); it is hashed at cost
 * {@value SecuritySettings#MIN_BCRYPT_COST}, the least the settings accept.
 */
public final class HashCommands {
    private static final int MIN_PASSWORD_CHARACTERS = 12;
    private static final int MAX_PASSWORD_BYTES = 72;

    private HashCommands() {
    }

    /** True when {@code args} name one of the commands. */
    public static boolean handles(String[] args) {
        return args.length == 1 && (args[0].equals("hash-password") || args[0].equals("new-api-key"));
    }

    /** Runs the command; returns the process exit code. */
    public static int run(String[] args, PrintStream out) throws IOException {
        return run(args, System.in, out, System.err);
    }

    /**
     * Runs the command reading a password from {@code in} when there is no console, writing a refusal to {@code err};
     * returns the exit code.
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
        if (args[0].equals("new-api-key")) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            out.println("API key (give it to the client; it is not stored anywhere): " + key);
            out.println("INTEGRITY_API_KEYS entry: <name>:<viewer|operator>:"
                    + HexFormat.of().formatHex(ApiKeyAuthenticator.sha256(key)));
            return 0;
        }
        String password = readPassword(in);
        String refusal = refusal(password);
        if (refusal != null) {
            err.println(refusal);
            return 2;
        }
        out.println("INTEGRITY_USERS entry: <name>:<viewer|operator>:"
                + new BCryptPasswordEncoder(SecuritySettings.MIN_BCRYPT_COST).encode(password));
        return 0;
    }

    /** Why {@code password} gets no hash, or null when it may have one. */
    private static String refusal(String password) {
        if (password == null || password.isEmpty()) {
            return "No password given (type it, or pipe it on standard input)";
        }
        int characters = password.codePointCount(0, password.length());
        if (characters < MIN_PASSWORD_CHARACTERS) {
            return "The password has " + characters + (characters == 1 ? " character" : " characters")
                    + "; at least " + MIN_PASSWORD_CHARACTERS
                    + " are required (a few words make a long one that is easy to remember)";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return "The password is longer than " + MAX_PASSWORD_BYTES + " bytes in UTF-8, all that bcrypt reads; "
                    + "use a shorter one";
        }
        return null;
    }

    private static String readPassword(InputStream in) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Password: ");
            return typed == null ? null : new String(typed);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    }
}
