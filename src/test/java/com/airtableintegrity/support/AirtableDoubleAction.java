package com.airtableintegrity.support;

import java.time.Duration;

/** What {@link AirtableDouble} decided to send for one request, and how to deliver it on the wire. */
final class AirtableDoubleAction {

    /** How the answer goes on the wire: normally, or one of the byte-level fault behaviours. */
    enum Mode { RESPOND, SLOW, HOLD, HEADERS_HANG, DRIP, TRUNCATED, RESET }

    static final byte[] EMPTY = new byte[0];

    Mode mode;
    int status;
    byte[] body;
    String retryAfter;
    Duration wait;
    int truncateAt;

    static AirtableDoubleAction of(Mode mode, int status, byte[] body) {
        AirtableDoubleAction a = new AirtableDoubleAction();
        a.mode = mode;
        a.status = status;
        a.body = body;
        return a;
    }

    static AirtableDoubleAction respond(int status, byte[] body) {
        return of(Mode.RESPOND, status, body);
    }

    /** {@code status} with an Airtable-shaped error body. */
    static AirtableDoubleAction error(int status, String type, String message) {
        return respond(status, AirtableDoubleJson.errorBody(type, message));
    }

    AirtableDoubleAction mode(Mode m) {
        this.mode = m;
        return this;
    }
}
