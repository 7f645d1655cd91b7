package io.warpsentinel.report;

import io.warpsentinel.finding.Verdict;

/**
 * A finding as the report holds it: each {@link ReportColumn}'s value, a String, a Long or null.
 * What the HTML findings table shows is made from these alone, so that a row reads the same from a
 * finding in memory and from the JSON report's file.
 */
@FunctionalInterface
interface ReportRow {

    Object get(ReportColumn column);

    /** The column's value as text; null when empty. */
    default String text(ReportColumn column) {
        Object value = get(column);
        return value == null ? null : value.toString();
    }

    static ReportRow of(Verdict finding) {
        return column -> column.valueOf(finding);
    }
}
