package com.airtableintegrity.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.airtableintegrity.config.RuleSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleSuggestionsTest {
    private static final BaseTables BASE = SchemaFixtures.customersAndOrders();

    private static List<RuleSpec> rules(String table, Set<String> scanned) {
        return RuleSuggestions.of(BASE, BASE.table(table).orElseThrow(), scanned).stream()
                .map(RuleSuggestions.Suggestion::rule).toList();
    }

    @Test
    void aTableIsOfferedItsPrimaryFieldRequiredItsSelectsChoicesItsEmailPatternAndItsKeysUnique() {
        assertThat(rules("Customers", Set.of("Customers"))).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        RuleSpec.required("Name"),
                        RuleSpec.pattern("Email", RuleSuggestions.EMAIL_REGEX),
                        RuleSpec.unique("Email"),
                        RuleSpec.allowedValuesFromSchema("Status"),
                        RuleSpec.unique("Customer ID"));
    }

    @Test
    void aLinkFieldIsOfferedLinksToOnlyWhenItsTableIsScannedToo() {
        assertThat(rules("Orders", Set.of("Orders"))).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(RuleSpec.required("Order No"), RuleSpec.unique("Order No"));
        assertThat(rules("Orders", Set.of("Orders", "Customers"))).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(RuleSpec.required("Order No"), RuleSpec.unique("Order No"),
                        RuleSpec.linksTo("Customer", "Customers"));
    }

    @Test
    void eachSuggestionSaysWhyItIsOfferedInTheOrderOfTheFields() {
        assertThat(RuleSuggestions.of(BASE, BASE.table("Orders").orElseThrow(), Set.of("Orders", "Customers")))
                .extracting(RuleSuggestions.Suggestion::reason).containsExactly(
                        "the primary field names each record",
                        "named like a key: order no values are usually unique",
                        "links to table Customers, which is scanned too");
    }

    @Test
    void namesLikeKeysAreOfferedUniqueButSharedNumbersAndOtherNamesAreNot() {
        String fields = String.join(",", List.of("ID", "SKU", "key", "Invoice Number", "Ticket #", "e-mail",
                "Phone Number", "Zip Code", "Mobile No", "Paid", "Video", "Identity")
                .stream().map(n -> "{\"id\": \"f" + n.hashCode() + "\", \"name\": \"" + n + "\", \"type\": \"x\"}")
                .toList());
        BaseTables base = BaseTables.parse(("{\"tables\": [{\"id\": \"t\", \"name\": \"T\", \"fields\": [" + fields
                + "]}]}").getBytes(StandardCharsets.UTF_8));

        assertThat(RuleSuggestions.of(base, base.tables().get(0), Set.of("T")))
                .extracting(s -> s.rule().getField())
                .containsExactly("ID", "SKU", "key", "Invoice Number", "Ticket #", "e-mail");
    }
}
