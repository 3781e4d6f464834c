package com.airtableintegrity.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaseTablesTest {
    private static BaseTables parse(String json) {
        return BaseTables.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEachTablesFieldsWithTypePrimaryChoicesAndLinkedTable() {
        BaseTables base = SchemaFixtures.customersAndOrders();

        assertThat(base.tables()).extracting(BaseTables.Table::name).containsExactly("Customers", "Orders");
        assertThat(base.skipped()).isZero();
        BaseTables.Table customers = base.table("Customers").orElseThrow();
        assertThat(customers.fields()).extracting(BaseTables.Field::name)
                .containsExactly("Name", "Email", "Status", "Phone Number", "Customer ID", "Notes");
        assertThat(customers.field("Name").orElseThrow().primary()).isTrue();
        assertThat(customers.field("Email").orElseThrow().primary()).isFalse();
        assertThat(customers.field("Status").orElseThrow())
                .isEqualTo(new BaseTables.Field("fldSTAT", "Status", "singleSelect", false,
                        List.of("Active", "Paused", "Churned"), null));
        assertThat(base.table("Orders").orElseThrow().field("Customer").orElseThrow().linkedTableId())
                .isEqualTo("tblCUST");
        assertThat(base.tableName("tblCUST")).contains("Customers");
    }

    @Test
    void tablesAndFieldsWithoutAnIdOrANameAreSkippedAndCounted() {
        BaseTables base = parse("""
                {"tables": [{"name": "No id", "fields": []},
                            {"id": "tblA", "name": "A", "fields": [{"id": "fld1", "name": ""}, {"name": "x"},
                                                                  {"id": "fld2", "name": "B", "type": "number"}]}]}
                """);

        assertThat(base.tables()).extracting(BaseTables.Table::name).containsExactly("A");
        assertThat(base.tables().get(0).fields()).extracting(BaseTables.Field::name).containsExactly("B");
        assertThat(base.skipped()).isEqualTo(3);
    }

    @Test
    void anAnswerThatIsNotJsonOrHasNoTablesArrayIsRefusedSayingSo() {
        assertThatThrownBy(() -> parse("<html>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the base's schema is not JSON");
        assertThatThrownBy(() -> parse("{\"tables\": {}}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the base's schema has no 'tables' array");
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the base's schema has no 'tables' array");
    }
}
