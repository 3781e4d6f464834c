package com.airtableintegrity.store;

/** Cuts text that goes into a stored document to a bounded length, never between the two halves of a surrogate pair. */
public final class Excerpts {
    private Excerpts() {
    }

    /** The text itself when it has at most {@code max} chars, else its first {@code max - 1} chars and "…". */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
