package io.warpsentinel.classify;

import io.warpsentinel.cloudflare.Registration;
import io.warpsentinel.scan.ScanRun;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The one rule that decides what a report lists. Revoked wins over stale: a revoked
 * registration is reported as revoked whatever its {@code last_seen_at}. Everything is judged
 * against the run's start instant, so every account of one run uses the same threshold.
 */
public final class RegistrationClassifier implements Processor {

    private final Exclusions exclusions;

    public RegistrationClassifier(Exclusions exclusions) {
        this.exclusions = exclusions;
    }

    /** The route's step: the body, a {@link Registration}, becomes its {@link Verdict}, marked if an exclusion matches. */
    @Override
    public void process(Exchange exchange) {
        ScanRun run = exchange.getProperty("run", ScanRun.class);
        Registration registration = exchange.getMessage().getBody(Registration.class);
        Verdict verdict = judge(registration, run.getStartedAt(), run.getStaleBefore());
        String rule = exclusions.ruleFor(registration);
        exchange.getMessage().setBody(rule == null ? verdict : verdict.excludedBy(rule));
    }

    public static Verdict judge(Registration registration, Instant now, Instant staleBefore) {
        if (registration.defect() != null) {
            return new Verdict(registration, Reason.INVALID, null, registration.defect());
        }
        Instant lastSeen = parseTimestamp(registration.lastSeenAt());
        Long days = lastSeen == null ? null : Duration.between(lastSeen, now).toDays();
        if (isSet(registration.revokedAt())) {
            return new Verdict(registration, Reason.REVOKED, days, null);
        }
        if (lastSeen == null) {
            String note = isSet(registration.lastSeenAt()) ? "last_seen_at is not an RFC 3339 timestamp" : "last_seen_at is missing";
            return new Verdict(registration, Reason.INVALID, null, note);
        }
        Reason reason = lastSeen.isBefore(staleBefore) ? Reason.STALE : Reason.CURRENT;
        return new Verdict(registration, reason, days, null);
    }

    /**
     * RFC 3339: {@code Z} or a numeric offset, optional fractional seconds; RFC 3339 also allows
     * lower-case {@code t}/{@code z} and a space between date and time. Null when unreadable.
     */
    public static Instant parseTimestamp(String text) {
        if (!isSet(text)) {
            return null;
        }
        String value = text.strip().toUpperCase(Locale.ROOT);
        if (value.length() > 10 && value.charAt(10) == ' ') {
            value = value.substring(0, 10) + 'T' + value.substring(11);
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
