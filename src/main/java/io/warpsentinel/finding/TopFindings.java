package io.warpsentinel.finding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The findings people read first: the new ones, then the ones not seen for the longest, invalid
 * ones last. Only {@code limit} are kept (a bounded heap), so a fleet of a million costs the same
 * memory as one of a thousand; the rest are counted and live in the CSV.
 */
public final class TopFindings {

    /** Most days since seen first; unknown (invalid) after every known; then by registration id for a stable order. */
    public static final Comparator<Verdict> READING_ORDER = Comparator
            .comparing(Verdict::daysSinceSeen, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(v -> v.registration().id(), Comparator.nullsLast(Comparator.naturalOrder()));

    /**
     * New findings first (what a reader has not seen yet: 242 new ones must not hide behind 200
     * old ones), then {@link #READING_ORDER}.
     */
    public static final Comparator<Verdict> NEW_FIRST = Comparator.comparing((Verdict v) -> v.change() != Change.NEW)
            .thenComparing(READING_ORDER);

    private final int limit;
    private final Comparator<Verdict> order;
    private final PriorityQueue<Verdict> kept;

    public TopFindings(int limit) {
        this(limit, NEW_FIRST);
    }

    /** The first {@code limit} findings in {@code order}. */
    public TopFindings(int limit, Comparator<Verdict> order) {
        this.limit = limit;
        this.order = order;
        // The head is the finding that would leave first: the last in that order.
        this.kept = new PriorityQueue<>(Math.max(1, limit), order.reversed());
    }

    public void offer(Verdict finding) {
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

    public List<Verdict> inReadingOrder() {
        List<Verdict> findings = new ArrayList<>(kept);
        findings.sort(order);
        return findings;
    }
}
