package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Builds rule states and records for the tests and collects the issues they emit. */
abstract class RulesFixture {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final List<Issue> issues = Collections.synchronizedList(new ArrayList<>());

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TableSpec table(String name, RuleSpec... rules) {
        return new TableSpec(name, List.of(rules));
    }

    RunRules run(TableSpec... tables) {
        return new RunRules(List.of(tables), issues::add);
    }

    /** A run with a single table {@code T} holding the given rules. */
    TableRules single(RuleSpec... rules) {
        return run(table("T", rules)).table("T");
    }

    static Issue issue(String table, String recordId, String field, String rule, String value, String message) {
        return new Issue(table, recordId, field, rule, value, message);
    }
}
