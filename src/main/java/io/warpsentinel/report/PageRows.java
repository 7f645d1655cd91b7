package io.warpsentinel.report;

import io.warpsentinel.finding.TopFindings;
import io.warpsentinel.finding.Verdict;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Which findings the report file's page holds, and in which order: every one up to
 * {@code sentinel.report.html-max-rows}, past it the first in the reading order (new first, then
 * the longest unseen). Memory never holds those findings, whatever the limit: while they are
 * recorded, a {@link Picker} keeps a small key of each (new or not, days unseen, id, its place in
 * the JSON report); the page reads the rows back from the JSON report, at these places, each with
 * its rank in the reading order.
 */
public final class PageRows {

    private final int[] places;
    private final int[] ranks;
    private final long findings;

    private PageRows(int[] places, int[] ranks, long findings) {
        this.places = places;
        this.ranks = ranks;
        this.findings = findings;
    }

    /** How many rows the page holds. */
    public int size() {
        return places.length;
    }

    /** How many findings the report has: more than {@link #size()} when the page holds only the first of them. */
    public long findings() {
        return findings;
    }

    /** The places of the findings held, in the JSON report's order (ascending). */
    int place(int i) {
        return places[i];
    }

    /** The rank in the reading order of the finding at {@link #place(int)}, from 0. */
    int rank(int i) {
        return ranks[i];
    }

    /** Offered each finding as the JSON report gets it; keeps the keys of the first {@code limit} in the reading order. */
    static final class Picker {

        private record Pick(TopFindings.Key key, int place) {
        }

        private final TopFindings<Pick> picks;
        private int offered;

        Picker(int limit) {
            this.picks = new TopFindings<>(limit, Comparator.comparing(Pick::key, TopFindings.Key.NEW_FIRST));
        }

        /** The next finding written to the JSON report. */
        void offer(Verdict finding) {
            picks.offer(new Pick(TopFindings.Key.of(finding), offered++));
        }

        PageRows rows() {
            List<Pick> ranked = picks.inReadingOrder();
            // each one's place and rank in a long, sorted by place: primitives, however many rows
            long[] placed = new long[ranked.size()];
            for (int rank = 0; rank < placed.length; rank++) {
                placed[rank] = (long) ranked.get(rank).place() << 32 | rank;
            }
            Arrays.sort(placed);
            int[] places = new int[placed.length];
            int[] ranks = new int[placed.length];
            for (int i = 0; i < placed.length; i++) {
                places[i] = (int) (placed[i] >>> 32);
                ranks[i] = (int) placed[i];
            }
            return new PageRows(places, ranks, offered);
        }
    }
}
