package io.warpsentinel.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistrationClassifierTest {

    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    private static final StalePolicy THIRTY_DAYS = StalePolicy.parse("P30D");
    private static final Instant STALE_BEFORE = THIRTY_DAYS.staleBefore(NOW);
    private static final Rules RULES = new Rules(NOW, new StaleWindows(THIRTY_DAYS), Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(7));

    private static Verdict classify(String lastSeenAt, String revokedAt) {
        Registration registration = new Registration("r1", "d1", "n", null, null, null, null, null, lastSeenAt, revokedAt, null, null, null, null, null);
        return RULES.judge(registration, null, null);
    }

    @Test
    void aNewerRegistrationSupersedesFromExactlySupersededAfterOn() {
        Instant older = Instant.parse("2026-11-01T00:00:00Z");
        assertThat(RULES.supersedes(older.plus(Duration.ofDays(7)), older)).isTrue();
        assertThat(RULES.supersedes(older.plus(Duration.ofDays(7)).minusNanos(1), older)).isFalse();
        assertThat(RULES.supersedes(older, older.plus(Duration.ofDays(7)))).isFalse();
    }

    @ParameterizedTest(name = "created {0}, last seen 2026-11-10T12:00:00Z -> {1}")
    @CsvSource({
        // never used: last seen within an hour of its creation, either way, the bounds included
        "2026-11-10T11:00:00Z,           NEVER_USED",
        "2026-11-10T13:00:00Z,           NEVER_USED",
        "2026-11-10T10:59:59.999999999Z, CURRENT",
        "2026-11-10T13:00:00.000000001Z, CURRENT",
    })
    void aRegistrationIsNeverUsedWhenLastSeenWithinTheWindowOfItsCreation(String createdAt, Reason expected) {
        Registration registration = new Registration("r1", "d1", "n", null, null, null, null, createdAt, "2026-11-10T12:00:00Z", null,
                null, null, null, null, null);
        assertThat(RULES.judge(registration, null, null).reason()).isEqualTo(expected);
    }

    @Test
    void theThresholdIsExactlyStaleAfterBeforeTheScanStarted() {
        assertThat(STALE_BEFORE).isEqualTo(Instant.parse("2026-10-28T06:00:00Z"));
    }

    @ParameterizedTest(name = "last seen {0} -> {1}")
    @CsvSource({
        // exactly at the threshold is still current; one nanosecond earlier is stale
        "2026-10-28T06:00:00Z,                 CURRENT, 30",
        "2026-10-28T05:59:59.999999999Z,       STALE,   30",
        "2026-10-28T06:00:00.000000001Z,       CURRENT, 29",
        // the same instants written with offsets
        "2026-10-28T08:00:00+02:00,            CURRENT, 30",
        "2026-10-28T00:59:59-05:00,            STALE,   30",
        "2026-10-28T11:29:59.5+05:30,          STALE,   30",
        // lower-case separators and a space are allowed by RFC 3339
        "2026-10-28t05:59:59z,                 STALE,   30",
        "2026-10-28 05:59:59Z,                 STALE,   30",
        "2026-11-27T05:00:00.123Z,             CURRENT, 0",
        "2025-11-27T06:00:00Z,                 STALE,   365",
    })
    void staleMeansLastSeenStrictlyBeforeTheThreshold(String lastSeenAt, Reason expected, long days) {
        Verdict verdict = classify(lastSeenAt, null);
        assertThat(verdict.reason()).isEqualTo(expected);
        assertThat(verdict.daysSinceSeen()).isEqualTo(days);
    }

    @Test
    void revokedWinsWhateverTheLastSeenDate() {
        assertThat(classify("2026-11-27T05:00:00Z", "2026-11-27T05:30:00Z").reason()).isEqualTo(Reason.REVOKED);
        assertThat(classify("2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z").reason()).isEqualTo(Reason.REVOKED);
        assertThat(classify(null, "2020-01-02T00:00:00Z").reason()).isEqualTo(Reason.REVOKED);
        assertThat(classify("2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z").daysSinceSeen()).isEqualTo(2522);
    }

    @Test
    void anEmptyRevokedAtIsNotARevocation() {
        assertThat(classify("2026-11-27T05:00:00Z", "").reason()).isEqualTo(Reason.CURRENT);
    }

    @ParameterizedTest
    @CsvSource(value = {"NULL", "''", "yesterday", "2026-10-28T06:00:00", "2026-13-01T00:00:00Z", "1700000000"}, nullValues = "NULL")
    void aMissingOrUnreadableLastSeenIsInvalidNeverDropped(String lastSeenAt) {
        Verdict verdict = classify(lastSeenAt, null);
        assertThat(verdict.reason()).isEqualTo(Reason.INVALID);
        assertThat(verdict.reason().isFinding()).isTrue();
        assertThat(verdict.daysSinceSeen()).isNull();
        assertThat(verdict.note()).startsWith("last_seen_at is");
    }

    @Test
    void aRecordWithoutIdIsInvalid() {
        Registration broken = new Registration(null, null, null, null, null, null, null, null, "2020-01-01T00:00:00Z", null, null, null,
                null, "registration has no id", null);
        assertThat(RULES.judge(broken, null, null).reason()).isEqualTo(Reason.INVALID);
    }

    @Test
    void staleAfterAcceptsDurationsAndCalendarPeriods() {
        assertThat(StalePolicy.parse("PT36H").staleBefore(NOW)).isEqualTo(Instant.parse("2026-11-25T18:00:00Z"));
        assertThat(StalePolicy.parse("P2W").staleBefore(NOW)).isEqualTo(Instant.parse("2026-11-13T06:00:00Z"));
        assertThat(StalePolicy.parse("p1m").staleBefore(NOW)).isEqualTo(Instant.parse("2026-10-27T06:00:00Z"));
        assertThat(StalePolicy.parse(" P1Y ").staleBefore(NOW)).isEqualTo(Instant.parse("2025-11-27T06:00:00Z"));
    }

    @Test
    void staleAfterRejectsNonsenseWithTheSettingsName() {
        for (String bad : new String[] {"30", "30d", "", "P0D", "-P1D", "PT0S"}) {
            assertThatThrownBy(() -> StalePolicy.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sentinel.stale-after");
        }
    }

    @Test
    void aLastSeenDaysInTheFutureIsInvalidNotCurrentForever() {
        assertThat(classify("2999-01-01T00:00:00Z", null).reason()).isEqualTo(Reason.INVALID);
        assertThat(classify("2999-01-01T00:00:00Z", null).note()).startsWith("last_seen_at is in the future");
        assertThat(classify("2026-11-27T18:00:00Z", null).reason()).as("a clock half a day ahead").isEqualTo(Reason.CURRENT);
    }

    @Test
    void aRevokedAtThatIsNotATimestampIsNoRevocation() {
        Verdict verdict = classify("2020-01-01T00:00:00Z", "yes");
        assertThat(verdict.reason()).isEqualTo(Reason.INVALID);
        assertThat(verdict.note()).isEqualTo("revoked_at is not an RFC 3339 timestamp");
        assertThat(classify("2020-01-01T00:00:00Z", "2026-01-01T00:00:00Z").reason()).isEqualTo(Reason.REVOKED);
    }

    @Test
    void whatWasRepairedInARecordIsInItsNote() {
        Registration repaired = new Registration("r1", "d1", "pc\uFFFD", null, null, null, null, null, "2020-01-01T00:00:00Z", null, null, null,
                null, null, "device.name held characters that are not valid text; they were replaced by U+FFFD");
        assertThat(RULES.judge(repaired, null, null).note()).isEqualTo(repaired.remark());
    }
}
