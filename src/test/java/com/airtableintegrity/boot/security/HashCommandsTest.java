package com.airtableintegrity.boot.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The jar's commands make entries that the settings accept and that match what the user keeps. */
class HashCommandsTest {

    /** What a command printed on standard output and standard error, and its exit code. */
    private record Ran(int code, String out, String err) {
    }

    @Test
    void hashPasswordPrintsABcryptEntryOfCostTenOfThePasswordReadFromStandardInput() throws Exception {
        Ran ran = run("hash-password", "a long passphrase\n");

        String hash = ran.out().trim().substring(ran.out().trim().lastIndexOf(':') + 1);
        assertThat(ran.code()).isZero();
        assertThat(ran.out()).startsWith("INTEGRITY_USERS entry: <name>:<viewer|operator>:$2a$10$");
        assertThat(new BCryptPasswordEncoder().matches("a long passphrase", hash)).isTrue();
        assertThat(SecuritySettingsTest.settings("ann:operator:" + hash, "").credentials().users()).hasSize(1);
    }

    @Test
    void newApiKeyPrintsARandomKeyOnceAndTheSha256EntryThatAcceptsIt() throws Exception {
        String[] lines = run("new-api-key", "").out().split("\n");

        String key = lines[0].substring(lines[0].lastIndexOf(' ') + 1);
        String hash = lines[1].substring(lines[1].lastIndexOf(':') + 1).trim();
        assertThat(key).hasSize(43);
        assertThat(hash).isEqualTo(HexFormat.of().formatHex(ApiKeyAuthenticator.sha256(key)));
        assertThat(SecuritySettingsTest.settings("", "ci:operator:" + hash).credentials().apiKeys()).hasSize(1);
        assertThat(run("new-api-key", "").out()).doesNotContain(key);
    }

    @Test
    void anEmptyPasswordIsRefused() throws Exception {
        assertThat(run("hash-password", "")).isEqualTo(new Ran(2, "",
                "No password given (type it, or pipe it on standard input)\n"));
    }

    @Test
    void aPasswordShorterThanTwelveCharactersGetsNoHash() throws Exception {
        assertThat(run("hash-password", "x\n")).isEqualTo(new Ran(2, "",
                "The password has 1 character; at least 12 are required (a few words make a long one that is easy "
                        + "to remember)\n"));
        assertThat(run("hash-password", "elevenchars\n").err()).startsWith("The password has 11 characters; at least 12");
        assertThat(run("hash-password", "twelve chars\n").code()).isZero();
    }

    @Test
    void aPasswordLongerThanBcryptReadsGetsNoHash() throws Exception {
        assertThat(run("hash-password", "ä".repeat(37) + "\n")).isEqualTo(new Ran(2, "",
                "The password is longer than 72 bytes in UTF-8, all that bcrypt reads; use a shorter one\n"));
        assertThat(run("hash-password", "ä".repeat(36) + "\n").code()).isZero();
    }

    private static Ran run(String command, String stdin) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = HashCommands.run(new String[] {command},
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
