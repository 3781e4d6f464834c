package com.airtableintegrity.boot;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like client of the console: keeps cookies (the session), follows no redirects, and sends a page's CSRF
 * token back with its forms, as a browser submitting the form would.
 */
public final class ConsoleSession {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final CookieManager cookies = new CookieManager();
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    public ConsoleSession(int port) {
        this.port = port;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a form with {@code fields}; the CSRF token is the one {@code formPage} carries, if any. */
    public HttpResponse<String> postForm(String path, String formPage, Map<String, String> fields) throws Exception {
        return postFields(path, formPage, List.copyOf(fields.entrySet()));
    }

    /** Posts a form whose fields may repeat (rows of a table), in order; the CSRF token as {@link #postForm}. */
    public HttpResponse<String> postFields(String path, String formPage, List<Map.Entry<String, String>> fields)
            throws Exception {
        List<Map.Entry<String, String>> all = new ArrayList<>(fields);
        if (formPage != null) {
            all.add(Map.entry("_csrf", csrfOf(get(formPage).body())));
        }
        String body = all.stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return client.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in through the login form; the answer is the form's redirect. */
    public HttpResponse<String> login(String user, String password) throws Exception {
        return postForm("/login", "/login", Map.of("username", user, "password", password));
    }

    /** The session's cookies as a {@code Cookie} header value, for requests written by hand. */
    public String cookieHeader() {
        return cookies.getCookieStore().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    /** The CSRF token of a page's forms (Spring Security adds it to every POST form). */
    public static String csrfOf(String page) {
        Matcher m = CSRF.matcher(page);
        if (!m.find()) {
            throw new AssertionError("No CSRF token in the page: " + page);
        }
        return m.group(1);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(ApiClient.TIMEOUT);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
