package com.airtableintegrity.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

import org.quartz.CronExpression;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * The checks behind every validation of settings, each adding a message that names the key (a setting such as
 * {@code integrity.tables[0].rules[1].regex}, or a JSON path such as {@code $.tables[0].rules[1].regex}), the value
 * found and what is allowed. One set of rules for the startup settings and for schedules written over the API.
 */
final class Checks {
    /** {@code app} and 14 letters or digits, as in a base's URL; anything else fails every run on a Firestore path. */
    /** The most rules one schedule (or the configuration) may hold, over all its tables. */
    public static final int MAX_RULES = 200;
    private static final Pattern BASE_ID = Pattern.compile("app[A-Za-z0-9]{14}");
    /** One Firestore collection id (no '/'), kept to a safe character set; {@code __name__} ids are reserved. */
    private static final Pattern COLLECTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final Pattern RESERVED_ID = Pattern.compile("__.*__");
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    /** Table names a URL reads as a path step, not a name: {@code /v0/appX/..} is {@code /v0/}. */
    private static final Set<String> DOT_SEGMENTS = Set.of(".", "..");

    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    void add(String problem) {
        problems.add(problem);
    }

    /** The tables under {@code key} (e.g. {@code integrity.tables} or {@code $.tables}) and their rules. */
    void tables(String key, List<TableSpec> tables) {
        if (tables == null || tables.isEmpty()) {
            problems.add(key + " must list at least one table to scan");
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < tables.size(); i++) {
            String name = tables.get(i).getName();
            if (name == null || name.isBlank()) {
                problems.add(key + "[" + i + "].name is required");
            } else if (DOT_SEGMENTS.contains(name)) {
                problems.add(key + "[" + i + "].name '" + name + "' is not a table name Airtable can be asked for: "
                        + "'.' and '..' are read as path steps of the request's URL");
            } else if (!names.add(name)) {
                problems.add(key + "[" + i + "].name '" + name + "' is configured twice");
            }
        }
        int ruleCount = tables.stream().mapToInt(t -> t.getRules().size()).sum();
        if (ruleCount > MAX_RULES) {
            problems.add(key + " has " + ruleCount + " rules in all; at most " + MAX_RULES + " are allowed");
            return;
        }
        for (int i = 0; i < tables.size(); i++) {
            List<RuleSpec> rules = tables.get(i).getRules();
            for (int j = 0; j < rules.size(); j++) {
                rule(key + "[" + i + "].rules[" + j + "]", rules.get(j), names);
            }
        }
    }

    void rule(String key, RuleSpec r, Set<String> tableNames) {
        if (r.getType() == null || !RuleSpec.TYPES.contains(r.getType())) {
            problems.add(key + ".type '" + r.getType() + "' is not a rule type; allowed: "
                    + String.join(", ", RuleSpec.TYPES));
            return;
        }
        if (r.getField() == null || r.getField().isBlank()) {
            problems.add(key + ".field is required for rule type " + r.getType());
        }
        if (r.getValuesFrom() != null && !"allowed_values".equals(r.getType())) {
            problems.add(key + ".values_from applies to allowed_values rules only");
        }
        switch (r.getType()) {
            case "allowed_values" -> {
                if (r.getValuesFrom() != null && !r.valuesFromSchema()) {
                    problems.add(key + ".values_from '" + r.getValuesFrom() + "' is not a source of values; "
                            + "allowed: schema (the field's choices in Airtable)");
                } else if (r.valuesFromSchema() && !r.getValues().isEmpty()) {
                    problems.add(key + " has both values and values_from: give a fixed list or take the field's "
                            + "choices, not both");
                } else if (r.getValues().isEmpty() && !r.valuesFromSchema()) {
                    problems.add(key + ".values must list at least one allowed value (or take the field's choices "
                            + "with values_from: schema)");
                }
            }
            case "links_to" -> {
                if (r.getTable() == null || !tableNames.contains(r.getTable())) {
                    problems.add(key + ".table '" + r.getTable() + "' is not a configured table; configured: "
                            + String.join(", ", tableNames));
                }
            }
            case "pattern" -> {
                if (r.getRegex() == null || r.getRegex().isEmpty()) {
                    problems.add(key + ".regex is required for rule type pattern");
                } else {
                    regex(key + ".regex", r.getRegex());
                }
            }
            default -> {
            }
        }
    }

    void required(String key, String value, boolean showValue) {
        if (value == null || value.isBlank()) {
            problems.add(key + " is required" + (showValue ? "" : " (the value is secret and never printed)"));
        }
    }

    void positive(String key, int value) {
        if (value <= 0) {
            problems.add(key + " must be a positive number, was " + value);
        }
    }

