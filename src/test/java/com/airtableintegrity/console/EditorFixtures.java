package com.airtableintegrity.console;

import java.util.List;
import java.util.Map;

import com.airtableintegrity.support.AirtableDouble;

/**
 * The schedule editor tests' base: Customers (primary Name; Email an email field; Status a single select of Active
 * and Paused) and Orders (primary Order No; Customer a link to Customers). Its defects: one email without an @, one
 * status not among the choices, one order linking to a record that does not exist. The rules the schema suggests
 * (7) find exactly these 3 issues in 5 records.
 */
final class EditorFixtures {
    static final long RECORDS = 5;
    static final long ISSUES = 3;

    private EditorFixtures() {
    }

    static void sampleBase(AirtableDouble airtable, String base) {
        airtable.addTable(base, "Customers", List.of(
                customer("recC1", "Ada", "ada@example.com", "Active"),
                customer("recC2", "Bob", "bob-at-example", "Active"),
                customer("recC3", "Cy", "cy@example.com", "Gone")));
        airtable.addTable(base, "Orders", List.of(
                Map.of("id", "recO1", "fields", Map.of("Order No", "1001", "Customer", List.of("recC1"))),
                Map.of("id", "recO2", "fields", Map.of("Order No", "1002", "Customer", List.of("recGONE")))));
        airtable.declareFields(base, "Customers", "Name", "Email", "Status");
        airtable.declareFields(base, "Orders", "Order No", "Customer");
        airtable.typeField(base, "Customers", "Email", "email", null);
        airtable.typeField(base, "Customers", "Status", "singleSelect",
                "{\"choices\":[{\"name\":\"Active\"},{\"name\":\"Paused\"}]}");
        airtable.typeField(base, "Orders", "Customer", "multipleRecordLinks",
                "{\"linkedTableId\":\"" + airtable.tableId(base, "Customers") + "\"}");
    }

    private static Map<String, Object> customer(String id, String name, String email, String status) {
        return Map.of("id", id, "fields", Map.of("Name", name, "Email", email, "Status", status));
    }
}
