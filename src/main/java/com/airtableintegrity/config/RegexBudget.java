package com.airtableintegrity.config;

/**
 * The cost of a pattern rule's regex, bounded before it is compiled. RE2/J matches in linear time, but it expands a
 * counted repetition into copies of what it repeats, and nested counts multiply: {@code ((a{1000}){1000}){1000}} asks
 * for 10^9 copies, and compiling it exhausted the heap. RE2/J has no limit of its own for this and exposes no parser,
 * hence this estimate: every literal, class, escape or dot counts 1, a group the sum of its parts, and
 * {@code {n}}, {@code {n,}} or {@code {n,m}} multiplies what it follows by its largest count ({@code n} for
 * {@code {n,}}). The estimate is an upper bound of the copies RE2/J makes, and it is computed with saturating
 * arithmetic, so no input can overflow it.
 */
public final class RegexBudget {
    /** The longest regex accepted, in characters. */
    public static final int MAX_LENGTH = 1_000;
    /** The most expanded steps accepted (an email pattern with length bounds is about 400). */
    public static final long MAX_STEPS = 5_000;
    /** The most expanded steps of all the patterns of one schedule (or of the configuration) together. */
    public static final long MAX_STEPS_PER_SCHEDULE = 20_000;

    private RegexBudget() {
    }

    /** Null if {@code regex} is within the budget, else why not (without the regex itself). */
    public static String problem(String regex) {
        if (regex.length() > MAX_LENGTH) {
            return "is " + regex.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        long steps = steps(regex);
        if (steps > MAX_STEPS) {
            return "expands to more than " + MAX_STEPS + " steps (counted repetitions multiply: {1000} inside "
                    + "{1000} is a million copies); use fewer or smaller counts, or + and * instead";
        }
        return null;
    }

    /** The expanded size of {@code regex}, capped just above {@link #MAX_STEPS}. */
    static long steps(String regex) {
        long[] sums = new long[regex.length() + 2];
        int depth = 0;
        long last = 0;
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            int next = i + 1;
            long atom = 1;
            switch (c) {
                case '\\' -> next = afterEscape(regex, i);
                case '[' -> next = afterClass(regex, i);
                case '(' -> {
                    sums[++depth] = 0;
                    i = next;
                    continue;
                }
                case ')' -> {
                    atom = depth > 0 ? sums[depth--] : 0;
                }
                case '{' -> {
                    int close = regex.indexOf('}', i);
                    long count = close < 0 ? -1 : largestCount(regex.substring(i + 1, close));
                    if (count >= 0) {
                        sums[depth] = add(sums[depth], times(last, Math.max(count, 1) - 1));
                        last = times(last, Math.max(count, 1));
                        i = close + 1;
                        continue;
                    }
                }
                case '*', '+', '?', '|', '^', '$' -> {
                    i = next;
                    continue;
                }
                default -> {
                }
            }
            sums[depth] = add(sums[depth], atom);
            last = atom;
            i = next;
        }
        long total = 0;
        for (int d = 0; d <= depth; d++) {
            total = add(total, sums[d]);
        }
        return total;
    }

    /** The largest count of a repetition's body ({@code n}, {@code n,} or {@code n,m}), or -1 if it is not one. */
    private static long largestCount(String body) {
        if (!body.matches("\\d{1,9}(,\\d{0,9})?")) {
            return -1;
        }
        String[] parts = body.split(",", -1);
        String largest = parts.length == 2 && !parts[1].isEmpty() ? parts[1] : parts[0];
        return Long.parseLong(largest);
    }

    private static int afterEscape(String regex, int at) {
        int next = at + 2;
        if (next <= regex.length() && "pPx".indexOf(regex.charAt(at + 1)) >= 0 && next < regex.length()
                && regex.charAt(next) == '{') {
            int close = regex.indexOf('}', next);
            return close < 0 ? regex.length() : close + 1;
        }
        return Math.min(next, regex.length());
    }

    private static int afterClass(String regex, int at) {
        int i = at + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        while (i < regex.length() && regex.charAt(i) != ']') {
            i += regex.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, regex.length());
    }

    private static long add(long a, long b) {
        return Math.min(a + b, MAX_STEPS + 1);
    }

    private static long times(long a, long b) {
        long cap = MAX_STEPS + 1;
        return a == 0 || b == 0 ? 0 : a > cap / b ? cap : Math.min(a * b, cap);
    }
}
