package com.airtableintegrity.notify;

import com.airtableintegrity.config.ChannelSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Takes a channel's secrets out of an error text before it is logged or stored: the URL (a Slack webhook URL is its
 * own credential; exceptions of the HTTP client may quote it), its path and query, the signing secret and the SMTP
 * password. Texts are also cut, so that a receiver's answer is never kept whole.
 */
final class Redaction {
    static final int MAX_CHARS = 500;

    private Redaction() {
    }

    static String redact(String text, String channelName, ChannelSpec channel) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (channel != null) {
            List<String> secrets = new ArrayList<>(channel.secrets());
            String url = channel.getUrl();
            if (url != null && !url.isBlank()) {
                try {
                    URI uri = new URI(url);
                    if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
                        secrets.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
                        secrets.add(uri.getRawPath());
                    }
                } catch (Exception ignored) {
                    // the whole URL is redacted all the same
                }
            }
            secrets.sort(Comparator.comparingInt(String::length).reversed()); // the longest first
            for (String secret : secrets) {
                out = out.replace(secret, "[secret of channel " + channelName + "]");
            }
        }
        return out.length() <= MAX_CHARS ? out : out.substring(0, MAX_CHARS - 1) + "…";
    }
}
