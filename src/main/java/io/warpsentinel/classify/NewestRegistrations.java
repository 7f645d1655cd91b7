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
    record Newest(long seenMicros, long spoolOffset) {
    }

    private final KeyedLongs entries;
    private boolean complete;

    /** @param count how many registrations will be added */
    NewestRegistrations(int count) {
        entries = new KeyedLongs(count);
    }

    /** A registration that may supersede another (not revoked, judged, of a named device): its {@link #key}, when last seen, where it is kept. */
    void add(long key, long seenMicros, long spoolOffset) {
        entries.add(key, seenMicros, spoolOffset);
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

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /**
     * Microseconds since the epoch: every year RFC 3339 can write (0000 to 9999) fits a long so,
     * where nanoseconds stop at 1677 and 2262, and some APIs write a "zero time" such as
     * 0001-01-01T00:00:00Z for "never". A time past ±292,000 years (java.time reads a longer year
     * after a sign) is kept as the earliest or the latest.
     */
    static long micros(Instant instant) {
        long second = instant.getEpochSecond();
        if (second >= Long.MAX_VALUE / 1_000_000L) {
            return Long.MAX_VALUE;
        }
        if (second < Long.MIN_VALUE / 1_000_000L) {
            return Long.MIN_VALUE;
        }
        return second * 1_000_000L + instant.getNano() / 1_000;
    }
}
