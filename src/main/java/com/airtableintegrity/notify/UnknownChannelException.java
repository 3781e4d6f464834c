package com.airtableintegrity.notify;

/** A notice names a channel that is no longer configured: it cannot be delivered, and is given up at once. */
public final class UnknownChannelException extends RuntimeException {
    UnknownChannelException(String channel) {
        super("channel '" + channel + "' is no longer configured (integrity.notify.channels): the notice cannot "
                + "be delivered");
    }
}
