package io.warpsentinel.classify;

import io.warpsentinel.finding.Registration;
import java.time.Instant;

/**
 * When each user was last seen, through the most recently seen of their registrations (the same
 * {@code user.id}), for remediation's "a user's last device": gathered while the pages stream
 * through (the newest may be listed pages after an older one), complete once the listing is.
 * Every registration of a user counts, revoked and excluded ones too; not an invalid one (its
 * {@code last_seen_at} cannot be trusted), and not a service token's (it has no person).
 *
 * <p>One primitive entry per user ({@link KeyedLongs}), never the fleet as objects: the entries
 * are folded to one per user whenever the index is full, so it grows with the users, not with
 * their registrations.
 */
public final class UsersLastSeen {

    // the most recently seen wins; an entry's second long is its user's check key
    private static final KeyedLongs.Preference NEWER = (seen, check, keptSeen, keptCheck) -> seen > keptSeen;

    private final KeyedLongs entries;
    private boolean complete;

    /** @param expected about how many registrations the account has: most users have more than one */
    UsersLastSeen(int expected) {
        entries = new KeyedLongs(Math.max(1024, expected / 4));
    }

    /** Whether a registration is a user's: it has a {@code user.id} and is no service token's. */
    public static boolean hasUser(Registration registration) {
        return registration.userId() != null && !registration.isServiceToken();
    }

    /** A registration of the listing, not invalid, last seen at {@code lastSeen} (null: unreadable, not counted). */
    void add(Registration registration, Instant lastSeen) {
        if (lastSeen == null || !hasUser(registration)) {
            return;
        }
        if (entries.isFull()) {
            entries.compact(NEWER);
            // as much room again as there are users so far: folding stays rare however many users there are
            entries.reserve(2 * entries.size());
        }
        entries.add(Keys.of(registration.userId()), NewestRegistrations.micros(lastSeen), check(registration.userId()));
    }

    /** The listing is complete: one entry per user, their newest. */
    void listingComplete() {
        entries.sort();
        entries.keepOnePerKey(NEWER);
        complete = true;
    }

    /**
     * Whether this registration, last seen at {@code lastSeen}, is its user's most recently seen
     * one (of two seen at the same instant, each is). False for a registration without a user.
     */
    public boolean isNewest(Registration registration, Instant lastSeen) {
        // known at once for a registration without a user (a service token): the judge offers it as
        // soon as it is judged, before the listing is complete
        if (lastSeen == null || !hasUser(registration)) {
            return false;
        }
        if (!complete) {
            throw new IllegalStateException("the listing is not complete");
        }
        int position = entries.find(Keys.of(registration.userId()));
        // not in the index, or the newest kept under its key is another user's (one chance in 10^19): this
        // user's newest is unknown, and the answer that keeps a device is the safe one
        if (position < 0 || entries.second(position) != check(registration.userId())) {
            return true;
        }
        return NewestRegistrations.micros(lastSeen) >= entries.first(position);
    }

    // a second key of the user, made another way: a user sharing the first by chance does not share it
    private static long check(String userId) {
        return Keys.of("user.id", userId);
    }
}
