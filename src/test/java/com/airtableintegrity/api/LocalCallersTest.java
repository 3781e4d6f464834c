package com.airtableintegrity.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Whom a runner on a loopback address answers, as both runtimes' HTTP servers ask it. */
class LocalCallersTest {
    private static final String PATH = "/api/runs";
    private static final String NOT_OURS = "{\"status\":421,\"error\":\"Misdirected Request\",\"message\":\"Host "
            + "'rebind.attacker.example' is not a name of this runner: it listens on a loopback address and answers "
            + "only localhost, 127.0.0.1 and [::1]\",\"path\":\"/api/runs\"}";
    private static final String OTHER_SITE = "{\"status\":403,\"error\":\"Forbidden\",\"message\":\"A POST from "
            + "another site's page is refused: this runner listens on a loopback address for its local callers only\","
            + "\"path\":\"/api/runs\"}";

    @Test
    void loopbackNamesInAnyCaseAreAnswered() {
        for (String host : new String[] {"localhost", "LOCALHOST", "127.0.0.1", "[::1]", "::1"}) {
            assertThat(LocalCallers.refusal("GET", host, null, null, PATH)).as(host).isNull();
        }
    }

    @Test
    void aRequestNamingNoHostIsAnswered() {
        assertThat(LocalCallers.refusal("POST", null, null, null, PATH)).isNull();
    }

    @Test
    void anyOtherHostIsMisdirected() {
        assertThat(LocalCallers.refusal("GET", "rebind.attacker.example", null, null, PATH).toJson())
                .isEqualTo(NOT_OURS);
        assertThat(LocalCallers.refusal("GET", "127.0.0.2", null, null, PATH).status()).isEqualTo(421);
        assertThat(LocalCallers.refusal("GET", "localhost.", null, null, PATH).status()).isEqualTo(421);
    }

    @Test
    void aForeignHostIsRefusedBeforeTheWriteIsLookedAt() {
        assertThat(LocalCallers.refusal("POST", "rebind.attacker.example", "cross-site", null, PATH).toJson())
                .isEqualTo(NOT_OURS);
    }

    @Test
    void aWriteFromAnotherSiteIsForbidden() {
        assertThat(LocalCallers.refusal("POST", "localhost", "cross-site", null, PATH).toJson()).isEqualTo(OTHER_SITE);
        assertThat(LocalCallers.refusal("POST", "localhost", "Same-Site", null, PATH).toJson()).isEqualTo(OTHER_SITE);
        for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
            assertThat(LocalCallers.refusal(method, "localhost", "cross-site", null, PATH).message())
                    .startsWith("A " + method + " from another site's page is refused");
        }
    }

    @Test
    void aWriteWhoseOriginIsNotALoopbackOriginIsForbidden() {
        for (String origin : new String[] {"https://evil.example", "http://rebind.example:8080", "null", "::bad::"}) {
            assertThat(LocalCallers.refusal("POST", "127.0.0.1", null, origin, PATH)).as(origin)
                    .isEqualTo(ApiError.of(403, LocalCallers.refusal("POST", "127.0.0.1", "cross-site", null, PATH)
                            .message(), PATH));
        }
    }

    @Test
    void aWriteFromTheRunnersOwnPagesOrFromAClientThatIsNoBrowserIsAnswered() {
        assertThat(LocalCallers.refusal("POST", "localhost", "same-origin", "http://localhost:8080", PATH)).isNull();
        assertThat(LocalCallers.refusal("POST", "127.0.0.1", "none", "http://127.0.0.1:1", PATH)).isNull();
        assertThat(LocalCallers.refusal("DELETE", "[::1]", null, "http://[::1]:8080", PATH)).isNull();
        assertThat(LocalCallers.refusal("POST", "localhost", null, null, PATH)).isNull();
    }

    @Test
    void readsFromAnotherSiteAreAnswered() {
        for (String method : new String[] {"GET", "HEAD", "OPTIONS"}) {
            assertThat(LocalCallers.refusal(method, "localhost", "cross-site", "https://evil.example", PATH))
                    .as(method).isNull();
        }
    }
}
