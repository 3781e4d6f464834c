package com.airtableintegrity.demo;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sample base's {@code offset} values, shaped like Airtable's ({@code itr<iteration>/<next record id>}): the
 * iteration names the table, the record id where the next page starts. Anything else is
 * {@code INVALID_OFFSET_VALUE}.
 */
final class SampleOffsets {
    private SampleOffsets() {
    }

    /** The offset of the page that starts with {@code next}. */
    static String of(String table, ObjectNode next) {
        return iteration(table) + "/" + next.get("id").asText();
    }

    /**
     * The index of the first record of the page {@code offset} asks for; 0 for no offset.
     * @throws IllegalArgumentException for an offset this table never gave
     */
    static int start(String table, List<ObjectNode> rows, String offset) {
        if (offset.isEmpty()) {
            return 0;
        }
        String prefix = iteration(table) + "/";
        if (offset.startsWith(prefix)) {
            String id = offset.substring(prefix.length());
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).get("id").asText().equals(id)) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("The pagination offset is not valid");
    }

    private static String iteration(String table) {
        return "itr" + String.format("%014x", table.hashCode() & 0xffffffffL);
    }
}
