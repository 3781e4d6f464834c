package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console's session cookie is HttpOnly and SameSite=Lax, and Secure when the request came over https: here
 * through a trusted proxy (forwarded headers from loopback, Tomcat's default internal proxies) that says so.
 */
class SessionCookieTest extends BootApiTest {
    private static final Pattern SESSION_COOKIE = Pattern.compile("\r\nSet-Cookie: (JSESSIONID=[^\r\n]*)\r\n");

    @DynamicPropertySource
    static void credentialsBehindAProxy(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
        r.add("server.forward-headers-strategy", () -> "native");
    }

    @Test
    void overPlainHttpTheSessionCookieIsHttpOnlyAndSameSiteLaxButNotSecure() throws Exception {
        String cookie = sessionCookie("GET / HTTP/1.1\r\nConnection: close");

        assertThat(cookie).contains("; HttpOnly", "; SameSite=Lax").doesNotContain("Secure");
    }

    @Test
    void overHttpsFromATrustedProxyTheSessionCookieIsAlsoSecure() throws Exception {
        String cookie = sessionCookie("GET / HTTP/1.1\r\nX-Forwarded-Proto: https\r\nConnection: close");

        assertThat(cookie).contains("; Secure", "; HttpOnly", "; SameSite=Lax");
    }

    private String sessionCookie(String request) throws Exception {
        String answer = api.raw(request, Duration.ofSeconds(10));
        Matcher cookie = SESSION_COOKIE.matcher(answer);
        assertThat(cookie.find()).as("a session cookie in: " + answer).isTrue();
        return cookie.group(1);
    }
}
