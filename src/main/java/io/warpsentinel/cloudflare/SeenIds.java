package io.warpsentinel.cloudflare;

import io.warpsentinel.finding.Fingerprint;

/**
 * The registration ids one walk has delivered, so a registration the API lists twice (on two
 * pages, or twice on one) is counted once. Compact for fleets of a million: a {@link Fingerprint}
 * per id in an open-addressing table of longs, about 12 bytes an id.
 */
final class SeenIds {

    private long[] slots = new long[1 << 12];
    private int size;

    /** True the first time {@code id} is offered. */
    boolean add(String id) {
        long fingerprint = Fingerprint.of(id);
        int mask = slots.length - 1;
        int slot = (int) (fingerprint ^ fingerprint >>> 32) & mask;
        while (slots[slot] != 0) {
            if (slots[slot] == fingerprint) {
                return false;
            }
            slot = slot + 1 & mask;
        }
        slots[slot] = fingerprint;
        if (++size * 3 >= slots.length * 2) {
            grow();
        }
        return true;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long fingerprint : old) {
            if (fingerprint != 0) {
                int slot = (int) (fingerprint ^ fingerprint >>> 32) & mask;
                while (slots[slot] != 0) {
                    slot = slot + 1 & mask;
                }
                slots[slot] = fingerprint;
            }
        }
    }
}
