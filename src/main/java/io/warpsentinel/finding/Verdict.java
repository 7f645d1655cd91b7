package io.warpsentinel.finding;

import java.time.Instant;

/**
 * A registration with its classification. {@code daysSinceSeen} is whole days between
 * {@code last_seen_at} and the scan's start, or null when {@code last_seen_at} is unreadable;
 * {@code note} says what made an {@code invalid} record invalid; {@code excludedBy} names the
 * exclusion rule that keeps it out of findings and alerts, if any. {@code change} and
 * {@code findingSince} compare a finding with the account's last complete scan (null until the
 * report has looked it up, and for a registration that is not a finding).
 */
public record Verdict(Registration registration, Reason reason, Long daysSinceSeen, String note, String excludedBy,
                      Change change, Instant findingSince) {

    public Verdict(Registration registration, Reason reason, Long daysSinceSeen, String note) {
        this(registration, reason, daysSinceSeen, note, null, null, null);
    }

    public boolean isExcluded() {
        return excludedBy != null;
    }

    public Verdict excludedBy(String rule) {
        return new Verdict(registration, reason, daysSinceSeen, note, rule, change, findingSince);
    }

    public Verdict withChange(Change change, Instant findingSince) {
        return new Verdict(registration, reason, daysSinceSeen, note, excludedBy, change, findingSince);
    }

    public Verdict withNote(String newNote) {
        return new Verdict(registration, reason, daysSinceSeen, newNote, excludedBy, change, findingSince);
    }
}
