package com.airtableintegrity.support;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The answer of {@link AirtableDouble}'s schema endpoint {@code GET /v0/meta/bases/{baseId}/tables}, shaped like
 * Airtable's: {@code {"tables":[{"id","name","primaryFieldId","fields":[{"id","name","type"}],"views":[]}]}}. Ids are
 * stable (derived from the names); a field is typed {@code singleLineText} unless {@link AirtableDouble#typeField} typed
 * it (with its {@code options}: a select's choices, a link's linked table).
 */
final class AirtableDoubleSchema {

    private AirtableDoubleSchema() {
    }

    static byte[] json(Collection<AirtableDoubleTable> tables) {
        StringBuilder sb = new StringBuilder(256).append("{\"tables\":[");
        boolean firstTable = true;
        for (AirtableDoubleTable t : tables) {
            sb.append(firstTable ? "" : ",");
            firstTable = false;
            sb.append("{\"id\":");
            AirtableDoubleJson.string(sb, tableId(t));
            sb.append(",\"name\":");
            AirtableDoubleJson.string(sb, t.name);
            sb.append(",\"primaryFieldId\":");
            AirtableDoubleJson.string(sb, fieldId(t, t.primaryField()));
            sb.append(",\"fields\":[");
            boolean firstField = true;
            for (String field : t.knownFields()) {
                sb.append(firstField ? "" : ",");
                firstField = false;
                sb.append("{\"id\":");
                AirtableDoubleJson.string(sb, fieldId(t, field));
                sb.append(",\"name\":");
                AirtableDoubleJson.string(sb, field);
                AirtableDoubleTable.FieldType type = t.typeOf(field);
                sb.append(",\"type\":");
                AirtableDoubleJson.string(sb, type.type());
                if (type.optionsJson() != null) {
                    sb.append(",\"options\":").append(type.optionsJson());
                }
                sb.append('}');
            }
            sb.append("],\"views\":[]}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The id the schema gives a table's table id. */
    static String tableId(AirtableDoubleTable t) {
        return id("tbl", t.baseId + "/" + t.name);
    }

    private static String fieldId(AirtableDoubleTable t, String field) {
        return id("fld", t.baseId + "/" + t.name + "/" + field);
    }

    private static String id(String prefix, String of) {
        return prefix + String.format("%014d", Math.abs((long) of.hashCode()));
    }
}
