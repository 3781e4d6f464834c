package com.airtableintegrity.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class WhenItRunsTest {
    @Test
    void eachPresetWritesAQuartzCron() {
        assertThat(WhenItRuns.hourly(15).cron()).isEqualTo("0 15 * * * ?");
        assertThat(WhenItRuns.daily(LocalTime.of(9, 30)).cron()).isEqualTo("0 30 9 * * ?");
        assertThat(WhenItRuns.weekdays(LocalTime.of(7, 5)).cron()).isEqualTo("0 5 7 ? * MON-FRI");
        assertThat(WhenItRuns.weekly(DayOfWeek.SUNDAY, LocalTime.of(23, 0)).cron()).isEqualTo("0 0 23 ? * SUN");
    }

    @Test
    void aStoredCronThatAPresetWritesIsShownAsThatPreset() {
        assertThat(WhenItRuns.of("0 15 * * * ?")).isEqualTo(WhenItRuns.hourly(15));
        assertThat(WhenItRuns.of("0 30 9 * * ?")).isEqualTo(WhenItRuns.daily(LocalTime.of(9, 30)));
        assertThat(WhenItRuns.of("0 5 7 ? * MON-FRI")).isEqualTo(WhenItRuns.weekdays(LocalTime.of(7, 5)));
        assertThat(WhenItRuns.of(" 0 0 23 ? * SUN ")).isEqualTo(WhenItRuns.weekly(DayOfWeek.SUNDAY,
                LocalTime.of(23, 0)));
    }

    @Test
    void anyOtherCronIsShownAsTypedByHand() {
        for (String cron : new String[] {"0 * * * * ?", "0 0/15 * * * ?", "0 30 9 ? * MON-SAT", "30 0 * * * ?",
                "0 0 24 * * ?", "0 0 9 1 * ?", "not a cron"}) {
            assertThat(WhenItRuns.of(cron)).isEqualTo(new WhenItRuns(WhenItRuns.Preset.CRON, 0, null, null, cron));
        }
    }

    @Test
    void aPresetIsToldInItsOwnWordsAndACronTypedByHandInCronUtils() {
        assertThat(WhenItRuns.hourly(0).sentence()).isEqualTo("every hour, on the hour");
        assertThat(WhenItRuns.hourly(15).sentence()).isEqualTo("every hour at minute 15");
        assertThat(WhenItRuns.daily(LocalTime.of(9, 30)).sentence()).isEqualTo("every day at 09:30");
        assertThat(WhenItRuns.weekdays(LocalTime.of(7, 5)).sentence())
                .isEqualTo("every weekday (Monday to Friday) at 07:05");
        assertThat(WhenItRuns.weekly(DayOfWeek.SUNDAY, LocalTime.of(23, 0)).sentence())
                .isEqualTo("every Sunday at 23:00");
        assertThat(WhenItRuns.of("0 0/15 * * * ?").sentence()).isEqualTo("every 15 minutes");
        assertThat(WhenItRuns.of("0 * * * * ?").sentence()).isEqualTo("every minute");
        assertThat(WhenItRuns.of("not a cron").sentence()).isEmpty();
    }
}
