package io.warpsentinel.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The demo fleet moves from one day to the next, a few percent at a time, and keeps its shares and its cases. */
class DemoFleetDaysTest {

    private static final Instant NOW = DemoFleetCasesTest.NOW;
    private static final int SIZE = 3000;

    /** Each registration listed that day and what the 30-day rule makes of it. */
    private static Map<String, String> judged(DemoFleet fleet) {
        long staleBefore = fleet.now() - 30L * DemoFleet.DAY;
        Map<String, String> judged = new HashMap<>();
        for (int index = 0; index < fleet.size(); index++) {
            DemoRegistration registration = fleet.registration(index);
            if (registration != null) {
                String lastSeen = fleet.lastSeenText(registration);
                judged.put(registration.id(), registration.isRevoked() ? "revoked"
                        : lastSeen == null || lastSeen.startsWith("not") ? "invalid"
                        : registration.lastSeen() < staleBefore ? "stale" : "current");
            }
        }
        return judged;
    }

    /** What changed from one day's judgement to the next's, as the reports name it. */
    private static Map<String, Integer> changes(Map<String, String> before, Map<String, String> after) {
        Map<String, Integer> changes = new TreeMap<>();
        after.forEach((id, now) -> {
            String was = before.get(id);
            if (was == null) {
                changes.merge("created", 1, Integer::sum);
            } else if (!was.equals(now)) {
                changes.merge(was.equals("current") ? "became " + now : now.equals("current") ? "recovered" : was + " to " + now, 1, Integer::sum);
            }
        });
        before.forEach((id, was) -> {
            if (!after.containsKey(id)) {
                changes.merge(was.equals("current") ? "deleted" : "gone", 1, Integer::sum);
            }
        });
        return changes;
    }

    @Test
    void theDayAfterDayZeroShowsNewStaleAndRevokedRecoveredGoneAndNewRegistrations() {
        Map<String, String> day0 = judged(new DemoFleet("demo-acme-hq", SIZE, NOW, 0));
        Map<String, String> day1 = judged(new DemoFleet("demo-acme-hq", SIZE, NOW, 1));

        assertThat(day0).hasSize(SIZE);
        assertThat(changes(day0, day1)).containsOnlyKeys("became stale", "became revoked", "stale to revoked", "recovered", "gone",
                "deleted", "created").allSatisfy((change, count) -> assertThat(count).as(change).isPositive());
    }

    @Test
    void everyDayAFewPercentChangeAndTheSharesHold() {
        Map<String, String> before = judged(new DemoFleet("demo-acme-labs", SIZE, NOW, 0));
        for (int day = 1; day <= 400; day++) {
            Map<String, String> today = judged(new DemoFleet("demo-acme-labs", SIZE, NOW, day));
            int changed = changes(before, today).values().stream().mapToInt(Integer::intValue).sum();
            Map<String, Integer> shares = new TreeMap<>();
            today.values().forEach(reason -> shares.merge(reason, 1, Integer::sum));

            assertThat(changed).as("changes on day %d", day).isBetween(SIZE / 200, SIZE * 4 / 100);
            assertThat(today.size()).as("listed on day %d", day).isBetween(SIZE * 98 / 100, SIZE);
            assertThat(shares.get("current")).as("current on day %d", day).isBetween(SIZE * 58 / 100, SIZE * 68 / 100);
            assertThat(shares.get("stale")).as("stale on day %d", day).isBetween(SIZE * 21 / 100, SIZE * 29 / 100);
            assertThat(shares.get("revoked")).as("revoked on day %d", day).isBetween(SIZE * 8 / 100, SIZE * 14 / 100);
            before = today;
        }
    }

    @Test
    void theCasesAreTheSameOnEveryDayRelativeToItsNow() {
        DemoFleet day0 = new DemoFleet("demo-acme-hq", SIZE, NOW, 0);
        DemoFleet day9 = new DemoFleet("demo-acme-hq", SIZE, NOW.plusSeconds(9 * 86_400 + 77), 9);
        int cases = 0;
        for (int index = 0; index < SIZE; index++) {
            if (day0.caseOf(index) != DemoCase.LIFECYCLE) {
                DemoRegistration before = day0.registration(index);
                DemoRegistration after = day9.registration(index);
                assertThat(after.id()).isEqualTo(before.id());
                assertThat(after.lastSeen() - day9.now()).isEqualTo(before.lastSeen() - day0.now());
                assertThat(after.created() - day9.now()).isEqualTo(before.created() - day0.now());
                cases++;
            }
        }
        assertThat(cases).isEqualTo(SIZE / DemoCase.BLOCK * 20 - 3 * 5);
    }

    @Test
    void theSameDayIsTheSameFleetWhateverTheRun() {
        DemoFleet one = new DemoFleet("demo-acme-hq", SIZE, NOW, 5);
        DemoFleet other = new DemoFleet("demo-acme-hq", SIZE, NOW, 5);
        for (int index = 0; index < SIZE; index++) {
            assertThat(other.registration(index)).isEqualTo(one.registration(index));
        }
    }
}
