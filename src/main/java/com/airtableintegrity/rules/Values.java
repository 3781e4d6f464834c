package com.airtableintegrity.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/** Helpers shared by the rules: emptiness, text rendering and value excerpts. */
final class Values {
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

    /**
     * The value as text: strings as-is, any other JSON as compact JSON ({@code 12}, {@code true}, {@code ["a","b"]}).
     */
    static String text(JsonNode value) {
        return isString(value) ? value.textValue() : value.toString();
    }

    /** The text cut to {@link Issue#MAX_VALUE} characters ({@link #truncate}); {@code null} stays {@code null}. */
    static String excerpt(String text) {
        return truncate(text, Issue.MAX_VALUE);
    }

    /**
     * The text cut to at most {@code max} characters: longer text keeps its first {@code max - 1} characters (one
     * fewer if that would split a surrogate pair) followed by {@code …}. {@code null} stays {@code null}. The result
     * never shares storage with a long input (substring copies), so it does not keep a big value alive.
     */
    static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
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
