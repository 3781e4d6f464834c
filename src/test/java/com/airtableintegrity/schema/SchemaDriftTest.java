package com.airtableintegrity.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDriftTest {
    private static final BaseTables BASE = SchemaFixtures.customersAndOrders();

    private static List<SchemaDrift.Drift> drift(TableSpec... tables) {
        return SchemaDrift.of(BASE, List.of(tables));
    }

    @Test
    void rulesThatFitTheSchemaHaveNoDrift() {
        assertThat(drift(new TableSpec("Customers", List.of(RuleSpec.required("Name"), RuleSpec.unique("Email"),
                        RuleSpec.allowedValues("Status", List.of("Active", "Paused", "Churned")),
                        RuleSpec.allowedValuesFromSchema("Status"))),
                new TableSpec("Orders", List.of(RuleSpec.linksTo("Customer", "Customers"))))).isEmpty();
    }

    @Test
    void aRenamedOrDeletedTableOrFieldIsNamedWithItsRule() {
        assertThat(drift(new TableSpec("Clients", List.of(RuleSpec.required("Name"))),
                new TableSpec("Customers", List.of(RuleSpec.required("Full name"))))).containsExactly(
                new SchemaDrift.Drift("Clients", "*", "table 'Clients' is not in the base (renamed or deleted?)"),
                new SchemaDrift.Drift("Customers", "required:Full name",
                        "field 'Full name' is not in table 'Customers' (renamed or deleted?)"));
    }

    @Test
    void aFixedListAndTheSelectsChoicesThatPartedWaysAreBothNamed() {
        assertThat(drift(new TableSpec("Customers", List.of(RuleSpec.allowedValues("Status",
                List.of("Active", "Paused", "Lapsed")))))).containsExactly(new SchemaDrift.Drift("Customers",
                "allowed_values:Status", "the field's choices Churned are not in the rule's list (records using "
                        + "them are issues); the rule's values Lapsed are no longer choices of the field; "
                        + "values_from: schema would follow the field"));
    }

    @Test
    void aLinkRuleOnAFieldThatIsNoLongerALinkOrPointsElsewhereIsNamed() {
        assertThat(drift(new TableSpec("Orders", List.of(RuleSpec.linksTo("Order No", "Customers"))),
                new TableSpec("Customers", List.of()))).containsExactly(new SchemaDrift.Drift("Orders",
                "links_to:Order No", "field 'Order No' is singleLineText, not a link to another table"));
        assertThat(drift(new TableSpec("Orders", List.of(RuleSpec.linksTo("Customer", "Orders"))))).containsExactly(
                new SchemaDrift.Drift("Orders", "links_to:Customer",
                        "field 'Customer' links to table 'Customers', not 'Orders'"));
    }

    @Test
    void choicesTakenFromAFieldWithoutChoicesAreNamed() {
        assertThat(drift(new TableSpec("Customers", List.of(RuleSpec.allowedValuesFromSchema("Notes")))))
                .containsExactly(new SchemaDrift.Drift("Customers", "allowed_values:Notes", "field 'Notes' has no "
                        + "choices (multilineText, no longer a select?), and the rule takes its values from them"));
    }
}
