package com.airtableintegrity.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/** Helpers shared by the rules: emptiness, text rendering and value excerpts. */
final class Values {
    /** Maximum length of {@link Issue#value()}, ellipsis included. */
    static final int MAX_EXCERPT = 200;
    static final String ELLIPSIS = "…";

    private Values() {
    }

    /**
     * Whether a field value counts as "no value": key missing ({@code null} / missing node), JSON {@code null},
     * a string that is empty or whitespace only, or an empty array. Everything else ({@code 0}, {@code false},
     * {@code {}}, ...) is a value.
     */
    static boolean isEmpty(JsonNode value) {
        if (value == null) {
            return true;
        }
        JsonNodeType type = value.getNodeType();
        switch (type) {
            case NULL:
            case MISSING:
                return true;
            case STRING:
                return value.textValue().isBlank();
            case ARRAY:
                return value.size() == 0;
            default:
                return false;
        }
    }

    static boolean isString(JsonNode value) {
        return value.getNodeType() == JsonNodeType.STRING;
    }

    /** The value as text: strings as-is, any other JSON as compact JSON ({@code 12}, {@code true}, {@code ["a","b"]}). */
    static String text(JsonNode value) {
        return isString(value) ? value.textValue() : value.toString();
    }

    /**
     * The text cut to {@link #MAX_EXCERPT} characters: longer text keeps its first 199 characters (one fewer if that
     * would split a surrogate pair) followed by {@code …}. {@code null} stays {@code null}.
     */
    static String excerpt(String text) {
        if (text == null || text.length() <= MAX_EXCERPT) {
            return text;
        }
        int end = MAX_EXCERPT - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    /** {@code excerpt(text(value))}. */
    static String excerpt(JsonNode value) {
        return excerpt(text(value));
    }
}
