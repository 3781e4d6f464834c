package com.airtableintegrity.config;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the notification settings ({@code integrity.notify.*}) and every list of {@link NotifySpec}s (the
 * configured schedule's, a schedule document's), each problem naming its key. No message prints a URL, a secret or
 * a password.
 */
final class NotifyValidator {
    static final String CHANNELS_KEY = "integrity.notify.channels";
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** One plain address (no display name, none of {@code <>",;()}: it goes into an endpoint option as is). */
    private static final Pattern MAIL_ADDRESS = Pattern.compile("[^@\\s<>\",;()]+@[^@\\s<>\",;()]+\\.[^@\\s<>\",;()]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");
    private static final Set<String> STARTTLS = Set.of("required", "optional", "off");
    private static final int MIN_SECRET_CHARS = 16;

    private NotifyValidator() {
    }

    static void settings(Checks checks, NotifySettings n) {
        for (Map.Entry<String, ChannelSpec> e : n.getChannels().entrySet()) {
            channel(checks, CHANNELS_KEY + "." + e.getKey(), e.getKey(), e.getValue());
        }
        checks.cron("integrity.notify.cron (env INTEGRITY_NOTIFY_CRON)", n.getCron());
        if (n.getRetryFor() == null || n.getRetryFor().isNegative() || n.getRetryFor().isZero()
                || n.getRetryFor().toDays() > 30) {
            checks.add("integrity.notify.retry-for (env INTEGRITY_NOTIFY_RETRY_FOR) must be a duration from 1s to 30d "
                    + "such as 24h, was " + n.getRetryFor());
        }
        checks.range("integrity.notify.backoff-initial-seconds", n.getBackoffInitialSeconds(), 1, 86_400);
        if (n.getBackoffMaxSeconds() < n.getBackoffInitialSeconds()) {
            checks.add("integrity.notify.backoff-max-seconds must be >= integrity.notify.backoff-initial-seconds ("
                    + n.getBackoffInitialSeconds() + "), was " + n.getBackoffMaxSeconds());
        }
        checks.range("integrity.notify.connect-timeout-seconds", n.getConnectTimeoutSeconds(), 1, 600);
        checks.range("integrity.notify.read-timeout-seconds", n.getReadTimeoutSeconds(), 1, 600);
        checks.range("integrity.notify.send-timeout-seconds", n.getSendTimeoutSeconds(), 1, 600);
        checks.range("integrity.notify.rate-limit-seconds", n.getRateLimitSeconds(), 0, 7 * 86_400);
        checks.range("integrity.notify.max-answer-bytes", n.getMaxAnswerBytes(), 256, 1_048_576);
        checks.range("integrity.notify.batch-size", n.getBatchSize(), 1, 500);
    }

    private static void channel(Checks checks, String key, String name, ChannelSpec c) {
        if (!CHANNEL_NAME.matcher(name).matches()) {
            checks.add(key + ": a channel name is 1 to 63 characters from a-z, 0-9, '_' and '-', starting with a "
                    + "letter or digit");
        }
        if (c == null) {
            checks.add(key + " has no settings; it needs at least a kind (webhook, slack or email)");
            return;
        }
        switch (c.getKind() == null ? "" : c.getKind()) {
            case ChannelSpec.WEBHOOK -> {
                checks.receiverUrl(key + ".url", c.getUrl());
                checks.required(key + ".secret", c.getSecret(), false);
                if (c.getSecret() != null && !c.getSecret().isBlank() && c.getSecret().length() < MIN_SECRET_CHARS) {
                    checks.add(key + ".secret must be at least " + MIN_SECRET_CHARS + " characters (the value is "
                            + "secret and never printed)");
                }
            }
            case ChannelSpec.SLACK -> checks.receiverUrl(key + ".url", c.getUrl());
            case ChannelSpec.EMAIL -> email(checks, key, c);
            default -> checks.add(key + ".kind must be one of webhook, slack, email, was '" + c.getKind() + "'");
        }
    }

    private static void email(Checks checks, String key, ChannelSpec c) {
        checks.required(key + ".smtp-host", c.getSmtpHost(), true);
        if (c.getSmtpHost() != null && !c.getSmtpHost().isBlank() && !HOST.matcher(c.getSmtpHost()).matches()) {
            checks.add(key + ".smtp-host must be a host name or an IP address such as smtp.example.com, was '"
                    + c.getSmtpHost() + "'");
        }
        checks.range(key + ".smtp-port", c.getSmtpPort(), 1, 65_535);
        if (!STARTTLS.contains(c.getStarttls())) {
            checks.add(key + ".starttls must be one of required, optional, off, was '" + c.getStarttls() + "'");
        }
        boolean user = c.getUsername() != null && !c.getUsername().isBlank();
        boolean password = c.getPassword() != null && !c.getPassword().isBlank();
        if (user != password) {
            checks.add(key + ": username and password go together (one is set, the other is empty)");
        }
        if (password && !"required".equals(c.getStarttls())) {
            checks.add(key + ".starttls must be 'required' when a password is set: it would otherwise be sent in "
                    + "clear to a server that offers no STARTTLS");
        }
        if (c.getFrom() == null || !MAIL_ADDRESS.matcher(c.getFrom()).matches()) {
            checks.add(key + ".from must be one e-mail address such as integrity@example.com, was '" + c.getFrom()
                    + "'");
        }
        if (c.getTo().isEmpty()) {
            checks.add(key + ".to must list at least one e-mail address");
        }
        for (int i = 0; i < c.getTo().size(); i++) {
            String to = c.getTo().get(i);
            if (to == null || !MAIL_ADDRESS.matcher(to).matches()) {
                checks.add(key + ".to[" + i + "] must be one e-mail address such as owner@example.com, was '" + to
                        + "'");
            }
        }
    }

    /**
     * A schedule's {@code notify} list at {@code key} (e.g. {@code $.notify} or {@code integrity.schedule.notify}):
     * each entry names a configured channel, once, with at least one known event, each once.
     */
    static void notifyList(Checks checks, String key, List<NotifySpec> list, Set<String> channels) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            NotifySpec spec = list.get(i);
            if (spec == null) {
                checks.add(at + " is empty; it needs a channel and its events");
                continue;
            }
            String channel = spec.getChannel();
            if (channel == null || channel.isBlank()) {
                checks.add(at + ".channel is required: the name of a channel under " + CHANNELS_KEY);
            } else if (!channels.contains(channel)) {
                checks.add(at + ".channel '" + cut(channel) + "' is not a configured channel; "
                        + (channels.isEmpty() ? "none is configured (" + CHANNELS_KEY + ")"
                        : "configured: " + String.join(", ", channels.stream().sorted().toList())));
            } else if (!seen.add(channel)) {
                checks.add(at + ".channel '" + channel + "' is listed twice; list its events once");
            }
            if (spec.getEvents().isEmpty()) {
                checks.add(at + ".events must list at least one of " + String.join(", ", NotifySpec.EVENTS));
            }
            Set<String> events = new HashSet<>();
            for (int j = 0; j < spec.getEvents().size(); j++) {
                String event = spec.getEvents().get(j);
                if (!NotifySpec.EVENTS.contains(event)) {
                    checks.add(at + ".events[" + j + "] '" + cut(event) + "' is not an event; events are "
                            + String.join(", ", NotifySpec.EVENTS));
                } else if (!events.add(event)) {
                    checks.add(at + ".events[" + j + "] '" + event + "' is listed twice");
                }
            }
        }
    }

    private static String cut(String value) {
        return value == null ? "null" : value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
