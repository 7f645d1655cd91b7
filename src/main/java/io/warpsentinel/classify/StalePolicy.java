package io.warpsentinel.classify;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAmount;

/**
 * The configured stale-after window ({@code sentinel.stale-after}), an ISO-8601 duration:
 * {@code P30D} and {@code PT12H} are exact durations, {@code P1M} or {@code P1Y} are calendar
 * periods counted back in UTC. A registration is stale when it was last seen strictly before
 * {@code now - window}; one seen exactly at that instant is still current.
 */
public final class StalePolicy {

    private final String text;
    private final TemporalAmount window;

    private StalePolicy(String text, TemporalAmount window) {
        this.text = text;
        this.window = window;
    }

    public static StalePolicy parse(String text) {
        String value = text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT);
        TemporalAmount window;
        try {
            window = Duration.parse(value);
        } catch (DateTimeParseException notExact) {
            try {
                window = Period.parse(value);
            } catch (DateTimeParseException notCalendar) {
                throw new IllegalArgumentException("sentinel.stale-after must be an ISO-8601 duration such as P30D, P4W or P3M, not '" + text + "'");
            }
        }
        boolean positive = window instanceof Duration d ? !d.isNegative() && !d.isZero()
                : !((Period) window).isNegative() && !((Period) window).isZero();
        if (!positive) {
            throw new IllegalArgumentException("sentinel.stale-after must be longer than zero, not '" + text + "'");
        }
        return new StalePolicy(value, window);
    }

    /** Registrations last seen strictly before this instant are stale. */
    public Instant staleBefore(Instant now) {
        return now.atZone(ZoneOffset.UTC).minus(window).toInstant();
    }

    @Override
    public String toString() {
        return text;
    }
}
