package com.airtableintegrity.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A notification channel by name ({@code integrity.notify.channels.<name>}). {@code kind} is {@code webhook} (a
 * signed JSON POST to {@code url} with {@code secret}), {@code slack} (a Slack incoming webhook at {@code url}) or
 * {@code email} (SMTP: {@code smtp-host}, {@code smtp-port}, {@code username}, {@code password}, {@code starttls},
 * {@code from}, {@code to}). The URL, secret and password are secrets: they live in the configuration only, never
 * in Firestore, an API answer, a log line or an exception.
 */
public class ChannelSpec {
    public static final String WEBHOOK = "webhook";
    public static final String SLACK = "slack";
    public static final String EMAIL = "email";

    private String kind = "";
    private String url = "";
    private String secret = "";
    private String smtpHost = "";
    private int smtpPort = 587;
    private String username = "";
    private String password = "";
    /** {@code required} (default: refuse a server without STARTTLS), {@code optional}, or {@code off}. */
    private String starttls = "required";
    private String from = "";
    private List<String> to = new ArrayList<>();

    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getSecret() { return secret; }
    public void setSecret(String secret) { this.secret = secret; }
    public String getSmtpHost() { return smtpHost; }
    public void setSmtpHost(String smtpHost) { this.smtpHost = smtpHost; }
    public int getSmtpPort() { return smtpPort; }
    public void setSmtpPort(int smtpPort) { this.smtpPort = smtpPort; }
    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
    public String getStarttls() { return starttls; }
    public void setStarttls(String starttls) { this.starttls = starttls; }
    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public List<String> getTo() { return to; }
    public void setTo(List<String> to) { this.to = to == null ? new ArrayList<>() : to; }

    /** The values that must never be shown, for redacting error texts (empty ones left out). */
    public List<String> secrets() {
        List<String> all = new ArrayList<>();
        for (String s : new String[] {url, secret, password}) {
            if (s != null && !s.isBlank()) {
                all.add(s);
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return "ChannelSpec[kind=" + kind + "]"; // never the URL, secret or password
    }
}
