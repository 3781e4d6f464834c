package com.airtableintegrity.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The demo's sample Airtable base: a small CRM (Customers, Orders, Products) generated from a fixed seed, so every
 * start serves the same records, with defects planted in disjoint records so that each rule of
 * {@code application-demo.yaml} finds a known count (docs/demo.md, "The sample base and its planted defects";
 * {@code DemoProfileTest} checks them). Empty fields are left out of a record, as Airtable leaves them out.
 */
public final class SampleBase {
    public static final String BASE_ID = "appDemoCrmSample1";
    public static final long SEED = 20_261_128L;
    public static final int CUSTOMERS = 1500;
    public static final int ORDERS = 2400;
    public static final int PRODUCTS = 120;

    private static final String[] FIRST = {"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines",
        "Jonas", "Kai", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara"};
    private static final String[] LAST = {"Okafor", "Schmidt", "Tanaka", "Silva", "Novak", "Haddad", "Larsen",
        "Moreau", "Kowalski", "Reyes", "Brennan", "Iqbal", "Costa", "Weber", "Lindqvist"};
    private static final String[] CUSTOMER_STATUS = {"Active", "Active", "Active", "Paused", "Churned"};
    private static final String[] ORDER_STATUS = {"Open", "Paid", "Paid", "Shipped", "Shipped", "Cancelled"};
    private static final String[] CATEGORIES = {"Hardware", "Software", "Service"};
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(SEED);
    private final Set<String> usedIds = new HashSet<>();
    private final Map<String, List<ObjectNode>> tables = new LinkedHashMap<>();
    /** Customers as generated, and as every second scan finds them (see {@link #startIteration}). */
    private List<ObjectNode> customersAsGenerated;
    private List<ObjectNode> customersChanged;
    private int customerIterations;

    private SampleBase() {
    }

    /** The sample, generated (the same every time). */
    public static SampleBase generate() {
        SampleBase base = new SampleBase();
        List<ObjectNode> products = base.products();
        List<ObjectNode> customers = base.customers();
        base.tables.put("Customers", customers);
        base.customersAsGenerated = customers;
        base.tables.put("Orders", base.orders(ids(customers), ids(products)));
        base.tables.put("Products", products);
        return base;
    }

    /** Table name → its records, in id order of creation: {@code {"id","createdTime","fields":{...}}}. */
    public synchronized Map<String, List<ObjectNode>> tables() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /**
     * A scan asks for a table's first page: its records for that whole iteration. Customers change between scans, so
     * that the demo's runs show what changed: every second scan (the 2nd, 4th, ...) finds {@link #CHANGES} applied
     * (3 missing emails and 2 malformed ones fixed, 2 names removed and 2 statuses made invalid: 4 new issues and 5
     * resolved against the scan before), the others the base as generated (the reverse: 5 new, 4 resolved).
     */
    public synchronized List<ObjectNode> startIteration(String table) {
        if (table.equals("Customers")) {
            customerIterations++;
            tables.put(table, customerIterations % 2 == 1 ? customersAsGenerated : customersChanged);
        }
        return tables.get(table);
    }

    /** What every second scan of Customers finds changed: fixed (missing email, malformed email), new (name, status). */
    public static final int[] CHANGES = {3, 2, 2, 2};

    /** Every field name a table has (what {@code fields[]} may ask for), the primary field first. */
    public static List<String> fields(String table) {
        return switch (table) {
            case "Customers" -> List.of("Name", "Email", "Status", "Phone");
            case "Orders" -> List.of("Order No", "Customer", "Products", "Status", "Total");
            case "Products" -> List.of("Name", "SKU", "Price", "Category");
            default -> List.of();
        };
    }

    private List<ObjectNode> products() {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            ObjectNode f = json.createObjectNode();
            String category = CATEGORIES[i % CATEGORIES.length];
            f.put("Name", category + " item " + (i + 1));
            f.put("SKU", String.format("%s-%04d", category.substring(0, 3).toUpperCase(), 1000 + i));
            f.put("Price", 5 + random.nextInt(2000) / 4.0);
            f.put("Category", category);
            rows.add(record(f, i));
        }
        return rows;
    }

