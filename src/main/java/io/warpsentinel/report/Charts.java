package io.warpsentinel.report;

import io.warpsentinel.finding.Reason;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pages' charts, drawn as inline SVG by this code: nothing is fetched or run when a page
 * opens, and a page read from disk shows them. Each reason has its colour by its place among the
 * findings' reasons, so a new reason takes the next one. Every text inside a chart is escaped like
 * the page's: inline SVG is parsed as HTML is.
 */
final class Charts {

    private static final String[] COLOURS = {"#cf222e", "#8250df", "#bf8700", "#0969da", "#6e7781", "#bc4c00", "#1a7f37", "#9a6700"};

    /** The charts', and the breakdown tables' their bars sit in. */
    static final String STYLE = """
            .legend{font-size:12px;color:#656d76;margin:4px 0}
            .legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:-1px}
            svg.chart text{font-size:11px;fill:#656d76}
            svg.chart .unmeasured{fill:#1f2328}
            svg.bar{vertical-align:middle}
            td.number{text-align:right}
            .spread table{display:inline-table;vertical-align:top;margin-right:16px}
            table.breakdown caption{text-align:left;font-weight:600;font-size:13px;padding:0 0 4px}
            table.breakdown td:first-child{max-width:24em;overflow-wrap:anywhere}
            """;

    private Charts() {
    }

    /**
     * One run of a chart: when it started as the page shows it, and its findings by reason; null
     * counts for a run that measured nothing (failed or withheld), drawn as a dark mark on the base
     * line, with {@code note} saying why.
     */
    record Run(String when, Map<Reason, Long> byReason, String note) {
        long total() {
            return byReason == null ? 0 : Reason.findings().stream().mapToLong(reason -> byReason.getOrDefault(reason, 0L)).sum();
        }
    }

    static String colour(Reason reason) {
        return COLOURS[Reason.findings().indexOf(reason) % COLOURS.length];
    }

    /** Which colour is which reason. */
    static void legend(Writer out) throws IOException {
        out.write("<p class=\"legend\">");
        for (Reason reason : Reason.findings()) {
            out.write("<i style=\"background:" + colour(reason) + "\"></i>" + reason.label());
        }
        out.write("</p>\n");
    }

    /**
     * One column per run, its findings stacked by reason, each run's counts in its tooltip; with
     * {@code axes}, the largest count and the first and last run's dates beside it (a sparkline
     * without). The width holds {@code slots} columns (more if there are more runs), the latest run
     * at the right: a few runs do not make wide columns.
     */
    static void runs(Writer out, String label, List<Run> runs, int slots, int width, int height, boolean axes) throws IOException {
        long max = runs.stream().mapToLong(Run::total).max().orElse(0);
        int left = axes ? 48 : 0;
        int top = axes ? 6 : 1;
        int bottom = axes ? 18 : 1;
        double plotHeight = height - top - bottom;
        int columns = Math.max(slots, runs.size());
        double step = (width - left) / (double) Math.max(1, columns);
        double first = left + (columns - runs.size()) * step;
        double barWidth = Math.max(1, step * 0.8);
        double base = top + plotHeight;
        out.write("<svg class=\"chart\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height
                + "\" role=\"img\" aria-label=\"" + HtmlReport.escapeText(label) + "\">");
        if (axes) {
            out.write("<line x1=\"" + left + "\" y1=\"" + num(base) + "\" x2=\"" + width + "\" y2=\"" + num(base) + "\" stroke=\"#d0d7de\"/>");
            out.write(text(left - 6, top + 10, "end", String.format("%,d", max)) + text(left - 6, base, "end", "0"));
            // room for both dates, or the latest alone
            if (runs.size() > 1 && width - first > 240) {
                out.write(text(first, height - 4, "start", runs.get(0).when()));
            }
            if (!runs.isEmpty()) {
                out.write(text(width, height - 4, "end", runs.get(runs.size() - 1).when()));
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            double x = first + i * step + (step - barWidth) / 2;
            out.write("<g><title>" + HtmlReport.escapeText(run.when() + ": " + (run.byReason() == null ? run.note()
                    : Wording.counted(run.total(), "finding") + (run.total() == 0 ? "" : " (" + Wording.reasonCounts(run.byReason()) + ")")))
                    + "</title>");
            if (run.byReason() == null) {
                out.write(rect(x, base - 3, barWidth, 3, null));
            } else if (max > 0) {
                double y = base;
                for (Reason reason : Reason.findings()) {
                    double h = run.byReason().getOrDefault(reason, 0L) * plotHeight / max;
                    if (h > 0) {
                        y -= h;
                        out.write(rect(x, y, barWidth, h, colour(reason)));
                    }
                }
            }
            out.write("</g>");
        }
        out.write("</svg>");
    }

    /** A bar as long as {@code byReason}'s total against {@code max}, stacked by reason (a breakdown's row). */
    static void bar(Writer out, Map<Reason, Long> byReason, long max, int width) throws IOException {
        int height = 10;
        out.write("<svg class=\"bar\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height
                + "\" aria-hidden=\"true\">");
        double x = 0;
        for (Reason reason : Reason.findings()) {
            double w = max == 0 ? 0 : byReason.getOrDefault(reason, 0L) * (double) width / max;
            if (w > 0) {
                out.write(rect(x, 0, w, height, colour(reason)));
                x += w;
            }
        }
        out.write("</svg>");
    }

    private static String rect(double x, double y, double width, double height, String fill) {
        return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(width) + "\" height=\"" + num(height) + "\""
                + (fill == null ? " class=\"unmeasured\"" : " fill=\"" + fill + "\"") + "/>";
    }

    private static String text(double x, double y, String anchor, String text) {
        return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">" + HtmlReport.escapeText(text) + "</text>";
    }

    /** A coordinate: a dot for the decimals whatever the locale (a comma would break the SVG). */
    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
