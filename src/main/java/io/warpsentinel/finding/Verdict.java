package io.warpsentinel.finding;

import java.time.Instant;

/**
 * A registration with its classification. {@code daysSinceSeen} is whole days between
 * {@code last_seen_at} and the scan's start, or null when {@code last_seen_at} is unreadable;
 * {@code note} says what made an {@code invalid} record invalid; {@code supersededBy} is the
 * newer registration of the same device and user that made it {@code superseded};
 * {@code staleAfter} is the stale-after window that judged it (null where no window did: a
 * registration invalid, revoked, superseded or never used); {@code device} is its device's
 * details from Cloudflare's inventory, when looked up. {@code excludedBy} names the exclusion rule
 * that keeps it out of findings and alerts, if any. {@code change} and {@code findingSince}
 * compare a finding with the account's last complete scan (null until the report has looked it
 * up, and for a registration that is not a finding).
 */
public record Verdict(Registration registration, Reason reason, Long daysSinceSeen, String note, Newer supersededBy, String staleAfter,
                      Device device, String excludedBy, Change change, Instant findingSince) {

    public Verdict(Registration registration, Reason reason, Long daysSinceSeen, String note) {
        this(registration, reason, daysSinceSeen, note, null, null, null, null, null, null);
    }

    /** What the rules judged, before exclusions and the comparison with the last scan. */
    public static Verdict judged(Registration registration, Reason reason, Long daysSinceSeen, String note, Newer supersededBy,
                                 String staleAfter, Device device) {
        return new Verdict(registration, reason, daysSinceSeen, note, supersededBy, staleAfter, device, null, null, null);
    }

    public boolean isExcluded() {
        return excludedBy != null;
    }

    public Verdict excludedBy(String rule) {
        return new Verdict(registration, reason, daysSinceSeen, note, supersededBy, staleAfter, device, rule, change, findingSince);
    }

    public Verdict withChange(Change change, Instant findingSince) {
        return new Verdict(registration, reason, daysSinceSeen, note, supersededBy, staleAfter, device, excludedBy, change, findingSince);
    }

    public Verdict withNote(String newNote) {
        return new Verdict(registration, reason, daysSinceSeen, newNote, supersededBy, staleAfter, device, excludedBy, change, findingSince);
    }

    /**
     * Who enrolled it: {@code service-token} for a registration without a user, or whose user's
     * e-mail starts with {@code non_identity@} (Cloudflare's service-token enrolments), else
     * {@code user}.
     */
    public String enrolledBy() {
        return registration.isServiceToken() ? "service-token" : "user";
    }
}
