package com.airtableintegrity.schema;

import com.airtableintegrity.config.RuleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules the schema editor offers for a table, each one a checkbox the user may take or leave, with the reason it
 * is offered:
 * <ul>
 *   <li>the primary field {@code required};</li>
 *   <li>a single select {@code allowed_values} from its choices ({@code values_from: schema}: the rule follows the
 *   field, so a choice added in Airtable is allowed at the next run);</li>
 *   <li>an email field {@code pattern} with {@link #EMAIL_REGEX};</li>
 *   <li>a link field {@code links_to} its linked table, only when that table is scanned too (the rule reads it);</li>
 *   <li>a field named like a key ({@code ID}, {@code SKU}, {@code Order No}, {@code Email}, ...) {@code unique}.</li>
 * </ul>
 */
public final class RuleSuggestions {
    /** The pattern an email field is offered: something, one {@code @}, a dotted domain; no spaces. */
    public static final String EMAIL_REGEX = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
    /**
     * Names of key-like fields: a whole name of id, key, code, sku or email, or id / no / number / # after a word (Order
     * No, Invoice Number, Customer ID, Ticket #); case ignored. Numbers that people share are not keys:
     * {@link #SHARED_NUMBER}.
     */
    private static final Pattern KEY_NAME = Pattern.compile(
            "(id|key|code|sku|e-?mail|.+[ _-](id|no\\.?|num|number|#))", Pattern.CASE_INSENSITIVE);
    /** Phone, fax, mobile, zip and postal numbers: shared by a household or an office, so not offered as unique. */
    private static final Pattern SHARED_NUMBER = Pattern.compile("(phone|fax|mobile|tel|zip|postal).*",
            Pattern.CASE_INSENSITIVE);

    /** One suggested rule and why it is offered. */
    public record Suggestion(RuleSpec rule, String reason) {
    }

    private RuleSuggestions() {
    }

    /** The suggestions for {@code table}, a table of {@code base}, when the tables named in {@code scanned} are. */
    public static List<Suggestion> of(BaseTables base, BaseTables.Table table, Set<String> scanned) {
        List<Suggestion> out = new ArrayList<>();
        for (BaseTables.Field f : table.fields()) {
            if (f.primary()) {
                out.add(new Suggestion(RuleSpec.required(f.name()), "the primary field names each record"));
            }
            switch (f.type()) {
                case "singleSelect" -> {
                    if (!f.choices().isEmpty()) {
                        out.add(new Suggestion(RuleSpec.allowedValuesFromSchema(f.name()),
                                "a single select: its choices as they are at each run, now "
                                        + String.join(", ", f.choices())));
                    }
                }
                case "email" -> out.add(new Suggestion(RuleSpec.pattern(f.name(), EMAIL_REGEX),
                        "an email field: one @ and a dotted domain"));
                case "multipleRecordLinks" -> {
                    Optional<String> linked = Optional.ofNullable(f.linkedTableId()).flatMap(base::tableName);
                    if (linked.isPresent() && scanned.contains(linked.get())) {
                        out.add(new Suggestion(RuleSpec.linksTo(f.name(), linked.get()),
                                "links to table " + linked.get() + ", which is scanned too"));
                    }
                }
                default -> {
                }
            }
            String name = f.name().trim();
            if (KEY_NAME.matcher(name).matches() && !SHARED_NUMBER.matcher(name).matches()) {
                out.add(new Suggestion(RuleSpec.unique(f.name()), "named like a key: "
                        + name.toLowerCase(Locale.ROOT) + " values are usually unique"));
            }
        }
        return out;
    }
}
