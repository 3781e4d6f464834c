package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * An API answer carries the headers the API means to send and nothing a request chose: camel-platform-http maps
 * request headers and query parameters into the message and, unfiltered, wrote them back out as response headers
 * (a plain link could set a cookie or a redirect on the runner's own origin). The headers it does mean to send:
 * {@code Location} (SchedulesApiTest), {@code Retry-After} (ManualRunStartTest).
 */
class AnswerHeadersTest extends BootApiTest {

    @Test
    void aRequestHeaderIsNotEchoedOnTheAnswer() throws Exception {
        ApiClient.Answer answer = api.get("/api/runs?limit=1", "X-Reflect-Me", "hello");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Reflect-Me")).isEmpty();
        assertThat(answer.header("limit")).isEmpty();
    }

    @Test
    void queryParametersCannotSetACookieOrARefreshOnTheAnswer() throws Exception {
        ApiClient.Answer answer = api.get("/api/runs?Set-Cookie=JSESSIONID%3Dattacker%3B%20Path%3D%2F"
                + "&Refresh=0%3Burl%3Dhttps://evil.example");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Set-Cookie")).isEmpty();
        assertThat(answer.header("Refresh")).isEmpty();
    }

    @Test
    void theCallersRequestIdComesBackOnceAndAMissingOneIsMadeUp() throws Exception {
        ApiClient.Answer given = api.get("/api/runs?limit=1", RequestIdFilter.HEADER, "trace-42.a_b");
        ApiClient.Answer invalid = api.get("/api/runs?limit=1", RequestIdFilter.HEADER, "no spaces allowed");

        assertThat(given.response().headers().allValues(RequestIdFilter.HEADER)).isEqualTo(List.of("trace-42.a_b"));
        assertThat(invalid.response().headers().allValues(RequestIdFilter.HEADER)).singleElement()
                .satisfies(id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }
}