    private List<ObjectNode> customers() {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            ObjectNode f = json.createObjectNode();
            f.put("Name", first + " " + last);
            f.put("Email", (first + "." + last).toLowerCase() + (i + 1) + "@example.com");
            f.put("Status", CUSTOMER_STATUS[random.nextInt(CUSTOMER_STATUS.length)]);
            if (random.nextInt(5) > 0) { // a fifth have no phone: the key is left out, as Airtable does
                f.put("Phone", String.format("+1 555 %03d %04d", random.nextInt(1000), random.nextInt(10_000)));
            }
            rows.add(record(f, i));
        }
        Defects d = new Defects(shuffled(CUSTOMERS));
        d.take(7).forEach(i -> fields(rows, i).remove("Name"));
        List<Integer> noEmail = d.take(12);
        Map<Integer, String> emails = new LinkedHashMap<>();
        noEmail.forEach(i -> emails.put(i, fields(rows, i).get("Email").asText()));
        noEmail.forEach(i -> fields(rows, i).remove("Email"));
        shareValues(rows, d, "Email", 8, 1); // 8 pairs and 1 triple: 19 records share an email
        List<Integer> malformed = d.take(14);
        for (int k = 0; k < malformed.size(); k++) {
            ObjectNode f = fields(rows, malformed.get(k));
            String email = f.get("Email").asText();
            emails.put(malformed.get(k), email);
            f.put("Email", switch (k % 4) {
                case 0 -> email.replace('@', '.');        // no @
                case 1 -> email.replace(".com", "");      // no dot after the @
                case 2 -> email.replace("@", " @");       // a space
                default -> email.replace("@", "@@");      // two @
            });
        }
        List<String> badStatus = List.of("Prospect", "active", "Lead", "Trial", "VIP");
        List<Integer> statusDefects = d.take(10);
        for (int k = 0; k < statusDefects.size(); k++) {
            fields(rows, statusDefects.get(k)).put("Status", badStatus.get(k % badStatus.size()));
        }
        customersChanged = changed(rows, emails, noEmail.subList(0, CHANGES[0]), malformed.subList(0, CHANGES[1]),
                d.take(CHANGES[2]), d.take(CHANGES[3]));
        return rows;
    }

    /** A copy of the customers with some defects fixed (their email restored) and new ones planted in clean records. */
    private static List<ObjectNode> changed(List<ObjectNode> rows, Map<Integer, String> emails, List<Integer> noEmail,
                                            List<Integer> malformed, List<Integer> noName, List<Integer> badStatus) {
        List<ObjectNode> copy = new ArrayList<>();
        rows.forEach(row -> copy.add(row.deepCopy()));
        noEmail.forEach(i -> fields(copy, i).put("Email", emails.get(i)));
        malformed.forEach(i -> fields(copy, i).put("Email", emails.get(i)));
        noName.forEach(i -> fields(copy, i).remove("Name"));
        badStatus.forEach(i -> fields(copy, i).put("Status", "Lead"));
        return copy;
    }

    private List<ObjectNode> orders(List<String> customerIds, List<String> productIds) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            ObjectNode f = json.createObjectNode();
            f.put("Order No", String.format("ORD-%06d", 100_001 + i));
            f.putArray("Customer").add(customerIds.get(random.nextInt(customerIds.size())));
            ArrayNode products = f.putArray("Products");
            for (int p = 0, n = 1 + random.nextInt(3); p < n; p++) {
                products.add(productIds.get(random.nextInt(productIds.size())));
            }
            f.put("Status", ORDER_STATUS[random.nextInt(ORDER_STATUS.length)]);
            f.put("Total", Math.round(random.nextDouble() * 90_000) / 100.0);
            rows.add(record(f, i));
        }
        Defects d = new Defects(shuffled(ORDERS));
        d.take(11).forEach(i -> fields(rows, i).remove("Customer"));
        d.take(13).forEach(i -> fields(rows, i).putArray("Customer").add(newId())); // a deleted customer
        d.take(6).forEach(i -> ((ArrayNode) fields(rows, i).get("Products")).add(newId())); // a deleted product
        shareValues(rows, d, "Order No", 4, 0); // 4 pairs: 8 records share an order number
        List<String> formats = List.of("ORD-0%d", "ord-%06d", "ORD %06d", "ORD-%06d-B", "#%06d");
        List<Integer> malformed = d.take(9);
        for (int k = 0; k < malformed.size(); k++) {
            int number = 100_001 + malformed.get(k);
            fields(rows, malformed.get(k)).put("Order No", String.format(formats.get(k % formats.size()), number));
        }
        List<String> badStatus = List.of("Refunded", "shipped", "On hold");
        List<Integer> statusDefects = d.take(5);
        for (int k = 0; k < statusDefects.size(); k++) {
            fields(rows, statusDefects.get(k)).put("Status", badStatus.get(k % badStatus.size()));
        }
        return rows;
    }

    /** {@code pairs} groups of 2 and {@code triples} of 3 records take the value of their group's first record. */
    private static void shareValues(List<ObjectNode> rows, Defects d, String field, int pairs, int triples) {
        for (int g = 0; g < pairs + triples; g++) {
            List<Integer> group = d.take(g < pairs ? 2 : 3);
            String value = fields(rows, group.get(0)).get(field).asText();
            group.forEach(i -> fields(rows, i).put(field, value));
        }
    }

    private ObjectNode record(ObjectNode fields, int index) {
        ObjectNode r = json.createObjectNode();
        r.put("id", newId());
        r.put("createdTime", String.format("2026-01-%02dT%02d:%02d:00.000Z", 1 + index % 28, index % 24,
                index % 60));
        r.set("fields", fields);
        return r;
    }

    /** A record id shaped like Airtable's ({@code rec} and 14 letters or digits), never given twice. */
    private String newId() {
        while (true) {
            StringBuilder id = new StringBuilder("rec");
            for (int i = 0; i < 14; i++) {
                id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
            }
            if (usedIds.add(id.toString())) {
                return id.toString();
            }
        }
    }

    private List<Integer> shuffled(int size) {
        List<Integer> indexes = IntStream.range(0, size).boxed().collect(Collectors.toList());
        Collections.shuffle(indexes, random);
        return indexes;
    }

    private static ObjectNode fields(List<ObjectNode> rows, int index) {
        return (ObjectNode) rows.get(index).get("fields");
    }

    private static List<String> ids(List<ObjectNode> rows) {
        return rows.stream().map(r -> r.get("id").asText()).toList();
    }

    /** Hands out record indexes of one table, each once: the defects land in disjoint records. */
    private static final class Defects {
        private final List<Integer> order;
        private int next;

        Defects(List<Integer> order) {
            this.order = order;
        }

        List<Integer> take(int count) {
            List<Integer> taken = order.subList(next, next + count);
            next += count;
            return taken;
        }
    }
}
