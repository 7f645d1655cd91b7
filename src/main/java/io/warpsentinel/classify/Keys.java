package io.warpsentinel.classify;

/**
 * 64-bit keys of text, for the primitive indexes a scan keeps instead of objects (a million
 * registrations as strings and maps would not fit a small heap). Two different texts share a key
 * with a chance of about one in 10^19 per pair; where a wrong match would change a verdict, the
 * index's user checks the text too.
 */
final class Keys {

    private Keys() {
    }

    /**
     * The key of a device and a user as the rules pair registrations (superseded, enrolled again
     * after removal): the same {@code device.id} and the same {@code user.id}, or both without one.
     */
    static long deviceAndUser(String deviceId, String userId) {
        return of(deviceId, userId);
    }

    /** The key of these texts together; null parts count, and each part is delimited (("ab","c") is not ("a","bc")). */
    static long of(String... parts) {
        long hash = 0xcbf29ce484222325L;
        for (String part : parts) {
            if (part == null) {
                hash = (hash ^ 0x1F) * 0x100000001b3L;
                continue;
            }
            for (int i = 0; i < part.length(); i++) {
                hash = (hash ^ part.charAt(i)) * 0x100000001b3L;
            }
            hash = (hash ^ 0x1E ^ ((long) part.length() << 8)) * 0x100000001b3L;
        }
        // FNV-1a spreads poorly in the high bits: SplitMix64's finaliser mixes every bit
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }
}
