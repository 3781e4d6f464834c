package com.airtableintegrity.demo;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sample base's schema, as {@code GET /v0/meta/bases/{baseId}/tables} answers it:
 * {@code {"tables":[{"id","name","primaryFieldId","fields":[{"id","name","type"}],"views":[]}]}}. The runner reads
 * the primary field of each table from it (for a table whose rules read no field, here Products).
 */
final class SampleSchema {
    private SampleSchema() {
    }

    static ObjectNode of(SampleBase sample, ObjectMapper json) {
        ObjectNode schema = json.createObjectNode();
        ArrayNode tables = schema.putArray("tables");
        int t = 0;
        for (String table : sample.tables().keySet()) {
            t++;
            List<String> fields = SampleBase.fields(table);
            ObjectNode node = tables.addObject();
            node.put("id", id("tbl", t, 0));
            node.put("name", table);
            node.put("primaryFieldId", id("fld", t, 1));
            ArrayNode fieldNodes = node.putArray("fields");
            for (int f = 0; f < fields.size(); f++) {
                fieldNodes.addObject().put("id", id("fld", t, f + 1)).put("name", fields.get(f))
                        .put("type", type(fields.get(f)));
            }
            node.putArray("views").addObject().put("id", id("viw", t, 0)).put("name", "Grid view")
                    .put("type", "grid");
        }
        return schema;
    }

    private static String type(String field) {
        return switch (field) {
            case "Email" -> "email";
            case "Phone" -> "phoneNumber";
            case "Customer", "Products" -> "multipleRecordLinks";
            case "Status", "Category" -> "singleSelect";
            case "Price", "Total" -> "currency";
            default -> "singleLineText";
        };
    }

    private static String id(String prefix, int table, int field) {
        return String.format("%sDemo%05d%05d", prefix, table, field);
    }
}
