package com.airtableintegrity.airtable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.schema.BaseTables;
import com.airtableintegrity.schema.SchemaDrift;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary field of each table of a run's base, from {@code GET /v0/meta/bases/{base}/tables}, read at most once
 * per run: the first table that needs it {@link #claim claims} the request and sends it through the scan route
 * (throttles, bounds and retries of any request); the others {@link #await wait} for its answer. A schema the token
 * may not read (403: no {@code schema.bases:read} scope) is {@link #refused}: then no primary field is known.
 */
final class BaseSchema {
    private static final Logger LOG = LoggerFactory.getLogger(BaseSchema.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(20);

    private final AtomicBoolean claimed = new AtomicBoolean();
    /** Table name and table id → primary field name; empty when the schema was refused. */
    private final CompletableFuture<Map<String, String>> primaryFields = new CompletableFuture<>();
    /** Table name and table id → field name → its choices (selects only); set before primaryFields completes. */
    private volatile Map<String, Map<String, List<String>>> choices = Map.of();
    private volatile boolean refused;

    /** The schema of this run's base. */
    static BaseSchema of(RunContext run) {
        return run.shared(BaseSchema.class, BaseSchema::new);
    }

    /** True for the one caller that must request the schema. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /**
     * The primary field of {@code table} once the claiming table has the answer; empty when the schema was refused or
     * does not list the table. Bounded by the run: throws when it stops (e.g. the schema request failed for good).
     */
    Optional<String> await(RunContext run, String table) {
        while (!primaryFields.isDone()) {
            run.pause(POLL);
        }
        return primaryField(table);
    }

    /** The choices of {@code field} of {@code table} (a select's) in a schema already read; empty when none. */
    Optional<List<String>> choices(String table, String field) {
        return Optional.ofNullable(choices.getOrDefault(table, Map.of()).get(field));
    }

    /** Whether the token was refused the schema (403). */
    boolean wasRefused() {
        return refused;
    }

    /** The primary field of {@code table} (by name or id) in a schema already read. */
    Optional<String> primaryField(String table) {
        return Optional.ofNullable(primaryFields.getNow(Map.of()).get(table));
    }

    /**
     * A 200 answer: {@code {"tables":[{"id","name","primaryFieldId","fields":[{"id","name",...}]}]}}.
     * @throws IllegalArgumentException when it is not shaped so
     */
    void read(byte[] body, RunContext run) {
        Map<String, String> primaries = new HashMap<>();
        Map<String, String> tableIds = new HashMap<>();
        JsonNode tables;
        try {
            tables = MAPPER.readTree(body).path("tables");
        } catch (IOException e) {
            throw new IllegalArgumentException("the schema is not JSON");
        }
        if (!tables.isArray()) {
            throw new IllegalArgumentException("the schema has no 'tables' array");
        }
        Map<String, Map<String, List<String>>> choicesOf = new HashMap<>();
        for (JsonNode table : tables) {
            if (table.path("name").isTextual() && table.path("id").isTextual()) {
                tableIds.put(table.path("name").asText(), table.path("id").asText());
            }
            Map<String, List<String>> tableChoices = new HashMap<>();
            choicesOf.put(table.path("name").asText(""), tableChoices);
            choicesOf.put(table.path("id").asText(""), tableChoices);
            String primaryId = table.path("primaryFieldId").asText("");
            for (JsonNode field : table.path("fields")) {
                JsonNode options = field.path("options").path("choices");
                if (options.isArray() && field.path("name").isTextual()) {
                    List<String> names = new ArrayList<>();
                    options.forEach(c -> {
                        if (c.path("name").isTextual()) {
                            names.add(c.path("name").asText());
                        }
                    });
                    tableChoices.put(field.path("name").asText(), List.copyOf(names));
                }
                if (primaryId.equals(field.path("id").asText()) && field.path("name").isTextual()) {
                    primaries.put(table.path("name").asText(""), field.path("name").asText());
                    primaries.put(table.path("id").asText(""), field.path("name").asText());
                }
            }
        }
        run.tableIds(tableIds);
        drift(body, run);
        choices = choicesOf;
        primaryFields.complete(primaries);
    }

    /** The rules of the run that no longer fit the schema, kept on the run; never fails the run. */
    private static void drift(byte[] body, RunContext run) {
        if (run.rules() == null) {
            return;
        }
        try {
            run.schemaDrift(SchemaDrift.of(BaseTables.parse(body), run.rules().specs()).stream()
                    .map(SchemaDrift.Drift::toDocument).toList());
        } catch (RuntimeException e) {
            LOG.warn("Run {}: the schema drift of base {} could not be worked out: {}", run.runId(), run.baseId(),
                    e.toString());
        }
    }

    /** The token may not read the schema: no primary field is known in this run. */
    void refused() {
        refused = true;
        primaryFields.complete(Map.of());
    }
}
