package io.warpsentinel.cloudflare;

/**
 * The registration ids one walk has delivered, so a registration the API lists twice (on two
 * pages, or twice on one) is counted once. Compact for fleets of a million: a 64-bit
 * fingerprint per id in an open-addressing table of longs, about 12 bytes an id; two distinct
 * ids of a million share a fingerprint with a chance of about 3 in 100 million.
 */
final class SeenIds {

    private long[] slots = new long[1 << 12];
    private int size;

    /** True the first time {@code id} is offered. */
    boolean add(String id) {
        long fingerprint = fingerprint(id);
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

    /** FNV-1a over the characters, then MurmurHash3's finaliser to spread the bits; never 0 (a free slot). */
    static long fingerprint(String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash = (hash ^ id.charAt(i)) * 0x100000001b3L;
        }
        hash ^= id.length();
        hash = (hash ^ hash >>> 33) * 0xff51afd7ed558ccdL;
        hash = (hash ^ hash >>> 33) * 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }
}
