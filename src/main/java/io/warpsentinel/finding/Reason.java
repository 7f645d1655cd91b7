package io.warpsentinel.finding;

/** Why a registration is (or is not) in a report. The lower-case name is what reports print. */
public enum Reason {
    /** Seen within the stale-after window and not revoked: not a finding. */
    CURRENT,
    /** Not revoked, and last seen before the stale threshold. */
    STALE,
    /** {@code revoked_at} is set, whatever {@code last_seen_at} says. */
    REVOKED,
    /** The record cannot be judged ({@code last_seen_at} missing or malformed, no id...): reported, never dropped. */
    INVALID;

    public boolean isFinding() {
        return this != CURRENT;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
