package io.warpsentinel.finding;

import java.util.Locale;

/** How a registration's finding compares with the account's last complete scan. The lower-case name is what reports print. */
public enum Change {
    /** A finding now, not at the last complete scan (or there was none). */
    NEW,
    /** A finding now and at the last complete scan: open since {@code finding_since}. */
    STILL,
    /** A finding at the last complete scan, listed again now and neither stale, revoked nor invalid. */
    RECOVERED,
    /** A finding at the last complete scan, no longer listed by the API (deleted). */
    GONE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
