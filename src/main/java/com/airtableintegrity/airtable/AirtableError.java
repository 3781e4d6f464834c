package com.airtableintegrity.airtable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An Airtable error answer: {@code {"error":{"type":"...","message":"..."}}} or {@code {"error":"NOT_FOUND"}}.
 * Unknown bodies give an empty type; the message is cut short so that a large HTML error page does not end up in
 * Firestore.
 */
public record AirtableError(int status, String type, String message) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;
    /** Airtable's types are short words such as NOT_FOUND; anything longer is not one. */
    private static final int MAX_TYPE = 60;

    public static AirtableError of(int status, byte[] body) {
        String type = "";
        String message = "";
        try {
            JsonNode error = MAPPER.readTree(body).path("error");
            if (error.isTextual()) {
                type = error.asText();
            } else if (error.isObject()) {
                type = error.path("type").asText("");
                message = error.path("message").asText("");
            }
        } catch (Exception notJson) {
            // not an Airtable-shaped body: keep status only
        }
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        if (type.length() > MAX_TYPE) {
            type = type.substring(0, MAX_TYPE) + "…";
        }
        return new AirtableError(status, type, message);
    }

    /** e.g. {@code HTTP 503 SERVICE_UNAVAILABLE: Service temporarily unavailable}. */
    public String describe() {
        StringBuilder s = new StringBuilder("HTTP ").append(status);
        if (!type.isEmpty()) {
            s.append(' ').append(type);
        }
        if (!message.isEmpty()) {
            s.append(": ").append(message);
        }
        return s.toString();
    }
}
