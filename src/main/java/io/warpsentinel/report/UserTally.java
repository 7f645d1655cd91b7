package io.warpsentinel.report;

import io.warpsentinel.finding.Fingerprint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The users with the most stale devices, exactly, in bounded memory: a count per user keyed by
 * a {@link Fingerprint} of the address in primitive arrays (about 20 bytes a user), and the
 * {@code limit} users first in {@link #ORDER} so far with their addresses. Counts only grow, so a
 * user outside the kept ones never comes before the last of them: the kept ones are the top, ties
 * at the limit included.
 */
final class UserTally {

    /** A user and how many stale devices they have. */
    public record UserCount(String user, int devices) {
    }

    /** Most devices first; a tie by address, numbers in it as numbers (user2 before user127). */
    static final Comparator<UserCount> ORDER = Comparator.comparingInt(UserCount::devices).reversed()
            .thenComparing(UserCount::user, NaturalOrder.INSTANCE);

    private final int limit;
    private final List<UserCount> top = new ArrayList<>();
    private long[] keys = new long[1 << 10];
    private int[] counts = new int[1 << 10];
    private int size;

    UserTally(int limit) {
        this.limit = limit;
    }

    void add(String user) {
        if (user == null || user.isBlank()) {
            return;
        }
        String address = user.strip().toLowerCase(Locale.ROOT);
        int count = increment(Fingerprint.of(address));
        for (int i = 0; i < top.size(); i++) {
            if (top.get(i).user().equals(address)) {
                top.set(i, new UserCount(address, count));
                return;
            }
        }
        if (top.size() < limit) {
            top.add(new UserCount(address, count));
            return;
        }
        int last = 0;
        for (int i = 1; i < top.size(); i++) {
            if (ORDER.compare(top.get(i), top.get(last)) > 0) {
                last = i;
            }
        }
        UserCount candidate = new UserCount(address, count);
        if (ORDER.compare(candidate, top.get(last)) < 0) {
            top.set(last, candidate);
        }
    }

    /** The users with the most stale devices, in {@link #ORDER}. */
    List<UserCount> top() {
        List<UserCount> sorted = new ArrayList<>(top);
        sorted.sort(ORDER);
        return List.copyOf(sorted);
    }

    private int increment(long key) {
        if (size * 3 >= keys.length * 2) {
            grow();
        }
        int slot = slot(keys, key);
        if (keys[slot] == 0) {
            keys[slot] = key;
            size++;
        }
        return ++counts[slot];
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slot(keys, oldKeys[i]);
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
            }
        }
    }

    /** Linear probing to the key's slot or the first free one. */
    private static int slot(long[] table, long key) {
        int mask = table.length - 1;
        int slot = (int) (key ^ key >>> 32) & mask;
        while (table[slot] != 0 && table[slot] != key) {
            slot = slot + 1 & mask;
        }
        return slot;
    }
}
