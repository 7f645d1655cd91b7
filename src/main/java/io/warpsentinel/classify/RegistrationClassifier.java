package io.warpsentinel.classify;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.finding.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The one rule that decides what a report lists. Revoked wins over stale: a revoked
 * registration is reported as revoked whatever its {@code last_seen_at}. Everything is judged
 * against the run's start instant, so every account of one run uses the same threshold.
 */
public final class RegistrationClassifier implements Processor {

    // A clock a little ahead of ours is normal; a device seen days from now is a broken record,
    // and calling it current would keep it out of every report for as long as that lasts.
    private static final Duration LATEST_CLOCK_SKEW = Duration.ofDays(1);

    private final Exclusions exclusions;

    public RegistrationClassifier(Exclusions exclusions) {
        this.exclusions = exclusions;
    }

    /** The route's step: the body, a {@link Registration}, becomes its {@link Verdict}, marked if an exclusion matches. */
    @Override
    public void process(Exchange exchange) {
        ScanRun run = exchange.getProperty(AccountScan.PROPERTY, AccountScan.class).getRun();
        Registration registration = exchange.getMessage().getBody(Registration.class);
        Verdict verdict = judge(registration, run.getStartedAt(), run.getStaleBefore());
        String rule = exclusions.ruleFor(registration);
        exchange.getMessage().setBody(rule == null ? verdict : verdict.excludedBy(rule));
    }

    public static Verdict judge(Registration registration, Instant now, Instant staleBefore) {
        if (registration.defect() != null) {
            return verdict(registration, Reason.INVALID, null, registration.defect());
        }
        Instant lastSeen = parseTimestamp(registration.lastSeenAt());
        String lastSeenProblem = !isSet(registration.lastSeenAt()) ? "last_seen_at is missing"
                : lastSeen == null ? "last_seen_at is not an RFC 3339 timestamp"
                : lastSeen.isAfter(now.plus(LATEST_CLOCK_SKEW)) ? "last_seen_at is in the future (more than a day after the scan started)"
                : null;
        Long days = lastSeenProblem == null ? Duration.between(lastSeen, now).toDays() : null;
        if (isSet(registration.revokedAt())) {
            return parseTimestamp(registration.revokedAt()) != null ? verdict(registration, Reason.REVOKED, days, null)
                    : verdict(registration, Reason.INVALID, days, "revoked_at is not an RFC 3339 timestamp");
        }
        if (lastSeenProblem != null) {
            return verdict(registration, Reason.INVALID, null, lastSeenProblem);
        }
        Reason reason = lastSeen.isBefore(staleBefore) ? Reason.STALE : Reason.CURRENT;
        return verdict(registration, reason, days, null);
    }

    /** The verdict, its note saying what is wrong with the record and what was repaired in it. */
    private static Verdict verdict(Registration registration, Reason reason, Long days, String problem) {
        String remark = registration.remark();
        String note = problem == null ? remark : remark == null ? problem : problem + "; " + remark;
        return new Verdict(registration, reason, days, note);
    }

    /**
     * RFC 3339: {@code Z} or a numeric offset, optional fractional seconds; RFC 3339 also allows
     * lower-case {@code t}/{@code z} and a space between date and time. Null when unreadable.
     */
    public static Instant parseTimestamp(String text) {
        return isSet(text) ? Rfc3339.parse(text) : null;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
