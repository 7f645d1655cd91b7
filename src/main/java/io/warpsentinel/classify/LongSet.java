package io.warpsentinel.classify;

/** A set of 64-bit keys in one array (open addressing), for distinct ids without an object per id. */
final class LongSet {

    private static final long FREE = 0;

    private long[] slots = new long[1024];
    private int size;
    // 0 marks a free slot: the key 0 is kept apart
    private boolean hasZero;

    /** Adds the key; false when it was in already. */
    boolean add(long key) {
        if (key == FREE) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (size * 2 >= slots.length) {
            grow();
        }
        boolean added = place(slots, key);
        if (added) {
            size++;
        }
        return added;
    }

    boolean contains(long key) {
        if (key == FREE) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = (int) (key ^ key >>> 32) & mask; slots[i] != FREE; i = (i + 1) & mask) {
            if (slots[i] == key) {
                return true;
            }
        }
        return false;
    }

    private static boolean place(long[] table, long key) {
        int mask = table.length - 1;
        for (int i = (int) (key ^ key >>> 32) & mask; ; i = (i + 1) & mask) {
            if (table[i] == FREE) {
                table[i] = key;
                return true;
            }
            if (table[i] == key) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long key : old) {
            if (key != FREE) {
                place(slots, key);
            }
        }
    }
}