    void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(key + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    void baseId(String key, String value) {
        required(key, value, true);
        if (value != null && !value.isBlank() && !BASE_ID.matches(value)) {
            problems.add(key + " '" + value + "' is not an Airtable base id: 'app' followed by 14 letters or digits, "
                    + "as in the base's URL (https://airtable.com/appXXXXXXXXXXXXXX/...)");
        }
    }

    void collection(String key, String value) {
        required(key, value, true);
        if (value != null && !value.isBlank() && (!COLLECTION_ID.matches(value) || RESERVED_ID.matches(value))) {
            problems.add(key + " '" + value + "' is not a valid Firestore collection id: 1 to 100 characters from "
                    + "A-Z, a-z, 0-9, '_' and '-' (one collection, no '/'), and not of the reserved form __name__");
        }
    }

    /** https, or http only to this machine: the token travels in a header, which plain http sends in clear. */
    void apiUrl(String key, String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (RuntimeException e) {
            uri = null;
        }
        boolean web = uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        if (!web || uri.getHost() == null) {
            problems.add(key + " must be an http(s) URL such as https://api.airtable.com, was '" + value + "'");
        } else if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
            problems.add(key + " '" + value + "' must use https: the Airtable token would be sent in clear over http, "
                    + "which is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost)");
        }
    }

    /**
     * A receiver's URL (a notification channel's): https, or http to this machine only; no user info. The value is a
     * secret (a Slack webhook URL is its own credential), so no message prints it.
     */
    void receiverUrl(String key, String value) {
        if (value == null || value.isBlank()) {
            problems.add(key + " is required (the value is secret and never printed)");
            return;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException | RuntimeException e) {
            uri = null;
        }
        boolean web = uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        if (!web || uri.getHost() == null) {
            problems.add(key + " must be an absolute http(s) URL such as https://hooks.example.com/integrity "
                    + "(the value is secret and never printed)");
        } else if (uri.getRawUserInfo() != null) {
            problems.add(key + " must not carry a user name or password before its host; put credentials in the "
                    + "channel's secret (the value is secret and never printed)");
        } else if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
            problems.add(key + " must use https: a notice and its signature would travel in clear over http, which "
                    + "is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost) (the value is secret and "
                    + "never printed)");
        }
    }

    /** The console's public address: an absolute http(s) URL, no query or fragment (run links are added to it). */
    void consoleUrl(String key, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            problems.add(key + " must be an absolute http(s) URL without query or fragment, such as "
                    + "https://integrity.example.com, was '" + value + "'");
        }
    }

    /** Decides from the literal only: a name other than localhost is never resolved, so DNS cannot vouch for it. */
    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (IPV4_LITERAL.matches(host)) {
            String[] octets = host.split("\\.");
            for (String octet : octets) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (host.startsWith("[")) { // java.net.URI only accepts a valid IPv6 literal between brackets
            try {
                return InetAddress.getByName(host).isLoopbackAddress(); // parsed, never looked up
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** The pattern rule runs RE2/J (linear time), so the regex must compile there, not just in java.util.regex. */
    /** The expanded steps of the patterns checked so far (one Checks serves one schedule or configuration). */
    private long regexSteps;

    void regex(String key, String regex) {
        String overBudget = RegexBudget.problem(regex);
        if (overBudget != null) {
            problems.add(key + " " + overBudget);
            return;
        }
        regexSteps += RegexBudget.steps(regex);
        if (regexSteps > RegexBudget.MAX_STEPS_PER_SCHEDULE) {
            problems.add(key + " brings the patterns of this schedule to more than "
                    + RegexBudget.MAX_STEPS_PER_SCHEDULE + " expanded steps together; use fewer or smaller counts");
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            String why = e.getPattern() == null ? e.getDescription()
                    : e.getDescription() + ": `" + e.getPattern() + "`";
            if (isJavaRegex(regex)) {
                problems.add(key + " '" + regex + "' is not supported: " + why + "; patterns use RE2 syntax "
                        + "(no backreferences or lookaround), which always runs in linear time");
            } else {
                problems.add(key + " '" + regex + "' is not a valid regular expression: " + why);
            }
        }
    }

    /**
     * Only tells a plain syntax error (rejected by both engines) from a feature RE2 leaves out, so that the message
     * says which. Compiling never matches anything, so this cannot backtrack.
     */
    private static boolean isJavaRegex(String regex) {
        try {
            java.util.regex.Pattern.compile(regex);
            return true;
        } catch (java.util.regex.PatternSyntaxException e) {
            return false;
        }
    }

    /** A valid cron that fires again after now, in the JVM's time zone (how configured crons fire). */
    void cron(String key, String value) {
        cron(key, value, TimeZone.getDefault());
    }

    /** A valid cron that fires again after now in {@code zone}: 31 February or a past year never does. */
    void cron(String key, String value, TimeZone zone) {
        if (value == null || !CronExpression.isValidExpression(value)) {
            String why;
            try {
                CronExpression.validateExpression(value);
                why = "";
            } catch (Exception e) {
                why = ": " + e.getMessage();
            }
            problems.add(key + " '" + value + "' is not a valid Quartz cron expression (six or seven fields: "
                    + "sec min hour day-of-month month day-of-week [year], e.g. '0 0 * * * ?')" + why);
            return;
        }
        if (inZone(value, zone).getNextValidTimeAfter(new Date()) == null) {
            problems.add(key + " '" + value + "' never fires: no date from now on matches it (such as 31 February "
                    + "or a year that has passed)");
        }
    }

    /** A cron already found valid, firing in {@code zone}. */
    static CronExpression inZone(String cron, TimeZone zone) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(zone);
            return expression;
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("Not a valid cron: " + cron, e); // callers check validity first
        }
    }
}
