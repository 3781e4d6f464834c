package com.airtableintegrity.airtable;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.schema.BaseTables;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route {@code integrity-schema-read} on the product's routes against the Airtable double: one schema request,
 * with the token, through the scans' call route; what it gives, and why not.
 */
class SchemaReadTest extends RunnerTestBase {
    private static final String BASE = TestSettings.BASE;

    @BeforeEach
    void aBaseWithTypedFields() throws Exception {
        airtable.addTable(BASE, "Customers", Records.of('C', 2, i -> fields("Name", "C" + i, "Email", "c@x.io",
                "Status", "Active")));
        airtable.addTable(BASE, "Orders", Records.of('O', 1, i -> fields("Order No", "1", "Customer", List.of())));
        airtable.declareFields(BASE, "Customers", "Name");
        airtable.typeField(BASE, "Customers", "Email", "email", null);
        airtable.typeField(BASE, "Customers", "Status", "singleSelect",
                "{\"choices\":[{\"id\":\"selA\",\"name\":\"Active\"},{\"id\":\"selB\",\"name\":\"Paused\"}]}");
        airtable.typeField(BASE, "Orders", "Customer", "multipleRecordLinks",
                "{\"linkedTableId\":\"" + airtable.tableId(BASE, "Customers") + "\"}");
        startRunner(List.of(new TableSpec("Customers", List.of(RuleSpec.required("Name")))));
    }

    private SchemaReads.SchemaRead read(String baseId) {
        return runner.template().requestBody("direct:integrity-schema-read", baseId, SchemaReads.SchemaRead.class);
    }

    @Test
    void aBasesTablesAndTypedFieldsAreReadInOneRequestWithTheToken() {
        SchemaReads.SchemaRead read = read(BASE);

        assertThat(read.problem()).isNull();
        BaseTables base = read.tables();
        assertThat(base.tables()).extracting(BaseTables.Table::name).containsExactlyInAnyOrder("Customers", "Orders");
        assertThat(base.table("Customers").orElseThrow().fields()).extracting(BaseTables.Field::name,
                BaseTables.Field::type, BaseTables.Field::primary, BaseTables.Field::choices).containsExactly(
                tuple("Name", "singleLineText", true, List.of()),
                tuple("Email", "email", false, List.of()),
                tuple("Status", "singleSelect", false, List.of("Active", "Paused")));
        assertThat(base.table("Orders").orElseThrow().field("Customer").orElseThrow().linkedTableId())
                .isEqualTo(airtable.tableId(BASE, "Customers"));
        assertThat(airtable.schemaRequests(BASE)).hasSize(1).allMatch(r -> r.authValid());
    }

    @Test
    void anAirtableThatNeverAnswersCostsTheEditorItsSchemaReadTimeoutNotTheRequestTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            runner.close();
            startRunner(List.of(new TableSpec("Customers", List.of(RuleSpec.required("Name")))), p -> {
                p.getAirtable().setApiUrl("http://127.0.0.1:" + silent.getLocalPort());
                p.getAirtable().setSchemaReadTimeoutSeconds(2);
            });
            long started = System.nanoTime();

            SchemaReads.SchemaRead read = read(BASE);

            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(read.problem()).isEqualTo("The base's schema could not be read: no complete answer within 2 s "
                    + "(integrity.airtable.schema-read-timeout-seconds)");
            assertThat(tookMs).isBetween(2000L, 10_000L);
        }
    }

    @Test
    void aTokenThatMayNotReadSchemasIsRefusedSayingWhichScopeItLacks() {
        airtable.forbidSchema(BASE);

        SchemaReads.SchemaRead read = read(BASE);

        assertThat(read.refused()).isTrue();
        assertThat(read.tables()).isNull();
        assertThat(read.problem()).isEqualTo("The Airtable token may not read this base's schema (it needs the scope "
                + "schema.bases:read and access to the base)");
    }

    @Test
    void aBaseAirtableDoesNotKnowIsNamedInTheProblem() {
        SchemaReads.SchemaRead read = read("appNOSUCHBASE0001");

        assertThat(read.refused()).isFalse();
        assertThat(read.problem()).startsWith("Airtable knows no base 'appNOSUCHBASE0001'");
    }
}
