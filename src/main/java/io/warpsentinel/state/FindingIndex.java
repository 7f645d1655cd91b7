package io.warpsentinel.state;

import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation.Action;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The open findings of an account's last complete scan, held compactly while the scan compares
 * each registration with them: a 128-bit fingerprint of the registration id (MD5, as a checksum,
 * not for security) in an open-addressing table of primitive arrays, about 70 bytes a finding
 * instead of the ~180 of objects and strings, so 400,000 open findings cost some 28 MB. The ids themselves stay in the store (and in the published CSV), where saving and
 * describing read them back.
 */
final class FindingIndex {

    /** What this scan made of a stored finding; {@link #UNSEEN} until the scan lists it. */
    static final byte UNSEEN = 0, STILL = 1, RECOVERED = 2, GONE = 3, DROPPED = 4;

    private static final Reason[] REASONS = Reason.values();
    private static final Action[] ACTIONS = Action.values();
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    });

    private int capacity;
    private long[] high;
    private long[] low;
    private long[] since;
    private long[] alertedAt;
    private long[] ownerNoticedAt;
    private long[] actedAt;
    private byte[] reason;
    private byte[] acted;
    private byte[] outcome;
    private boolean[] alertDue;
    private int size;

    /** @param expected about how many findings will be put (the table grows past that, at a cost) */
    FindingIndex(int expected) {
        allocate(Math.max(16, expected + expected / 2 + 1));
    }

    /** Empty arrays of {@code slots} slots. */
    private void allocate(int slots) {
        capacity = slots;
        high = new long[capacity];
        low = new long[capacity];
        since = new long[capacity];
        alertedAt = new long[capacity];
        ownerNoticedAt = new long[capacity];
        actedAt = new long[capacity];
        reason = new byte[capacity];
        acted = new byte[capacity];
        outcome = new byte[capacity];
        alertDue = new boolean[capacity];
    }

    /** Adds a stored finding, without its names (an id stored twice keeps its first record). */
    void put(StoredFinding row) {
        if (size * 3L >= capacity * 2L) {
            grow(); // a third of the slots stay free, so probes stay short
        }
        long[] fingerprint = fingerprint(row.registrationId());
        int slot = probe(fingerprint);
        if (used(slot)) {
            return;
        }
        high[slot] = fingerprint[0];
        low[slot] = fingerprint[1];
        reason[slot] = (byte) row.reason().ordinal();
        since[slot] = row.since();
        alertedAt[slot] = row.alertedAt();
        ownerNoticedAt[slot] = row.ownerNoticedAt();
        acted[slot] = (byte) row.acted().ordinal();
        actedAt[slot] = row.actedAt();
        size++;
    }

    /** The slot of a stored finding, or -1. */
    int find(String registrationId) {
        if (registrationId == null || size == 0) {
            return -1;
        }
        int slot = probe(fingerprint(registrationId));
        return used(slot) ? slot : -1;
    }

    int size() {
        return size;
    }

    /** Slots are 0 to capacity - 1; only those {@link #used} hold a finding. */
    int capacity() {
        return capacity;
    }

    boolean used(int slot) {
        return high[slot] != 0 || low[slot] != 0;
    }

    Reason reason(int slot) {
        return REASONS[reason[slot]];
    }

    void reason(int slot, Reason newReason) {
        reason[slot] = (byte) newReason.ordinal();
    }

    long since(int slot) {
        return since[slot];
    }

    long alertedAt(int slot) {
        return alertedAt[slot];
    }

    long ownerNoticedAt(int slot) {
        return ownerNoticedAt[slot];
    }

    void ownerNoticed(int slot, long at) {
        ownerNoticedAt[slot] = at;
    }

    /** What sentinel.remediate did to the finding's registration ({@link Action#NONE}: nothing), and when. */
    Action acted(int slot) {
        return ACTIONS[acted[slot]];
    }

    long actedAt(int slot) {
        return actedAt[slot];
    }

    void acted(int slot, Action action, long at) {
        acted[slot] = (byte) action.ordinal();
        actedAt[slot] = at;
    }

    byte outcome(int slot) {
        return outcome[slot];
    }

    void outcome(int slot, byte value) {
        outcome[slot] = value;
    }

    boolean alertDue(int slot) {
        return alertDue[slot];
    }

    void markAlertDue(int slot) {
        alertDue[slot] = true;
    }

    /** A ready-made record of the slot's finding, for the recovered and gone sections. */
    TrackedFinding toFinding(int slot, String registrationId) {
        return new TrackedFinding(registrationId, reason(slot), since[slot], acted(slot), actedAt[slot]);
    }

    /** Half as many slots again; only called while loading, before any slot carries this scan's outcome. */
    private void grow() {
        long[] oldHigh = high, oldLow = low, oldSince = since, oldAlerted = alertedAt, oldNoticed = ownerNoticedAt, oldActedAt = actedAt;
        byte[] oldReason = reason, oldActed = acted;
        int oldCapacity = capacity;
        allocate(capacity + capacity / 2);
        for (int old = 0; old < oldCapacity; old++) {
            if (oldHigh[old] != 0 || oldLow[old] != 0) {
                int slot = probe(new long[] {oldHigh[old], oldLow[old]});
                high[slot] = oldHigh[old];
                low[slot] = oldLow[old];
                since[slot] = oldSince[old];
                alertedAt[slot] = oldAlerted[old];
                ownerNoticedAt[slot] = oldNoticed[old];
                actedAt[slot] = oldActedAt[old];
                reason[slot] = oldReason[old];
                acted[slot] = oldActed[old];
            }
        }
    }

    /** Linear probing from the fingerprint's home slot to the finding or the first free slot. */
    private int probe(long[] fingerprint) {
        int slot = (int) Math.floorMod(fingerprint[0] ^ fingerprint[1], (long) capacity);
        while (used(slot) && (high[slot] != fingerprint[0] || low[slot] != fingerprint[1])) {
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }
        return slot;
    }

    private static long[] fingerprint(String registrationId) {
        ByteBuffer digest = ByteBuffer.wrap(MD5.get().digest(registrationId.getBytes(StandardCharsets.UTF_8)));
        long first = digest.getLong();
        long second = digest.getLong();
        // (0, 0) marks a free slot
        return new long[] {first, first == 0 && second == 0 ? 1 : second};
    }
}
