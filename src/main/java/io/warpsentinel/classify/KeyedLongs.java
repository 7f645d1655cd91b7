package io.warpsentinel.classify;

import java.util.Arrays;

/**
 * Entries of a 64-bit key and two longs, appended in any order, then sorted by key to be found
 * by binary search: the primitive index behind {@link NewestRegistrations}, {@link UsersLastSeen}
 * and {@link DeviceDirectory}. 24 bytes an entry, no object per entry: a million cost 24 MB.
 */
final class KeyedLongs {

    private long[] keys;
    private long[] firsts;
    private long[] seconds;
    private int size;
    private boolean sorted;

    KeyedLongs(int expected) {
        int capacity = Math.max(16, expected);
        keys = new long[capacity];
        firsts = new long[capacity];
        seconds = new long[capacity];
    }

    int size() {
        return size;
    }

    void add(long key, long first, long second) {
        if (sorted) {
            throw new IllegalStateException("sorted already");
        }
        if (size == keys.length) {
            // by half again, not double: the last growth of a large index must not cost twice its size
            reserve(size + (size >> 1) + 16);
        }
        keys[size] = key;
        firsts[size] = first;
        seconds[size] = second;
        size++;
    }

    /** Whether the next entry makes it grow. */
    boolean isFull() {
        return size == keys.length;
    }

    /** Room for at least this many entries, without growing again. */
    void reserve(int capacity) {
        if (capacity > keys.length) {
            keys = Arrays.copyOf(keys, capacity);
            firsts = Arrays.copyOf(firsts, capacity);
            seconds = Arrays.copyOf(seconds, capacity);
        }
    }

    /** Sorts the entries by key; entries of equal keys keep no particular order. */
    void sort() {
        quicksort(0, size - 1);
        sorted = true;
    }

    /**
     * Keeps one entry per key, the one {@code better} prefers (the others are dropped), and frees
     * the spare room. The entries must be sorted.
     */
    void keepOnePerKey(Preference better) {
        dropEqualKeys(better);
        keys = Arrays.copyOf(keys, size);
        firsts = Arrays.copyOf(firsts, size);
        seconds = Arrays.copyOf(seconds, size);
    }

    /**
     * Sorts, keeps one entry per key as {@link #keepOnePerKey} does, and takes more entries after
     * them, in the room it had: an index of one entry per key that is fed more entries than keys.
     */
    void compact(Preference better) {
        quicksort(0, size - 1);
        dropEqualKeys(better);
    }

    private void dropEqualKeys(Preference better) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (kept > 0 && keys[kept - 1] == keys[i]) {
                if (better.prefers(firsts[i], seconds[i], firsts[kept - 1], seconds[kept - 1])) {
                    firsts[kept - 1] = firsts[i];
                    seconds[kept - 1] = seconds[i];
                }
                continue;
            }
            keys[kept] = keys[i];
            firsts[kept] = firsts[i];
            seconds[kept] = seconds[i];
            kept++;
        }
        size = kept;
    }

    @FunctionalInterface
    interface Preference {
        /** Whether the entry (first, second) wins over the one kept so far. */
        boolean prefers(long first, long second, long keptFirst, long keptSecond);
    }

    /** The position of an entry with this key, the first of them when several share it, or -1. The entries must be sorted. */
    int find(long key) {
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (keys[middle] < key) {
                low = middle + 1;
            } else {
                if (keys[middle] == key) {
                    found = middle;
                }
                high = middle - 1;
            }
        }
        return found;
    }

    long key(int position) {
        return keys[position];
    }

    long first(int position) {
        return firsts[position];
    }

    long second(int position) {
        return seconds[position];
    }

    // Keys are hashes, so a middle pivot is as good as any; the smaller side first keeps the stack shallow.
    private void quicksort(int from, int to) {
        while (to - from > 16) {
            long pivot = keys[(from + to) >>> 1];
            int i = from;
            int j = to;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (j - from < to - i) {
                quicksort(from, j);
                from = i;
            } else {
                quicksort(i, to);
                to = j;
            }
        }
        for (int i = from + 1; i <= to; i++) {
            for (int j = i; j > from && keys[j - 1] > keys[j]; j--) {
                swap(j, j - 1);
            }
        }
    }

    private void swap(int a, int b) {
        long key = keys[a];
        keys[a] = keys[b];
        keys[b] = key;
        long first = firsts[a];
        firsts[a] = firsts[b];
        firsts[b] = first;
        long second = seconds[a];
        seconds[a] = seconds[b];
        seconds[b] = second;
    }
}
