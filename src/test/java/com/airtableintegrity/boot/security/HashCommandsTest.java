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

    @Test
    void hashPasswordPrintsABcryptEntryOfThePasswordReadFromStandardInput() throws Exception {
        String out = run("hash-password", "a long passphrase\n");

        String hash = out.trim().substring(out.trim().lastIndexOf(':') + 1);
        assertThat(out).startsWith("INTEGRITY_USERS entry: <name>:<viewer|operator>:$2a$10$");
        assertThat(new BCryptPasswordEncoder().matches("a long passphrase", hash)).isTrue();
        assertThat(SecuritySettingsTest.settings("ann:operator:" + hash, "").credentials().users()).hasSize(1);
    }

    @Test
    void newApiKeyPrintsARandomKeyOnceAndTheSha256EntryThatAcceptsIt() throws Exception {
        String[] lines = run("new-api-key", "").split("\n");

        String key = lines[0].substring(lines[0].lastIndexOf(' ') + 1);
        String hash = lines[1].substring(lines[1].lastIndexOf(':') + 1).trim();
        assertThat(key).hasSize(43);
        assertThat(hash).isEqualTo(HexFormat.of().formatHex(ApiKeyAuthenticator.sha256(key)));
        assertThat(SecuritySettingsTest.settings("", "ci:operator:" + hash).credentials().apiKeys()).hasSize(1);
        assertThat(run("new-api-key", "")).doesNotContain(key);
    }

    @Test
    void anEmptyPasswordIsRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = HashCommands.run(new String[] {"hash-password"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static String run(String command, String stdin) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = HashCommands.run(new String[] {command},
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
