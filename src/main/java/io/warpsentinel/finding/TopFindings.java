package io.warpsentinel.finding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The findings people read first: the new ones, then the ones not seen for the longest, invalid
 * ones last ({@link #NEW_FIRST}). Only {@code limit} are kept (a bounded heap), so a fleet of a
 * million costs the same memory as one of a thousand; the rest are counted and live in the CSV.
 * What is kept is a finding, or a smaller stand-in ordered the same way.
 */
public final class TopFindings<T> {

    /**
     * What the reading order looks at in a finding, and nothing else: enough to place findings that
     * are no longer in memory (the HTML page's rows, read back from the JSON report).
     */
    public record Key(boolean isNew, Long daysSinceSeen, String registrationId) {

        /** Most days since seen first; unknown (invalid) after every known; then by registration id for a stable order. */
        public static final Comparator<Key> READING_ORDER = Comparator
                .comparing(Key::daysSinceSeen, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Key::registrationId, Comparator.nullsLast(Comparator.naturalOrder()));

        /**
         * New findings first (what a reader has not seen yet: 242 new ones must not hide behind 200
         * old ones), then {@link #READING_ORDER}.
         */
        public static final Comparator<Key> NEW_FIRST = Comparator.comparing((Key key) -> !key.isNew()).thenComparing(READING_ORDER);

        public static Key of(Verdict finding) {
            return new Key(finding.change() == Change.NEW, finding.daysSinceSeen(), finding.registration().id());
        }
    }

    /** {@link Key#NEW_FIRST}, for findings in memory. */
    public static final Comparator<Verdict> NEW_FIRST = Comparator.comparing(Key::of, Key.NEW_FIRST);

    private final int limit;
    private final Comparator<? super T> order;
    private final PriorityQueue<T> kept;

    /** The first {@code limit} in {@code order}. */
    public TopFindings(int limit, Comparator<? super T> order) {
        this.limit = limit;
        this.order = order;
        // The head is the one that would leave first: the last in that order.
        this.kept = new PriorityQueue<>(Math.max(1, limit), order.reversed());
    }

    /** The first {@code limit} findings, {@link #NEW_FIRST}. */
    public static TopFindings<Verdict> newFirst(int limit) {
        return new TopFindings<>(limit, NEW_FIRST);
    }

    public void offer(T finding) {
        if (limit == 0) {
            return;
        }
        if (kept.size() < limit) {
            kept.add(finding);
        } else if (order.compare(finding, kept.peek()) < 0) {
            kept.poll();
            kept.add(finding);
        }
    }

    public List<T> inReadingOrder() {
        List<T> findings = new ArrayList<>(kept);
        findings.sort(order);
        return findings;
    }
}
