package io.warpsentinel.report;

import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Verdict;
import java.util.List;
import java.util.Map;

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

    public static String render(ReportSummary report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>WARP registrations, account ").append(escapeText(report.accountId())).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>Stale and revoked WARP registrations</h1>\n");
        html.append("<div class=\"verdict ").append(report.findings() == 0 ? "clear" : "attention").append("\">")
                .append(escapeText(Wording.headline(report))).append("</div>\n");

        html.append("<table class=\"facts\">");
        fact(html, "Account", report.accountId());
        fact(html, "Scan started", report.startedAt());
        fact(html, "Stale when last seen before", report.staleBefore() + " (stale-after " + report.staleAfter() + ")");
        fact(html, "Pages read", String.valueOf(report.pages()));
        html.append("</table>\n");

        html.append("<table class=\"counts\"><tr><th>scanned</th><th>stale</th><th>revoked</th><th>invalid</th></tr><tr>")
                .append("<td>").append(String.format("%,d", report.scanned())).append("</td>");
        for (Reason reason : new Reason[] {Reason.STALE, Reason.REVOKED, Reason.INVALID}) {
            html.append("<td>").append(String.format("%,d", report.count(reason)));
            if (Wording.change(report, reason) != null) {
                html.append(" <span class=\"change\">(").append(Wording.change(report, reason)).append(")</span>");
            }
            html.append("</td>");
        }
        html.append("</tr></table>\n");
        if (report.previousStartedAt() != null) {
            html.append("<p class=\"muted\">Changes against the previous complete scan of ")
                    .append(escapeText(report.previousStartedAt())).append(".</p>\n");
        }

        html.append("<h2>What changed</h2>\n<p>").append(escapeText(Wording.changeLine(report))).append("</p>\n");
        html.append("<table class=\"counts\"><tr><th>new</th><th>still open</th><th>recovered</th><th>gone</th><th>excluded</th></tr><tr>");
        for (long count : new long[] {report.newFindings(), report.still(), report.recovered(), report.gone(), report.excluded()}) {
            html.append("<td>").append(String.format("%,d", count)).append("</td>");
        }
        html.append("</tr></table>\n");

        if (report.onlyNew() && report.alertsDue() > 0) {
            html.append("<h2>New and due a reminder: what this run alerts on</h2>\n");
            verdictTable(html, report.listed());
            if (report.alertsDue() > report.listed().size()) {
                html.append("<p>").append(report.alertsDue() - report.listed().size())
                        .append(" more in the CSV (column change).</p>\n");
            }
        }
        List<Verdict> top = report.top();
        if (!top.isEmpty()) {
            html.append("<h2>Findings</h2>\n");
            verdictTable(html, top);
        }
        long more = report.findings() - top.size();
        if (more > 0) {
            html.append("<p><strong>").append(more).append(" more in the attached CSV</strong> (")
                    .append(escapeText(report.csvName())).append("), sorted here by days since seen.</p>\n");
        }
        section(html, "Recovered: findings of the last scan seen again", report, "recovered", report.recovered(),
                "was", "finding_since", "device_name", "user_email", "last_seen_at", "registration_id");
        section(html, "Gone: findings of the last scan no longer listed by Cloudflare", report, "gone", report.gone(),
                "was", "finding_since", "device_name", "user_email", "last_seen_at", "registration_id");
        section(html, "Excluded (sentinel.exclude.*): never findings, never alerted", report, "excluded", report.excluded(),
                "days_since_seen", "reason", "excluded_by", "device_name", "user_email", "last_seen_at", "registration_id");
        html.append("<p class=\"muted\">warp-sentinel &middot; reports ").append(escapeText(report.csvName()))
                .append(" and ").append(escapeText(report.jsonName())).append("</p>\n</body></html>\n");
        return html.toString();
    }

    /** Findings as a table, with their change and since when. */
    private static void verdictTable(StringBuilder html, List<Verdict> verdicts) {
        html.append("<table class=\"findings\"><tr><th>days since seen</th><th>reason</th><th>change</th><th>open since</th>")
                .append("<th>device</th><th>user</th><th>last seen</th><th>registration</th><th>note</th></tr>\n");
        for (Verdict finding : verdicts) {
            var r = finding.registration();
            html.append("<tr><td class=\"num\">").append(finding.daysSinceSeen() == null ? "" : finding.daysSinceSeen())
                    .append("</td><td>").append(finding.reason().label())
                    .append("</td><td>").append(finding.change().label())
                    .append("</td><td>").append(finding.findingSince())
                    .append("</td><td>").append(escapeText(r.deviceName()))
                    .append("</td><td>").append(escapeText(r.userEmail() != null ? r.userEmail() : r.userName()))
                    .append("</td><td>").append(escapeText(r.lastSeenAt()))
                    .append("</td><td>").append(escapeText(r.id()))
                    .append("</td><td>").append(escapeText(finding.note())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** A section listed after the findings: its first entries, with these JSON keys as columns, then how many more the JSON has. */
    private static void section(StringBuilder html, String title, ReportSummary report, String name, long count, String... columns) {
        if (count == 0) {
            return;
        }
        html.append("<h2>").append(escapeText(title)).append("</h2>\n<table class=\"findings\"><tr>");
        for (String column : columns) {
            html.append("<th>").append(column.replace('_', ' ')).append("</th>");
        }
        html.append("</tr>\n");
        List<Map<String, String>> first = report.sections().get(name);
        for (Map<String, String> entry : first) {
            html.append("<tr>");
            for (String column : columns) {
                html.append("<td>").append(escapeText(entry.get(column))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        long more = count - first.size();
        if (more > 0) {
            html.append("<p>").append(more).append(" more in ").append(escapeText(report.jsonName())).append(".</p>\n");
        }
    }

    /** The same facts as plain text: the e-mail's alternative for clients that do not show HTML. */
    public static String renderText(ReportSummary report) {
        StringBuilder text = new StringBuilder(4096);
        text.append(Wording.headline(report)).append("\n\n")
                .append("Account:      ").append(report.accountId()).append('\n')
                .append("Scan started: ").append(report.startedAt()).append('\n')
                .append("Stale when last seen before ").append(report.staleBefore())
                .append(" (stale-after ").append(report.staleAfter()).append(")\n\n")
                .append("scanned ").append(report.scanned())
                .append(", stale ").append(report.stale()).append(changeText(report, Reason.STALE))
                .append(", revoked ").append(report.revoked()).append(changeText(report, Reason.REVOKED))
                .append(", invalid ").append(report.invalid()).append(changeText(report, Reason.INVALID))
                .append(", excluded ").append(report.excluded())
                .append("\n").append(Wording.changeLine(report)).append("\n\n");
        for (Verdict finding : report.listed()) {
            var r = finding.registration();
            text.append(String.format("%5s days  %-8s %-6s %s  %s  (%s)%n", finding.daysSinceSeen() == null ? "?" : finding.daysSinceSeen(),
                    finding.reason().label(), finding.change().label(), oneLine(r.deviceName()),
                    oneLine(r.userEmail() != null ? r.userEmail() : r.userName()), r.id()));
        }
        long more = report.listedFrom() - report.listed().size();
        if (more > 0) {
            text.append('\n').append(more).append(" more in the attached CSV (").append(report.csvName()).append(")\n");
        }
        return text.toString();
    }

    private static String changeText(ReportSummary report, Reason reason) {
        String change = Wording.change(report, reason);
        return change == null ? "" : " (" + change + ")";
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
