package com.airtableintegrity.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One answer of /actuator/prometheus (Prometheus text format 0.0.4) read as its families ({@code # TYPE} lines) and
 * samples, and the metric names a PromQL expression reads, checked against them.
 */
final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:\\\\.|[^\"\\\\])*)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> families = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    PrometheusScrape(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                families.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = SAMPLE.matcher(line.trim());
                if (!m.matches()) {
                    throw new IllegalArgumentException("Not a sample line: " + line);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            }
        }
    }

    /** The value of the one sample of {@code name} whose labels include {@code labels} ("k", "v", ...). */
    double value(String name, String... labels) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + " " + List.of(labels) + ": " + found);
        }
        return found.get(0).value();
    }

    /** Every label value of {@code label} among the samples of {@code name}. */
    Set<String> labelValues(String name, String label) {
        Set<String> values = new TreeSet<>();
        samples.stream().filter(s -> s.name().equals(name)).forEach(s -> values.add(s.labels().get(label)));
        return values;
    }

    Set<String> sampleNames() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /**
     * Why PromQL can read no series of {@code name} from this scrape, or null if it can: the name must be a sample
     * name that belongs to a family of a fitting type: a counter or gauge by its own name, a histogram through its
     * {@code _bucket}, {@code _count} or {@code _sum} series (never by the family's bare name).
     */
    String problem(String name) {
        if (!sampleNames().contains(name)) {
            return name + " is not exported";
        }
        String type = families.get(name);
        if (type != null) {
            return type.equals("counter") || type.equals("gauge") ? null : name + " is a " + type + " family";
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith(suffix)) {
                String family = families.get(name.substring(0, name.length() - suffix.length()));
                if ("histogram".equals(family) || "summary".equals(family) && !suffix.equals("_bucket")) {
                    return null;
                }
            }
        }
        return name + " belongs to no family of a fitting type";
    }

    /** The metric names a PromQL expression reads: not functions, aggregations, keywords, labels or durations. */
    static Set<String> metricNames(String promql) {
        String s = promql.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"")  // string literals
                .replaceAll("\\{[^}]*}", " ")                                   // label matchers
                .replaceAll("\\[[^]]*]", " ")                                   // range and subquery durations
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\S+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String rest = s.substring(m.end()).stripLeading();
            boolean call = rest.startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!call && !number && !KEYWORDS.contains(m.group().toLowerCase())) {
                names.add(m.group());
            }
        }
        return names;
    }
}
