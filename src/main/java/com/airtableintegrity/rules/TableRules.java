package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Rule state for one table in one run, obtained from {@link RunRules#table(String)}.
 * <p>
 * Fed page by page from one thread: {@link #accept} for every record, {@link #reset()} when the iteration restarts
 * from page 1, {@link #finishTable()} once the last page was accepted. {@link #counts()}, {@link #issueCount()} and
 * {@link #records()} may be read from any thread.
 * <p>
 * Rules (see each for details; "no value" means key missing, JSON {@code null}, empty or whitespace-only string,
 * or empty array):
 * <ul>
 *   <li>{@code required}: an issue per record with no value; checked in {@link #accept}.</li>
 *   <li>{@code allowed_values}, {@code pattern}: records with no value skipped; arrays checked element by element,
 *       one issue per bad element; checked in {@link #accept}.</li>
 *   <li>{@code unique}: counted and emitted only in {@link #finishTable()}: one issue per record sharing its value
 *       with another record.</li>
 *   <li>{@code links_to}: only remembered here; counted and emitted by {@link RunRules#finishRun} when this table
 *       and the target table both finished. Until then its count stays 0.</li>
 * </ul>
 * Issues go to the run's sink as they are found; the counts here are exact whatever the sink keeps.
 */
public final class TableRules {
    private final String name;
    private final Rule[] rules;
    private final List<LinksToRule> links;
    /** Record ids scanned since the last reset, kept only when this table is a {@code links_to} target. */
    private final Set<String> ids;
    private volatile long records;

    TableRules(String name, List<RuleSpec> specs, Consumer<Issue> sink, boolean linkTarget) {
        this.name = name;
        this.rules = new Rule[specs.size()];
        List<LinksToRule> linkRules = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            rules[i] = create(name, specs.get(i), sink);
            if (rules[i] instanceof LinksToRule link) {
                linkRules.add(link);
            }
        }
        this.links = Collections.unmodifiableList(linkRules);
        this.ids = linkTarget ? new HashSet<>() : null;
    }

    private static Rule create(String table, RuleSpec spec, Consumer<Issue> sink) {
        if (spec == null) {
            throw new IllegalArgumentException("Table '" + table + "' has a null rule");
        }
        if (spec.getField() == null || spec.getField().isEmpty()) {
            throw new IllegalArgumentException("Rule " + spec.key() + " of table '" + table + "' has no field");
        }
        String type = spec.getType();
        if (type == null) {
            throw new IllegalArgumentException("Rule " + spec.key() + " of table '" + table + "' has no type");
        }
        return switch (type) {
            case "required" -> new RequiredRule(table, spec, sink);
            case "unique" -> new UniqueRule(table, spec, sink);
            case "allowed_values" -> new AllowedValuesRule(table, spec, sink);
            case "links_to" -> new LinksToRule(table, spec, sink);
            case "pattern" -> new PatternRule(table, spec, sink);
            default -> throw new IllegalArgumentException("Rule " + spec.key() + " of table '" + table
                    + "' has unknown type '" + type + "' (expected one of " + RuleSpec.TYPES + ")");
        };
    }

    /** The fields the rules read, each once, in configuration order: all a scan needs to download. */
    public List<String> fields() {
        Set<String> fields = new LinkedHashSet<>();
        for (Rule rule : rules) {
            fields.add(rule.field);
        }
        return List.copyOf(fields);
    }

    /** Whether a rule takes its values from the base's schema ({@code values_from: schema}). */
    public boolean needsSchema() {
        for (Rule rule : rules) {
            if (rule instanceof AllowedValuesRule allowed && allowed.fromSchema()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives each rule that takes its values from the schema the choices {@code choicesOf} finds for its field.
     *
     * @throws IllegalArgumentException naming the rule when its field has no choices there (renamed, deleted, or no
     *                                  longer a select)
     */
    public void bindChoices(Function<String, Optional<List<String>>> choicesOf) {
        for (Rule rule : rules) {
            if (rule instanceof AllowedValuesRule allowed && allowed.fromSchema()) {
                allowed.bind(choicesOf.apply(rule.field).orElseThrow(() -> new IllegalArgumentException("rule "
                        + rule.key + " takes its values from the field's choices, but the base's schema lists no "
                        + "choices for field '" + rule.field + "' of this table (renamed, deleted, or no longer a "
                        + "select?)")));
            }
        }
    }

    /** The table name. */
    public String name() {
        return name;
    }

    /**
     * Applies every rule to one record.
     *
     * @param recordId the Airtable record id
     * @param fields   the record's {@code fields} object; {@code null}, missing or not an object is treated as {@code
     * {}}
     */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // single writer
    public void accept(String recordId, JsonNode fields) {
        if (fields != null && !fields.isObject()) {
            fields = null;
        }
        for (Rule rule : rules) {
            rule.accept(recordId, fields == null ? null : fields.get(rule.field));
        }
        if (ids != null) {
            ids.add(recordId);
        }
        records++;
    }

    /**
     * The iteration restarted from page 1: forgets everything of this table since the start (or last reset): counts,
     * records, {@code unique} values, {@code links_to} pairs, the record ids kept as a link target, and whether
     * {@link #finishTable()} / link evaluation happened. Issues already handed to the sink are not taken back.
     */
    public void reset() {
        for (Rule rule : rules) {
            rule.reset();
        }
        if (ids != null) {
            ids.clear();
        }
        records = 0;
    }

    /** The table was fully scanned: emits and counts the deferred {@code unique} issues. A second call does nothing. */
    public void finishTable() {
        for (Rule rule : rules) {
            rule.finishTable();
        }
    }

    /**
     * Every configured rule key of this table ({@code type:field}) with its exact issue count, 0 when none,
     * in configuration order. Rules configured twice with the same key share one entry (their counts summed).
     */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Rule rule : rules) {
            counts.merge(rule.key, rule.count(), Long::sum);
        }
        return counts;
    }

    /** The sum of {@link #counts()}. */
    public long issueCount() {
        long total = 0;
        for (Rule rule : rules) {
            total += rule.count();
        }
        return total;
    }

    /** Records accepted since the start or last {@link #reset()}. */
    public long records() {
        return records;
    }

    List<LinksToRule> linkRules() {
        return links;
    }

    Set<String> ids() {
        return ids;
    }
}
