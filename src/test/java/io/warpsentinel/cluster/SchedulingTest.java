package io.warpsentinel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A firing may start late by half the schedule's shortest interval, never by a whole one, and never by more than a minute. */
class SchedulingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 0 6 * * ?           | PT1M",
        "0 0 6,7 * * ?         | PT1M",
        "0 0/1 * * * ?         | PT30S",
        "0 0/10 9-17 ? * MON-FRI | PT1M",
        "0/3 * * * * ?         | PT1.5S",
        "0/1 * * * * ?         | PT0.5S",
        "0 0 0 1 1 ? 2099      | PT1M"})
    void theGraceIsHalfTheShortestIntervalAtMostAMinute(String schedule, Duration grace) {
        assertThat(Scheduling.misfireGrace(schedule.strip(), ZoneId.of("Europe/Berlin"))).isEqualTo(grace);
    }
}
