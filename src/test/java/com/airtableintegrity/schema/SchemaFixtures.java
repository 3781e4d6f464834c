package com.airtableintegrity.schema;

import java.nio.charset.StandardCharsets;

/** A base's schema as Airtable's metadata API answers it: Customers (primary Name) and Orders linking to it. */
final class SchemaFixtures {
    static final String CUSTOMERS_AND_ORDERS = """
            {"tables": [
              {"id": "tblCUST", "name": "Customers", "primaryFieldId": "fldNAME",
               "fields": [
                 {"id": "fldNAME", "name": "Name", "type": "singleLineText"},
                 {"id": "fldMAIL", "name": "Email", "type": "email"},
                 {"id": "fldSTAT", "name": "Status", "type": "singleSelect",
                  "options": {"choices": [{"id": "sel1", "name": "Active", "color": "greenLight2"},
                                          {"id": "sel2", "name": "Paused"}, {"id": "sel3", "name": "Churned"}]}},
                 {"id": "fldPHON", "name": "Phone Number", "type": "phoneNumber"},
                 {"id": "fldCUID", "name": "Customer ID", "type": "autoNumber"},
                 {"id": "fldNOTE", "name": "Notes", "type": "multilineText"}],
               "views": [{"id": "viwA", "name": "Grid view", "type": "grid"}]},
              {"id": "tblORDR", "name": "Orders", "primaryFieldId": "fldORNO",
               "fields": [
                 {"id": "fldORNO", "name": "Order No", "type": "singleLineText"},
                 {"id": "fldCUST", "name": "Customer", "type": "multipleRecordLinks",
                  "options": {"linkedTableId": "tblCUST", "isReversed": false, "prefersSingleRecordLink": true}},
                 {"id": "fldTAGS", "name": "Tags", "type": "multipleSelects",
                  "options": {"choices": [{"id": "sel9", "name": "rush"}]}}],
               "views": []}
            ]}
            """;

    private SchemaFixtures() {
    }

    static BaseTables customersAndOrders() {
        return BaseTables.parse(CUSTOMERS_AND_ORDERS.getBytes(StandardCharsets.UTF_8));
    }
}
