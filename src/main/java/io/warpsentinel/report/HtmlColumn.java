package io.warpsentinel.report;

import java.util.function.Function;

/**
 * How the HTML findings table shows a column: declared with its {@link ReportColumn}, read by
 * {@link FindingsTable} for the cells, the page's JSON rows and the column list its script works
 * from.
 *
 * @param place      where the column stands in the table, lower first; numbered in tens, so a new column fits between two
 * @param heading    the column's heading
 * @param kind       how its value shows and sorts
 * @param value      what the cell holds, made from the finding's report columns: a String, or a Long for a {@link Kind#NUMBER};
 *                   null is an empty cell
 * @param under      a muted second line under the value (how long ago a date was), or null for none
 * @param sortable   a click on the heading sorts the table by it
 * @param filterable what the filter box matches includes it
 * @param oneLine    an id: kept on one line, never broken inside (the table scrolls sideways instead)
 */
record HtmlColumn(int place, String heading, Kind kind, Function<ReportRow, ?> value, Function<ReportRow, String> under,
                  boolean sortable, boolean filterable, boolean oneLine) {

    enum Kind {
        /** Shown as it is, sorted as text whatever its case. */
        TEXT,
        /** A whole number, sorted as one (empty cells last). */
        NUMBER,
        /**
         * An RFC 3339 timestamp, shown in the report's time zone and sorted by the instant; a value
         * that is not one shows as it is, after every instant.
         */
        TIME
    }

    /** A text column; it shows the report column's value unless {@link #showing} says otherwise. */
    static HtmlColumn text(int place, String heading) {
        return new HtmlColumn(place, heading, Kind.TEXT, null, null, true, true, false);
    }

    static HtmlColumn number(int place, String heading) {
        return new HtmlColumn(place, heading, Kind.NUMBER, null, null, true, true, false);
    }

    static HtmlColumn time(int place, String heading) {
        return new HtmlColumn(place, heading, Kind.TIME, null, null, true, true, false);
    }

    /** The cell shows this instead of the report column's value. */
    HtmlColumn showing(Function<ReportRow, ?> shown) {
        return new HtmlColumn(place, heading, kind, shown, under, sortable, filterable, oneLine);
    }

    HtmlColumn withLineUnder(Function<ReportRow, String> line) {
        return new HtmlColumn(place, heading, kind, value, line, sortable, filterable, oneLine);
    }

    HtmlColumn unsortable() {
        return new HtmlColumn(place, heading, kind, value, under, false, filterable, oneLine);
    }

    HtmlColumn unfiltered() {
        return new HtmlColumn(place, heading, kind, value, under, sortable, false, oneLine);
    }

    /** Kept on one line: an id a person copies whole, which must not wrap in a narrow window. */
    HtmlColumn keptOnOneLine() {
        return new HtmlColumn(place, heading, kind, value, under, sortable, filterable, true);
    }

    /** This column showing {@code columnValue} unless it shows something of its own. */
    HtmlColumn orShowing(Function<ReportRow, ?> columnValue) {
        return value != null ? this : showing(columnValue);
    }
}
