package com.airtableintegrity.airtable;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.run.RunContext;

/**
 * Which fields a table's scan downloads: only those its rules read ({@code fields[]=...}). A table whose rules read
 * no field (a {@code links_to} target, or a table only counted) needs just its record ids, which every record carries
 * whatever its fields: it asks for its primary field alone, named by the base's schema ({@link BaseSchema}). When the
 * token may not read the schema (403), such a table is read with all its fields, and one WARN line says why.
 */
final class FieldProjection {
    private static final Logger LOG = LoggerFactory.getLogger(FieldProjection.class);
    private static final String FIELD_PARAMETER = "&fields%5B%5D=";

    private FieldProjection() {
    }

    /**
     * At the table's start: project on the rule fields, or on the primary field. The base's schema is read first
     * (once per run, by the first table to get here; the others wait for it) when a table's rules read no field, or
     * when the run wants the table ids of its record links (integrity.issues.record-links).
     */
    static void choose(TableScan scan) {
        List<String> ruleFields = scan.rules().fields();
        if (!ruleFields.isEmpty() && !scan.run().recordLinks() && !scan.rules().needsSchema()) {
            scan.project(ruleFields);
            return;
        }
        BaseSchema schema = BaseSchema.of(scan.run());
        if (schema.claim()) {
            scan.readSchemaFirst(schema);
        } else {
            Optional<String> primary = schema.await(scan.run(), scan.table());
            bindChoices(scan, schema);
            scan.project(projection(scan, primary));
        }
    }

    /**
     * Rules that take their values from the schema get the field's choices now, before the table's first page; the
     * run fails naming the rule when the schema was refused or lists no choices for its field.
     */
    private static void bindChoices(TableScan scan, BaseSchema schema) {
        if (!scan.rules().needsSchema()) {
            return;
        }
        if (schema.wasRefused()) {
            throw new AirtableException(scan.where() + ": a rule takes its values from the field's choices "
                    + "(values_from: schema), but the token may not read the base's schema (scope "
                    + "schema.bases:read)");
        }
        try {
            scan.rules().bindChoices(field -> schema.choices(scan.table(), field));
        } catch (IllegalArgumentException e) {
            throw new AirtableException(scan.where() + ": " + e.getMessage());
        }
    }

    /** The rule fields, or the primary field alone when the rules read none (null: all fields, primary unknown). */
    private static List<String> projection(TableScan scan, Optional<String> primary) {
        List<String> ruleFields = scan.rules().fields();
        return ruleFields.isEmpty() ? primaryFieldOnly(primary) : ruleFields;
    }

    /** The schema request answered 200. */
    static void schemaRead(TableScan scan, byte[] body) {
        try {
            scan.schema().read(body, scan.run());
        } catch (IllegalArgumentException e) {
            throw new AirtableException(scan.where() + ": Airtable's answer could not be read: " + e.getMessage());
        }
        bindChoices(scan, scan.schema());
        scan.schemaDone(projection(scan, scan.schema().primaryField(scan.table())));
    }

    /** The schema request answered 403: the token lacks {@code schema.bases:read}. */
    static void schemaRefused(TableScan scan, AirtableError error) {
        scan.schema().refused();
        RunContext run = scan.run();
        LOG.warn("Run {}: the token may not read the schema of base {} ({}; scope schema.bases:read; asked for by "
                + "table '{}'): its issues get no record links, and tables whose rules read no field are read with all "
                + "their fields", run.runId(), run.baseId(), error.describe(), scan.table());
        bindChoices(scan, scan.schema());
        scan.schemaDone(projection(scan, Optional.empty()));
    }

    /** The query parameters that ask for {@code fields} (none: all fields), names percent-encoded in UTF-8. */
    static String query(List<String> fields) {
        if (fields == null) {
            return "";
        }
        StringBuilder query = new StringBuilder();
        for (String field : fields) {
            query.append(FIELD_PARAMETER).append(encode(field));
        }
        return query.toString();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Null (all fields) when the primary field is unknown. */
    private static List<String> primaryFieldOnly(Optional<String> primary) {
        return primary.map(List::of).orElse(null);
    }
}
