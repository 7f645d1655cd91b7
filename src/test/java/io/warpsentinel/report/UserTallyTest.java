package io.warpsentinel.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The users with the most stale devices: most first, ties in the order people read names with numbers. */
class UserTallyTest {

    private static List<String> users(UserTally tally) {
        return tally.top().stream().map(UserTally.UserCount::user).toList();
    }

    private static UserTally tally(int limit, String... devicesOf) {
        UserTally tally = new UserTally(limit);
        for (String user : devicesOf) {
            tally.add(user);
        }
        return tally;
    }

    @Test
    void mostDevicesFirstAndTiesWithTheNumbersInNamesAsNumbers() {
        UserTally tally = tally(10, "user127@example.com", "user10@example.com", "user1@example.com", "user2@example.com",
                "boss@example.com", "boss@example.com");

        assertThat(users(tally)).containsExactly("boss@example.com", "user1@example.com", "user2@example.com", "user10@example.com",
                "user127@example.com");
        assertThat(tally.top().get(0).devices()).isEqualTo(2);
    }

    @Test
    void atTheLimitATieKeepsTheUsersThatComeFirstWhateverTheOrderTheyWereSeenIn() {
        List<String> seen = new ArrayList<>(List.of("user127@x", "user10@x", "user3@x", "user1@x", "user2@x", "user20@x"));
        Collections.shuffle(seen, new Random(7));

        assertThat(users(tally(3, seen.toArray(String[]::new)))).as("seen in the order %s", seen)
                .containsExactly("user1@x", "user2@x", "user3@x");
        assertThat(users(tally(3, "user127@x", "user10@x", "user3@x", "user1@x", "user2@x", "user10@x")))
                .as("more devices still win over a name").containsExactly("user10@x", "user1@x", "user2@x");
    }

    @Test
    void namesCompareWithoutRegardToCaseAndNumbersOfAnyLength() {
        List<String> names = new ArrayList<>(List.of("b2", "B10", "a", "x99999999999999999999999", "x100000000000000000000000", "x007",
                "x7", "x08", "user-1", "user1", "user"));
        names.sort(NaturalOrder.INSTANCE);

        assertThat(names).containsExactly("a", "b2", "B10", "user", "user-1", "user1", "x007", "x7", "x08", "x99999999999999999999999",
                "x100000000000000000000000");
        assertThat(NaturalOrder.INSTANCE.compare("Ann", "ann")).as("different names never compare equal").isNotZero();
    }
}
