package io.warpsentinel.classify;

import io.warpsentinel.finding.Registration;
import java.time.Instant;

/**
 * The newest registration of each device and user, for the rule "superseded" (a newer
 * registration may come pages after an older one): built once the listing is complete, from the
 * spool's headers, as many entries as there are registrations that may supersede another, then
 * one per device and user ({@link KeyedLongs}): never the fleet as objects, and no index grown
 * (copied) while the pages come.
 */
final class NewestRegistrations {

    /** The newest registration of a device and user: when it was last seen, and where the spool keeps it. */
    record Newest(long seenNanos, long spoolOffset) {
    }

    private final KeyedLongs entries;
    private boolean complete;

    /** @param count how many registrations will be added */
    NewestRegistrations(int count) {
        entries = new KeyedLongs(count);
    }

    /** A registration that may supersede another (not revoked, judged, of a named device): its {@link #key}, when last seen, where it is kept. */
    void add(long key, long seenNanos, long spoolOffset) {
        entries.add(key, seenNanos, spoolOffset);
    }

    /** The listing is complete: one entry per device and user is kept, its newest (the first listed among equals). */
    void listingComplete() {
        entries.sort();
        entries.keepOnePerKey((seen, offset, keptSeen, keptOffset) -> seen > keptSeen || seen == keptSeen && offset < keptOffset);
        complete = true;
    }

    /** The newest registration of this one's device and user (it may be this one), or null when none is known. */
    Newest newestOf(Registration registration) {
        if (!complete) {
            throw new IllegalStateException("the listing is not complete");
        }
        if (registration.deviceId() == null) {
            return null;
        }
        return newestOf(key(registration));
    }

    /** The newest registration of the device and user of this {@link #key}, or null. */
    Newest newestOf(long key) {
        if (!complete) {
            throw new IllegalStateException("the listing is not complete");
        }
        int position = entries.find(key);
        return position < 0 ? null : new Newest(entries.first(position), entries.second(position));
    }

    /** Whether a registration can be superseded or supersede one: it names its device. */
    static boolean applies(Registration registration) {
        return registration.deviceId() != null;
    }

    /** The key of a registration's device and user: the same user is the same user.id, or both without one (service tokens). */
    static long key(Registration registration) {
        return Keys.deviceAndUser(registration.deviceId(), registration.userId());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /**
     * Nanoseconds since the epoch, saturated: a time before 1677-09-21 or after 2262-04-11 (a
     * long's range) is kept as the earliest or the latest. RFC 3339 allows years 0000 to 9999, and
     * some APIs write a "zero time" such as 0001-01-01T00:00:00Z for "never"; such a registration
     * is older than every real one, which is all that picking the newest needs (the rule itself
     * compares the instants as they were written).
     */
    static long nanos(Instant instant) {
        long second = instant.getEpochSecond();
        if (second >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (second < Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return second * 1_000_000_000L + instant.getNano();
    }
}
