package com.airtableintegrity.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A base's tables and fields as {@code GET /v0/meta/bases/{base}/tables} answers them: for each table its id, name and
 * fields; for each field its id, name, type, whether it is the table's primary field, the choices of a single or
 * multiple select, and the table a link field points to. What the schema editor suggests rules from, and what schema
 * drift is measured against. Entries without an id or a name are skipped and counted ({@link #skipped}), never
 * guessed; the answer's size is capped by the caller, as a page is.
 */
public record BaseTables(List<Table> tables, int skipped) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A field: {@code choices} is empty unless it is a select, {@code linkedTableId} null unless it is a link. */
    public record Field(String id, String name, String type, boolean primary, List<String> choices,
                        String linkedTableId) {
    }

    /** A table and its fields, in the schema's order. */
    public record Table(String id, String name, List<Field> fields) {
        /** The field named {@code name} (Airtable field names are unique within a table). */
        public Optional<Field> field(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).findFirst();
        }
    }

    /**
     * Reads a 200 answer.
     *
     * @throws IllegalArgumentException naming what is wrong when the answer is not JSON or has no {@code tables} array
     */
    public static BaseTables parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the base's schema is not JSON");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the base's schema could not be read");
        }
        JsonNode tables = root == null ? null : root.get("tables");
        if (tables == null || !tables.isArray()) {
            throw new IllegalArgumentException("the base's schema has no 'tables' array");
        }
        List<Table> read = new ArrayList<>();
        int skipped = 0;
        for (JsonNode t : tables) {
            String id = text(t, "id");
            String name = text(t, "name");
            if (id == null || name == null) {
                skipped++;
                continue;
            }
            String primaryId = text(t, "primaryFieldId");
            List<Field> fields = new ArrayList<>();
            for (JsonNode f : t.path("fields")) {
                String fieldId = text(f, "id");
                String fieldName = text(f, "name");
                if (fieldId == null || fieldName == null) {
                    skipped++;
                    continue;
                }
                JsonNode options = f.path("options");
                List<String> choices = new ArrayList<>();
                for (JsonNode c : options.path("choices")) {
                    String choice = text(c, "name");
                    if (choice != null) {
                        choices.add(choice);
                    }
                }
                fields.add(new Field(fieldId, fieldName, String.valueOf(text(f, "type")),
                        fieldId.equals(primaryId), List.copyOf(choices), text(options, "linkedTableId")));
            }
            read.add(new Table(id, name, List.copyOf(fields)));
        }
        return new BaseTables(List.copyOf(read), skipped);
    }

    /** The table named {@code name}. */
    public Optional<Table> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The name of the table whose id is {@code id}. */
    public Optional<String> tableName(String id) {
        return tables.stream().filter(t -> t.id().equals(id)).map(Table::name).findFirst();
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }
}
