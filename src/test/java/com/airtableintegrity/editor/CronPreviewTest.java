package com.airtableintegrity.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronPreviewTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void theNextFiringTimesAreInTheSchedulesTimeZoneAcrossAClockChange() {
        // Friday 2026-10-23 12:00 UTC is 14:00 in Berlin, which leaves summer time on Sunday 25 October
        Instant now = Instant.parse("2026-10-23T12:00:00Z");

        assertThat(CronPreview.next("0 30 9 ? * MON-FRI", BERLIN, now, 5)).extracting(ZonedDateTime::toString)
                .containsExactly("2026-10-26T09:30+01:00[Europe/Berlin]", "2026-10-27T09:30+01:00[Europe/Berlin]",
                        "2026-10-28T09:30+01:00[Europe/Berlin]", "2026-10-29T09:30+01:00[Europe/Berlin]",
                        "2026-10-30T09:30+01:00[Europe/Berlin]");
        assertThat(CronPreview.next("0 0 13 * * ?", BERLIN, now, 2)).extracting(ZonedDateTime::toString)
                .containsExactly("2026-10-24T13:00+02:00[Europe/Berlin]", "2026-10-25T13:00+01:00[Europe/Berlin]");
    }

    @Test
    void aCronThatNeverFiresAgainOrDoesNotParseHasNoFiringTimes() {
        Instant now = Instant.parse("2026-10-23T12:00:00Z");

        assertThat(CronPreview.next("0 0 0 1 1 ? 2020", BERLIN, now, 5)).isEmpty();
        assertThat(CronPreview.next("not a cron", BERLIN, now, 5)).isEmpty();
    }
}
