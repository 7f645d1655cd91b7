package io.warpsentinel.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warpsentinel.finding.Registration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each user's most recently seen registration, folded to one entry per user as the listing streams through. */
class UsersLastSeenTest {

    private static final Instant T = Instant.parse("2026-11-27T06:00:00Z");

    private static Registration of(String userId, String email) {
        return new Registration("r", "d", "n", null, userId, email, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void theNewestOfEachUserWhereverItIsListedThoughTheIndexIsFoldedManyTimes() {
        UsersLastSeen users = new UsersLastSeen(0);
        int count = 20_000;
        // three registrations per user, listed far apart, the newest one of them in turn first, second or last
        for (int round = 0; round < 3; round++) {
            for (int user = 0; user < count; user++) {
                users.add(of("u" + user, null), T.minusSeconds(seenSecondsAgo(user, round)));
            }
        }
        users.listingComplete();

        for (int user = 0; user < count; user++) {
            for (int round = 0; round < 3; round++) {
                boolean newest = seenSecondsAgo(user, round) == 100;
                assertThat(users.isNewest(of("u" + user, null), T.minusSeconds(seenSecondsAgo(user, round)))).as("u%d, round %d", user, round)
                        .isEqualTo(newest);
            }
        }
    }

    /** 100 seconds ago in the round user % 3, longer ago in the other two. */
    private static long seenSecondsAgo(int user, int round) {
        return user % 3 == round ? 100 : 100 + 1000L * (round + 1);
    }

    @Test
    void aZeroTimeOrAYearPastALongOfNanosecondsIsOlderOrNewerThanEveryRealOne() {
        UsersLastSeen users = new UsersLastSeen(16);
        Instant zeroTime = Instant.parse("0001-01-01T00:00:00Z");
        users.add(of("old", null), zeroTime);
        users.add(of("old", null), T);
        users.add(of("ancient", null), zeroTime);
        users.add(of("future", null), Instant.parse("9999-12-31T23:59:59Z"));
        users.add(of("future", null), T);
        users.listingComplete();

        assertThat(users.isNewest(of("old", null), zeroTime)).isFalse();
        assertThat(users.isNewest(of("old", null), T)).isTrue();
        assertThat(users.isNewest(of("ancient", null), zeroTime)).isTrue();
        assertThat(users.isNewest(of("future", null), T)).isFalse();
    }

    @Test
    void twoSeenAtTheSameInstantAreEachTheNewestAndAServiceTokenIsNoUsers() {
        UsersLastSeen users = new UsersLastSeen(16);
        users.add(of("u1", "a@example.com"), T);
        users.add(of("u1", "a@example.com"), T);
        users.add(of(null, null), T.plusSeconds(5));
        users.add(of("token-user", "non_identity@example.com"), T);
        users.listingComplete();

        assertThat(users.isNewest(of("u1", "a@example.com"), T)).isTrue();
        assertThat(users.isNewest(of("u1", "a@example.com"), T.minusNanos(1))).isFalse();
        assertThat(users.isNewest(of(null, null), T.plusSeconds(5))).as("no user: never a user's last device").isFalse();
        assertThat(users.isNewest(of("token-user", "non_identity@example.com"), T)).isFalse();
    }

    @Test
    void askedBeforeTheListingIsCompleteItRefuses() {
        UsersLastSeen users = new UsersLastSeen(16);
        users.add(of("u1", null), T);
        assertThatThrownBy(() -> users.isNewest(of("u1", null), T)).isInstanceOf(IllegalStateException.class);
    }
}
