package io.warpsentinel.classify;

import io.warpsentinel.finding.Registration;
import java.time.Instant;

/**
 * The newest registration of each device and user, for the rule "superseded": gathered while
 * the pages stream through (a newer registration may come pages after an older one), complete
 * once the listing is. One primitive entry per registration during the listing, one per device
 * and user after ({@link KeyedLongs}): never the fleet as objects.
 */
final class NewestRegistrations {

    /** The newest registration of a device and user: when it was last seen, and where the spool keeps it. */
    record Newest(long seenNanos, long spoolOffset) {
    }

    private final KeyedLongs entries;
    private boolean complete;

    NewestRegistrations(int expected) {
        entries = new KeyedLongs(expected);
    }

    /** A registration that is not revoked, last seen at {@code lastSeen}, kept at {@code spoolOffset}. */
    void add(Registration registration, Instant lastSeen, long spoolOffset) {
        entries.add(key(registration), nanos(lastSeen), spoolOffset);
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
        int position = entries.find(key(registration));
        return position < 0 ? null : new Newest(entries.first(position), entries.second(position));
    }

    /** Whether a registration can be superseded or supersede one: it names its device. */
    static boolean applies(Registration registration) {
        return registration.deviceId() != null;
    }

    private static long key(Registration registration) {
        return Keys.deviceAndUser(registration.deviceId(), registration.userId());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
