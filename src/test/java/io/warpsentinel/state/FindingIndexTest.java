package io.warpsentinel.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation.Action;
import org.junit.jupiter.api.Test;

class FindingIndexTest {

    @Test
    void findsEveryStoredFindingAfterGrowingAndNothingElse() {
        FindingIndex index = new FindingIndex(100); // far too few: it grows
        for (int i = 0; i < 5000; i++) {
            index.put(new StoredFinding("reg-" + i, i % 2 == 0 ? Reason.STALE : Reason.REVOKED, i,
                    i % 3 == 0 ? TrackedFinding.NEVER : 10L * i, 7, i % 5 == 0 ? Action.REVOKE : Action.NONE,
                    i % 5 == 0 ? 100L * i : TrackedFinding.NEVER, "Device " + i, null, null));
        }
        // stored twice: the first record stays
        index.put(new StoredFinding("reg-7", Reason.INVALID, 99, 99, 99, Action.DELETE, 99, null, null, null));

        assertThat(index.size()).isEqualTo(5000);
        assertThat(index.capacity()).isGreaterThan(7500);
        for (int i = 0; i < 5000; i++) {
            int slot = index.find("reg-" + i);
            assertThat(slot).as("reg-%d", i).isNotNegative();
            assertThat(index.reason(slot)).isEqualTo(i % 2 == 0 ? Reason.STALE : Reason.REVOKED);
            assertThat(index.since(slot)).isEqualTo(i);
            assertThat(index.alertedAt(slot)).isEqualTo(i % 3 == 0 ? TrackedFinding.NEVER : 10L * i);
            assertThat(index.acted(slot)).isEqualTo(i % 5 == 0 ? Action.REVOKE : Action.NONE);
            assertThat(index.actedAt(slot)).isEqualTo(i % 5 == 0 ? 100L * i : TrackedFinding.NEVER);
        }
        assertThat(index.find("reg-5000")).isNegative();
        assertThat(index.find("REG-1")).isNegative();
        assertThat(index.find(null)).isNegative();
    }

    @Test
    void anEmptyIndexFindsNothing() {
        assertThat(new FindingIndex(0).find("reg-1")).isNegative();
    }
}
