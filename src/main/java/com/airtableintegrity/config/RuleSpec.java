package com.airtableintegrity.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One configured integrity rule of a table ({@code integrity.tables[i].rules[j]}).
 * Which properties apply depends on {@link #getType()}:
 * <ul>
 *   <li>{@code required}: {@code field}</li>
 *   <li>{@code unique}: {@code field}</li>
 *   <li>{@code allowed_values}: {@code field}, {@code values}</li>
 *   <li>{@code links_to}: {@code field}, {@code table} (the target table, which must be configured too)</li>
 *   <li>{@code pattern}: {@code field}, {@code regex} (must match the whole value)</li>
 * </ul>
 */
public class RuleSpec {
    public static final List<String> TYPES = List.of("required", "unique", "allowed_values", "links_to", "pattern");
    /** The one value of {@code values_from}: the field's choices as the base's schema lists them. */
    public static final String VALUES_FROM_SCHEMA = "schema";

    private String type;
    private String field;
    private List<String> values = new ArrayList<>();
    private String table;
    private String regex;
    /** {@code schema}: an allowed_values rule takes its values from the field's choices in the run's schema read. */
    private String valuesFrom;

    public RuleSpec() {
    }

    public RuleSpec(String type, String field) {
        this.type = type;
        this.field = field;
    }

    public static RuleSpec required(String field) {
        return new RuleSpec("required", field);
    }

    public static RuleSpec unique(String field) {
        return new RuleSpec("unique", field);
    }

    public static RuleSpec allowedValues(String field, List<String> values) {
        RuleSpec spec = new RuleSpec("allowed_values", field);
        spec.setValues(values);
        return spec;
    }

    /** An allowed_values rule whose values are the field's current choices ({@code values_from: schema}). */
    public static RuleSpec allowedValuesFromSchema(String field) {
        RuleSpec spec = new RuleSpec("allowed_values", field);
        spec.setValuesFrom(VALUES_FROM_SCHEMA);
        return spec;
    }

    public static RuleSpec linksTo(String field, String table) {
        RuleSpec spec = new RuleSpec("links_to", field);
        spec.setTable(table);
        return spec;
    }

    public static RuleSpec pattern(String field, String regex) {
        RuleSpec spec = new RuleSpec("pattern", field);
        spec.setRegex(regex);
        return spec;
    }

    /** The key under which this rule's count is reported, e.g. {@code required:Email}. */
    public String key() {
        return type + ":" + field;
    }

    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getField() { return field; }
    public void setField(String field) { this.field = field; }
    public List<String> getValues() { return values; }
    public void setValues(List<String> values) {
        this.values = values == null ? new ArrayList<>() : new ArrayList<>(values);
    }
    public String getTable() { return table; }
    public void setTable(String table) { this.table = table; }
    public String getRegex() { return regex; }
    public void setRegex(String regex) { this.regex = regex; }
    public String getValuesFrom() { return valuesFrom; }
    public void setValuesFrom(String valuesFrom) { this.valuesFrom = valuesFrom; }

    /** Whether the values come from the run's schema read rather than from {@link #getValues}. */
    public boolean valuesFromSchema() {
        return VALUES_FROM_SCHEMA.equals(valuesFrom);
    }

    @Override
    public String toString() {
        return key();
    }
}
