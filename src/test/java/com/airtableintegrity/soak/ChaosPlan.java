package com.airtableintegrity.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The soak's fault plan, drawn from a seed before the soak starts: the same seed and length give the same episodes in
 * the same order with the same durations and parameters. Episodes run one after another, a short quiet gap between
 * them; every kind comes once in a shuffled round before any kind comes again, so a short soak still sees most kinds.
 * Ranges scale with the length (factor {@code k} = length / 20 minutes, between 0.1 and 1): a suspension lasts
 * 10 to 10 + 170 k s (10-180 s at 20 minutes, 10-27 s at 2), a proxy cut or blackhole 5 to 5 + 115 k s, an Airtable
 * fault episode (four of the double's faults, a quarter of it each) 12 to 12 + 108 k s, a quiet stretch
 * 5 to 5 + 55 k s. The last tenth of the soak has no new episode.
 */
public record ChaosPlan(long seed, Duration length, List<Episode> episodes) {

    /** What an episode does. */
    public enum Kind {
        /** SIGSTOP a runner (param: steady or second), SIGCONT after the duration: a closed laptop lid. */
        SUSPEND,
        /** SIGKILL the second runner, restart it after the duration (param: same or new runner id). */
        KILL,
        /** The Airtable proxy refuses and drops connections. */
        AIRTABLE_CUT,
        /** The Airtable proxy holds connections open and passes no byte. */
        AIRTABLE_BLACKHOLE,
        /** The Firestore proxy refuses and drops connections. */
        FIRESTORE_CUT,
        /** The Firestore proxy holds connections open and passes no byte. */
        FIRESTORE_BLACKHOLE,
        /** Faults of the Airtable double, four in a row (param: which, and on which base or all). */
        AIRTABLE_FAULT,
        /** Starts the second runner if it is down, else stops it with SIGTERM. */
        SECOND_RUNNER,
        /** Nothing at all: healthy runs must stay healthy. */
        QUIET
    }

    /** The double's faults, each once per round. */
    public static final List<String> AIRTABLE_FAULTS = List.of("hang", "headers-then-hang", "drip", "slow", "500",
            "502", "503", "reset", "truncated", "malformed", "429-storm", "expired-offsets");

    /** One episode: starts {@code at} after the soak's start and lasts {@code duration}. */
    public record Episode(Duration at, Kind kind, Duration duration, String param) {
        @Override
        public String toString() {
            return String.format("%6.1f s  %-19s %6.1f s  %s", at.toMillis() / 1000.0, kind,
                    duration.toMillis() / 1000.0, param);
        }
    }

    public static ChaosPlan draw(long seed, Duration length, List<String> bases) {
        Random random = new Random(seed);
        double k = Math.max(0.1, Math.min(1.0, length.toSeconds() / 1200.0));
        List<Episode> episodes = new ArrayList<>();
        List<Kind> round = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        long stopAt = length.toMillis() * 9 / 10;
        long t = 5_000;
        while (t < stopAt) {
            if (round.isEmpty()) {
                round.addAll(List.of(Kind.values()));
                round.add(Kind.AIRTABLE_FAULT); // the double's faults are many: three episodes of four a round
                round.add(Kind.AIRTABLE_FAULT);
                Collections.shuffle(round, random);
            }
            Kind kind = round.remove(0);
            long ms = switch (kind) {
                case SUSPEND -> seconds(random, 10, 10 + 170 * k);
                case KILL -> seconds(random, 0, 5);
                case AIRTABLE_CUT, AIRTABLE_BLACKHOLE, FIRESTORE_CUT, FIRESTORE_BLACKHOLE ->
                        seconds(random, 5, 5 + 115 * k);
                case AIRTABLE_FAULT -> seconds(random, 12, 12 + 108 * k);
                case QUIET -> seconds(random, 5, 5 + 55 * k);
                case SECOND_RUNNER -> 0;
            };
            String param = switch (kind) {
                case SUSPEND -> random.nextInt(3) == 0 ? "second" : "steady";
                case KILL -> random.nextBoolean() ? "same-id" : "new-id";
                case AIRTABLE_FAULT -> airtableFaults(faults, random) + " on " + scope(random, bases);
                default -> "";
            };
            episodes.add(new Episode(Duration.ofMillis(t), kind, Duration.ofMillis(ms), param));
            t += ms + seconds(random, 2, 5);
        }
        return new ChaosPlan(seed, length, List.copyOf(episodes));
    }

    /** Four of the double's faults one after the other (a quarter of the episode each), from the shuffled round. */
    private static String airtableFaults(List<String> faults, Random random) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (faults.isEmpty()) {
                faults.addAll(AIRTABLE_FAULTS);
                Collections.shuffle(faults, random);
            }
            picked.add(faults.remove(0));
        }
        return String.join(",", picked);
    }

    private static String scope(Random random, List<String> bases) {
        int pick = random.nextInt(bases.size() + 1);
        return pick == bases.size() ? "all" : bases.get(pick);
    }

    private static long seconds(Random random, double from, double to) {
        return Math.round((from + random.nextDouble() * (to - from)) * 1000);
    }

    public String describe() {
        StringBuilder out = new StringBuilder("Chaos plan, seed " + seed + ", length " + length.toSeconds() + " s ("
                + episodes.size() + " episodes):\n");
        episodes.forEach(e -> out.append("  ").append(e).append('\n'));
        return out.toString();
    }
}
