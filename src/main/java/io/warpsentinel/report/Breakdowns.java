package io.warpsentinel.report;

import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every finding counted in each {@link Breakdown} as it is recorded, by reason. Memory stays
 * bounded whatever the fleet and its names: a breakdown keeps at most {@value #MAX_VALUES}
 * distinct values (each cut to {@value #MAX_LENGTH} characters), and a finding whose value comes
 * after those counts as "other". Platforms, client versions and device profiles number in the
 * tens, so the counts are exact for any real fleet; a flood of made-up values costs no more.
 */
final class Breakdowns {

    /** Distinct values counted per breakdown. */
    static final int MAX_VALUES = 1_000;
    /** Values a breakdown's table shows, the most frequent first; the rest are "other". */
    static final int SHOWN = 20;
    private static final int MAX_LENGTH = 200;
    private static final int REASONS = Reason.values().length;

    /** What a row of a breakdown stands for. */
    enum Kind {
        /** A value the findings have (a histogram's range). */
        VALUE,
        /** The values after the first shown, or past those counted. */
        OTHER,
        /** Findings without the value: no device details, no profile in the listing, last seen unreadable. */
        NOT_KNOWN
    }

    /** One row of a breakdown: its label (the value, or null for other and not known) and its findings by reason. */
    record Row(Kind kind, String label, Map<Reason, Long> byReason) {
        long total() {
            return byReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Map<Breakdown, Map<String, long[]>> counted = new EnumMap<>(Breakdown.class);
    private final Map<Breakdown, long[]> other = new EnumMap<>(Breakdown.class);
    private final Map<Breakdown, long[]> notKnown = new EnumMap<>(Breakdown.class);

    Breakdowns() {
        for (Breakdown breakdown : Breakdown.values()) {
            counted.put(breakdown, new HashMap<>());
            other.put(breakdown, new long[REASONS]);
            notKnown.put(breakdown, new long[REASONS]);
        }
    }

    /** A finding, counted in every breakdown. */
    void add(Verdict finding) {
        int reason = finding.reason().ordinal();
        for (Breakdown breakdown : Breakdown.values()) {
            String value = breakdown.value.apply(finding);
            if (value == null || value.isBlank()) {
                notKnown.get(breakdown)[reason]++;
                continue;
            }
            Map<String, long[]> values = counted.get(breakdown);
            String key = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
            long[] counts = values.get(key);
            if (counts == null && values.size() < MAX_VALUES) {
                counts = new long[REASONS];
                values.put(key, counts);
            }
            (counts == null ? other.get(breakdown) : counts)[reason]++;
        }
    }

    /**
     * Each breakdown's rows as the page shows them: a histogram's ranges in their order; otherwise
     * the {@value #SHOWN} most frequent values (a tie in natural order), then other; not known last.
     * Rows without findings are left out, but for a histogram's ranges.
     */
    Map<Breakdown, List<Row>> rows() {
        Map<Breakdown, List<Row>> rows = new EnumMap<>(Breakdown.class);
        for (Breakdown breakdown : Breakdown.values()) {
            Map<String, long[]> values = counted.get(breakdown);
            List<Row> table = new ArrayList<>();
            long[] rest = other.get(breakdown).clone();
            if (breakdown.ranges != null) {
                breakdown.ranges.forEach(range -> table.add(row(Kind.VALUE, range, values.getOrDefault(range, new long[REASONS]))));
            } else {
                List<Map.Entry<String, long[]>> ordered = new ArrayList<>(values.entrySet());
                ordered.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -sum(e.getValue()))
                        .thenComparing(Map.Entry::getKey, NaturalOrder.INSTANCE));
                for (int i = 0; i < ordered.size(); i++) {
                    if (i < SHOWN) {
                        table.add(row(Kind.VALUE, ordered.get(i).getKey(), ordered.get(i).getValue()));
                    } else {
                        for (int r = 0; r < REASONS; r++) {
                            rest[r] += ordered.get(i).getValue()[r];
                        }
                    }
                }
            }
            if (sum(rest) > 0) {
                table.add(row(Kind.OTHER, null, rest));
            }
            if (sum(notKnown.get(breakdown)) > 0) {
                table.add(row(Kind.NOT_KNOWN, null, notKnown.get(breakdown)));
            }
            rows.put(breakdown, List.copyOf(table));
        }
        return Collections.unmodifiableMap(rows);
    }

    private static Row row(Kind kind, String label, long[] counts) {
        Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.findings()) {
            byReason.put(reason, counts[reason.ordinal()]);
        }
        return new Row(kind, label, Collections.unmodifiableMap(byReason));
    }

    private static long sum(long[] counts) {
        long sum = 0;
        for (long count : counts) {
            sum += count;
        }
        return sum;
    }
}
