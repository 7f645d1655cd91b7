package io.warpsentinel.report;

import io.warpsentinel.classify.Reason;
import io.warpsentinel.classify.Verdict;
import io.warpsentinel.state.AccountState;
import io.warpsentinel.state.TrackedFinding;
import java.util.List;

/**
 * The report for people: one self-contained HTML page (inline style, no script, no external
 * resource) that reads at a glance. Every value is escaped: device and user names are chosen
 * by whoever enrols a device, so {@code <script>} in a name must show as text.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;margin:24px;max-width:1200px}
            h1{font-size:20px;margin:0 0 8px}
            h2{font-size:16px;margin:16px 0 4px}
            .verdict{font-size:16px;font-weight:600;padding:10px 14px;border-radius:6px;margin:12px 0}
            .clear{background:#dafbe1;color:#116329}.attention{background:#fff1e5;color:#953800}
            .incomplete{background:#ffebe9;color:#a40e26}
            table{border-collapse:collapse;margin:8px 0 16px}
            th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;font-size:13px;vertical-align:top}
            th{background:#f6f8fa}
            td.num{text-align:right}
            .counts td{font-size:18px;font-weight:600;text-align:center;min-width:90px}
            .muted{color:#656d76;font-size:12px}
            .change{font-size:13px;font-weight:400;color:#656d76}
            """;

    private HtmlReport() {
    }

    public static String render(AccountReport report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>WARP registrations, account ").append(escapeText(report.getAccountId())).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>Stale and revoked WARP registrations</h1>\n");
        html.append("<div class=\"verdict ").append(report.getFindings() == 0 ? "clear" : "attention").append("\">")
                .append(escapeText(report.headline())).append("</div>\n");

        html.append("<table class=\"facts\">");
        fact(html, "Account", report.getAccountId());
        fact(html, "Scan started", report.getStartedAt());
        fact(html, "Stale when last seen before", report.getStaleBefore() + " (stale-after " + report.getStaleAfter() + ")");
        fact(html, "Pages read", String.valueOf(report.getPages()));
        html.append("</table>\n");

        html.append("<table class=\"counts\"><tr><th>scanned</th><th>stale</th><th>revoked</th><th>invalid</th></tr><tr>")
                .append("<td>").append(String.format("%,d", report.getScanned())).append("</td>");
        for (Reason reason : new Reason[] {Reason.STALE, Reason.REVOKED, Reason.INVALID}) {
            html.append("<td>").append(String.format("%,d", report.count(reason)));
            if (report.change(reason) != null) {
                html.append(" <span class=\"change\">(").append(report.change(reason)).append(")</span>");
            }
            html.append("</td>");
        }
        html.append("</tr></table>\n");
        if (report.getPreviousScanStartedAt() != null) {
            html.append("<p class=\"muted\">Changes against the previous complete scan of ")
                    .append(escapeText(report.getPreviousScanStartedAt())).append(".</p>\n");
        }

        AccountState state = report.getState();
        html.append("<h2>What changed</h2>\n<p>").append(escapeText(report.changeLine())).append("</p>\n");
        html.append("<table class=\"counts\"><tr><th>new</th><th>still open</th><th>recovered</th><th>gone</th><th>excluded</th></tr><tr>");
        for (long count : new long[] {state.getNewCount(), state.getStillCount(), state.getRecovered().size(), state.getGone().size(),
                report.getExcluded().size()}) {
            html.append("<td>").append(String.format("%,d", count)).append("</td>");
        }
        html.append("</tr></table>\n");

        List<Verdict> top = report.getTopFindings();
        if (!top.isEmpty()) {
            html.append("<h2>Findings</h2>\n");
            verdictTable(html, top, false);
        }
        long more = report.getFindings() - top.size();
        if (more > 0) {
            html.append("<p><strong>").append(more).append(" more in the attached CSV</strong> (")
                    .append(escapeText(report.getCsvFileName())).append("), sorted here by days since seen.</p>\n");
        }
        trackedSection(html, "Recovered: findings of the last scan seen again", state.getRecovered(), report);
        trackedSection(html, "Gone: findings of the last scan no longer listed by Cloudflare", state.getGone(), report);
        if (!report.getExcluded().isEmpty()) {
            html.append("<h2>Excluded (sentinel.exclude.*): never findings, never alerted</h2>\n");
            List<Verdict> excluded = report.getExcluded();
            verdictTable(html, excluded.subList(0, Math.min(excluded.size(), report.getHtmlMaxRows())), true);
            moreInJson(html, excluded.size(), report);
        }
        html.append("<p class=\"muted\">warp-sentinel &middot; reports ").append(escapeText(report.getCsvFileName()))
                .append(" and ").append(escapeText(report.getJsonFileName())).append("</p>\n</body></html>\n");
        return html.toString();
    }

    /** Findings (or excluded registrations, with the rule that matched) as a table. */
    private static void verdictTable(StringBuilder html, List<Verdict> verdicts, boolean excluded) {
        html.append("<table class=\"findings\"><tr><th>days since seen</th><th>reason</th><th>")
                .append(excluded ? "excluded by" : "change</th><th>open since")
                .append("</th><th>device</th><th>user</th><th>last seen</th><th>registration</th><th>note</th></tr>\n");
        for (Verdict finding : verdicts) {
            var r = finding.registration();
            html.append("<tr><td class=\"num\">").append(finding.daysSinceSeen() == null ? "" : finding.daysSinceSeen())
                    .append("</td><td>").append(finding.reason().label())
                    .append("</td><td>").append(excluded ? escapeText(finding.excludedBy())
                            : finding.change().label() + "</td><td>" + finding.findingSince())
                    .append("</td><td>").append(escapeText(r.deviceName()))
                    .append("</td><td>").append(escapeText(r.userEmail() != null ? r.userEmail() : r.userName()))
                    .append("</td><td>").append(escapeText(r.lastSeenAt()))
                    .append("</td><td>").append(escapeText(r.id()))
                    .append("</td><td>").append(escapeText(finding.note())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void trackedSection(StringBuilder html, String title, List<TrackedFinding> findings, AccountReport report) {
        if (findings.isEmpty()) {
            return;
        }
        html.append("<h2>").append(escapeText(title)).append("</h2>\n<table class=\"findings\"><tr><th>was</th>")
                .append("<th>finding since</th><th>device</th><th>user</th><th>last seen</th><th>registration</th></tr>\n");
        for (TrackedFinding finding : findings.subList(0, Math.min(findings.size(), report.getHtmlMaxRows()))) {
            html.append("<tr><td>").append(finding.getReason().label())
                    .append("</td><td>").append(finding.getSince())
                    .append("</td><td>").append(escapeText(finding.getDeviceName()))
                    .append("</td><td>").append(escapeText(finding.getUserEmail()))
                    .append("</td><td>").append(escapeText(finding.getLastSeenAt()))
                    .append("</td><td>").append(escapeText(finding.getRegistrationId())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        moreInJson(html, findings.size(), report);
    }

    private static void moreInJson(StringBuilder html, int listed, AccountReport report) {
        if (listed > report.getHtmlMaxRows()) {
            html.append("<p>").append(listed - report.getHtmlMaxRows()).append(" more in ")
                    .append(escapeText(report.getJsonFileName())).append(".</p>\n");
        }
    }

    /** The same facts as plain text: the e-mail's alternative for clients that do not show HTML. */
    public static String renderText(AccountReport report) {
        StringBuilder text = new StringBuilder(4096);
        text.append(report.headline()).append("\n\n")
                .append("Account:      ").append(report.getAccountId()).append('\n')
                .append("Scan started: ").append(report.getStartedAt()).append('\n')
                .append("Stale when last seen before ").append(report.getStaleBefore())
                .append(" (stale-after ").append(report.getStaleAfter()).append(")\n\n")
                .append("scanned ").append(report.getScanned())
                .append(", stale ").append(report.count(Reason.STALE)).append(changeText(report, Reason.STALE))
                .append(", revoked ").append(report.count(Reason.REVOKED)).append(changeText(report, Reason.REVOKED))
                .append(", invalid ").append(report.count(Reason.INVALID)).append(changeText(report, Reason.INVALID))
                .append(", excluded ").append(report.getExcluded().size())
                .append("\n").append(report.changeLine()).append("\n\n");
        for (Verdict finding : report.getListedFindings()) {
            var r = finding.registration();
            text.append(String.format("%5s days  %-8s %-6s %s  %s  (%s)%n", finding.daysSinceSeen() == null ? "?" : finding.daysSinceSeen(),
                    finding.reason().label(), finding.change().label(), oneLine(r.deviceName()),
                    oneLine(r.userEmail() != null ? r.userEmail() : r.userName()), r.id()));
        }
        long more = report.getListedFrom() - report.getListedFindings().size();
        if (more > 0) {
            text.append('\n').append(more).append(" more in the attached CSV (").append(report.getCsvFileName()).append(")\n");
        }
        return text.toString();
    }

    private static String changeText(AccountReport report, Reason reason) {
        return report.change(reason) == null ? "" : " (" + report.change(reason) + ")";
    }

    private static void fact(StringBuilder html, String name, Object value) {
        html.append("<tr><th>").append(escapeText(name)).append("</th><td>").append(escapeText(String.valueOf(value))).append("</td></tr>");
    }

    private static String oneLine(String value) {
        return value == null ? "" : value.replaceAll("[\\r\\n\\t]+", " ");
    }

    /** HTML-escapes text for an element's content or a quoted attribute. */
    public static String escapeText(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
