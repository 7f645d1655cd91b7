package io.warpsentinel.finding;

/**
 * A 64-bit fingerprint of a string, for the compact tables that stand in for sets and counts of
 * ids and addresses on fleets of a million: two distinct strings of a million share one with a
 * chance of about 3 in 100 million.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** FNV-1a over the characters, then MurmurHash3's finaliser to spread the bits; never 0 (a free slot). */
    public static long of(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        hash ^= text.length();
        hash = (hash ^ hash >>> 33) * 0xff51afd7ed558ccdL;
        hash = (hash ^ hash >>> 33) * 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }
}
