package com.airtableintegrity.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The soak's fault plan: replayable from its seed, and a 20-minute plan injects every kind of fault. */
class ChaosPlanTest {

    @Test
    void theSameSeedDrawsTheSamePlanAndAnotherSeedAnother() {
        assertThat(ChaosPlan.draw(42, Duration.ofMinutes(20), Soak.BASES))
                .isEqualTo(ChaosPlan.draw(42, Duration.ofMinutes(20), Soak.BASES));
        assertThat(ChaosPlan.draw(43, Duration.ofMinutes(20), Soak.BASES).episodes())
                .isNotEqualTo(ChaosPlan.draw(42, Duration.ofMinutes(20), Soak.BASES).episodes());
    }

    @Test
    void aTwentyMinutePlanHasEveryKindAndEveryAirtableFaultWithinItsRanges() {
        for (long seed = 1; seed <= 20; seed++) {
            ChaosPlan plan = ChaosPlan.draw(seed, Duration.ofMinutes(20), Soak.BASES);
            Set<ChaosPlan.Kind> kinds = plan.episodes().stream().map(ChaosPlan.Episode::kind)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(ChaosPlan.Kind.class)));
            Set<String> faults = plan.episodes().stream().filter(e -> e.kind() == ChaosPlan.Kind.AIRTABLE_FAULT)
                    .flatMap(e -> Arrays.stream(e.param().split(" on ")[0].split(",")))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(kinds).as("seed %d", seed).isEqualTo(EnumSet.allOf(ChaosPlan.Kind.class));
            assertThat(faults).as("seed %d", seed).isEqualTo(new TreeSet<>(ChaosPlan.AIRTABLE_FAULTS));
            plan.episodes().stream().filter(e -> e.kind() == ChaosPlan.Kind.SUSPEND).forEach(e -> assertThat(
                    e.duration()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(180)));
            assertThat(plan.episodes().get(plan.episodes().size() - 1).at()).isLessThan(Duration.ofMinutes(18));
        }
    }
}
