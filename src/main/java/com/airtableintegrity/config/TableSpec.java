package com.airtableintegrity.config;

import java.util.ArrayList;
import java.util.List;

/** One Airtable table to scan and the rules that apply to it ({@code integrity.tables[i]}). */
public class TableSpec {
    private String name;
    private List<RuleSpec> rules = new ArrayList<>();

    public TableSpec() {
    }

    public TableSpec(String name, List<RuleSpec> rules) {
        this.name = name;
        this.rules = new ArrayList<>(rules);
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public List<RuleSpec> getRules() { return rules; }
    public void setRules(List<RuleSpec> rules) {
        this.rules = rules == null ? new ArrayList<>() : new ArrayList<>(rules);
    }
}
