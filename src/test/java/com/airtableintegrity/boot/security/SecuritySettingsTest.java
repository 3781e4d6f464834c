package com.airtableintegrity.boot.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.InvalidConfigurationException;

/** integrity.security.*: entries are name:role:hash, each checked at startup, the hash never repeated. */
class SecuritySettingsTest {
    static final String BCRYPT = "$2a$10$" + "a".repeat(53);
    static final String SHA = "0123456789abcdef".repeat(4);

    @Test
    void nothingConfiguredMeansNoCredentials() {
        SecuritySettings settings = settings("", "");

        assertThat(settings.credentials().none()).isTrue();
    }

    @Test
    void usersAndKeysAreParsedWithTheirRoles() {
        SecuritySettings.Credentials c = settings("ann:operator:" + BCRYPT + ", bob:VIEWER:" + BCRYPT,
                "grafana:viewer:" + SHA).credentials();

        assertThat(c.users()).extracting(SecuritySettings.Credential::toString)
                .containsExactly("ann (operator)", "bob (viewer)");
        assertThat(c.apiKeys()).extracting(SecuritySettings.Credential::role).containsExactly(Role.VIEWER);
        assertThat(c.none()).isFalse();
    }

    @Test
    void everyBadEntryIsNamedByKeyPositionAndNameWithoutItsHash() {
        SecuritySettings settings = settings("ann:admin:" + BCRYPT + ",bob:viewer:secret-in-clear,carl:viewer,"
                + "ann:viewer:" + BCRYPT, "ci:operator:" + SHA.substring(1));

        assertThatThrownBy(settings::credentials).isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).containsExactly(
                        "integrity.security.users (env INTEGRITY_USERS) entry 1 ('ann'): role must be one of "
                                + "viewer, operator, was 'admin'",
                        "integrity.security.users (env INTEGRITY_USERS) entry 2 ('bob'): the hash must be a bcrypt "
                                + "hash ($2a$10$..., 60 characters: java -jar airtable-integrity-runner.jar "
                                + "hash-password) (the value is not shown)",
                        "integrity.security.users (env INTEGRITY_USERS) entry 3 must be name:role:hash (three parts "
                                + "separated by ':'), has 2 part(s)",
                        "integrity.security.users (env INTEGRITY_USERS) entry 4 ('ann'): the name is given twice",
                        "integrity.security.api-keys (env INTEGRITY_API_KEYS) entry 1 ('ci'): the hash must be the "
                                + "SHA-256 of the key, 64 hex digits (java -jar airtable-integrity-runner.jar "
                                + "new-api-key) (the value is not shown)"))
                .hasMessageNotContaining("secret-in-clear");
    }

    @Test
    void aBcryptHashOfCostBelowTenStopsStartupNamingTheKeyAndTheUserButNotTheHash() {
        String cheap = "$2a$04$" + "b".repeat(53);
        SecuritySettings settings = settings("ann:operator:" + BCRYPT + ",bob:viewer:" + cheap + ",carl:viewer:"
                + cheap.replace("$2a$04$", "$2b$09$"), "");

        assertThatThrownBy(settings::credentials).isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).containsExactly(
                        "integrity.security.users (env INTEGRITY_USERS) entry 2 ('bob'): the bcrypt hash has cost 4; "
                                + "at least 10 is required (java -jar airtable-integrity-runner.jar hash-password "
                                + "makes one) (the value is not shown)",
                        "integrity.security.users (env INTEGRITY_USERS) entry 3 ('carl'): the bcrypt hash has cost 9; "
                                + "at least 10 is required (java -jar airtable-integrity-runner.jar hash-password "
                                + "makes one) (the value is not shown)"))
                .hasMessageNotContaining("bbbb");
        assertThat(settings("ann:operator:" + BCRYPT.replace("$10$", "$12$"), "").credentials().users()).hasSize(1);
    }

    @Test
    void theLoginFailureLimitMustBeFromOneToAThousand() {
        SecuritySettings settings = settings("", "");
        settings.setLoginFailuresPerMinute(0);

        assertThatThrownBy(settings::credentials).hasMessageContaining("integrity.security.login-failures-per-minute "
                + "(env INTEGRITY_LOGIN_FAILURES_PER_MINUTE) must be from 1 to 1000, was 0");
    }

    static SecuritySettings settings(String users, String keys) {
        SecuritySettings settings = new SecuritySettings();
        settings.setUsers(users);
        settings.setApiKeys(keys);
        settings.setLoginFailuresPerMinute(5);
        return settings;
    }
}
