package io.warpsentinel.report;

import static io.warpsentinel.report.Wording.oneLine;

import io.warpsentinel.classify.JudgedWindows;
import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.DeviceDetails;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.operate.ScanRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report for people: one self-contained HTML page (inline style, no external resource) that
 * reads at a glance. New findings come first; dates read in {@code sentinel.time-zone}, with how
 * long ago. The report file's findings tables ({@link FindingsTable}) sort by a click on a heading
 * and filter as one types (a small inline script); the e-mailed page is the same without it, as
 * mail clients drop scripts.
 * Every value is escaped: device and user names are chosen by whoever enrols a device, so
 * {@code <script>} in a name must show as text. The page is written as it is built, never held
 * whole: twenty thousand rows cost a writer's buffer.
 */
public final class HtmlReport {

    // The findings tables have fixed columns, so paging, sorting and filtering never make them
    // jump, and a long device name wraps anywhere inside its own. A registration id (the 8th
    // column, as findings() writes them) keeps one line in a column as wide as Cloudflare's UUIDs
    // and the demo's 40 characters (an id longer still ends in an ellipsis rather than run over
    // the next column); below 60em the table stops shrinking and the page scrolls sideways.
    static final String STYLE = """
            body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;margin:24px;max-width:1400px}
            h1{font-size:20px;margin:0 0 8px}
            h2{font-size:16px;margin:16px 0 4px}
            .verdict{font-size:16px;font-weight:600;padding:10px 14px;border-radius:6px;margin:12px 0}
            .clear{background:#dafbe1;color:#116329}.attention{background:#fff1e5;color:#953800}
            table{border-collapse:collapse;margin:8px 0 16px}
            th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;font-size:13px;vertical-align:top}
            th{background:#f6f8fa}
            table.findings{table-layout:fixed;width:100%;min-width:60em}
            table.findings td{overflow-wrap:anywhere}
            .counts td{font-size:18px;font-weight:600;text-align:center;min-width:90px}
            .muted,.ago{color:#656d76;font-size:12px}
            .change{font-size:13px;font-weight:400;color:#656d76}
            th[data-sortable]{cursor:pointer}
            th[aria-sort=ascending]::after{content:" \\25B2"}
            th[aria-sort=descending]::after{content:" \\25BC"}
            input[type=search]{font-size:13px;padding:4px 8px;width:28em}
            """;

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** The sections' columns that hold a time, shown in the report's time zone. */
    private static final Set<String> TIMES = Set.of("last_seen_at", "finding_since", "created_at", "removed_at");

    private final Writer out;
    private final ZoneId zone;
    /** The JSON report the file's findings table reads its rows from; null for the e-mail. */
    private final Path rowsFrom;
    private final boolean interactive;
    private final FindingsTable findings;

    private HtmlReport(Writer out, ZoneId zone, Path rowsFrom) {
        this.out = out;
        this.zone = zone;
        this.rowsFrom = rowsFrom;
        this.interactive = rowsFrom != null;
        this.findings = FindingsTable.ofReport(this::when);
    }

    /**
     * The report file's page, with the sorting and filtering script, its findings table holding
     * the findings {@link ReportSummary#pageRows()} names, read from the JSON report {@code json}.
     */
    public static void renderFile(ReportSummary report, ZoneId zone, Path json, Writer out) throws IOException {
        new HtmlReport(out, zone, json).page(report);
    }

    /** The page for the e-mail, whose clients drop scripts: its findings table is the findings kept in memory, all in the page. */
    public static String renderForEmail(ReportSummary report, ZoneId zone) {
        StringWriter html = new StringWriter(16_384);
        try {
            new HtmlReport(html, zone, null).page(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return html.toString();
    }

    private void page(ReportSummary report) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.write("<title>WARP registrations, account " + escapeText(report.accountId()) + "</title><style>" + STYLE + Charts.STYLE
                + "</style></head><body>\n");
        out.write("<h1>Stale and revoked WARP registrations</h1>\n");
        out.write("<div class=\"verdict " + (report.findings() == 0 ? "clear" : "attention") + "\">" + escapeText(Wording.headline(report))
                + "</div>\n<table class=\"facts\">");
        fact("Account", report.accountId());
        fact("Scan started", when(report.startedAt()) + " (" + zone + ")");
        fact("Stale when last seen before", when(report.staleBefore()) + " (stale-after " + report.staleAfter() + ")");
        fact("Pages read", String.valueOf(report.pages()));
        fact("Device details", Wording.deviceDetails(report.deviceDetails()));
        if (interactive) {
            files(report);
        }
        out.write("</table>\n");
        windows(report);
        counts(report);
        changes(report);
        actions(report.accountId(), report.remediation());
        topUsers(report);
        runs(report);
        spread(report);
        if (report.onlyNew() && report.alertsDue() > 0) {
            out.write("<h2>New and due a reminder: what this run alerts on</h2>\n");
            findings.write(out, report.listed(), "alerted", interactive);
            if (report.alertsDue() > report.listed().size()) {
                out.write("<p>" + (report.alertsDue() - report.listed().size()) + " more in the CSV (column change).</p>\n");
            }
        }
        if (report.findings() > 0) {
            out.write("<h2>Findings: new first, then the longest unseen</h2>\n");
            if (interactive) {
                pastTheLimit(report);
                findings.write(out, report.top(), "findings", report.pageRows(), rowsFrom);
            } else {
                findings.write(out, report.top(), "findings", false);
                long more = report.findings() - report.top().size();
                if (more > 0) {
                    out.write("<p><strong>" + more + " more in the attached CSV</strong> (" + escapeText(report.csvName())
                            + "); this page lists the first " + report.top().size() + ".</p>\n");
                }
            }
        }
        section("Recovered: findings of the last scan seen again", report, "recovered", report.count(Change.RECOVERED),
                "was", "finding_since", "device_name", "user_email", "last_seen_at", "registration_id");
        section("Gone: findings of the last scan no longer listed by Cloudflare", report, "gone", report.count(Change.GONE),
                "was", "finding_since", "device_name", "user_email", "last_seen_at", "registration_id");
        section(Wording.RE_ENROLLED_TITLE, report, ReportSummary.RE_ENROLLED, report.reEnrolled(), "device_name", "user_email",
                "created_at", "action", "removed_at", "registration_id", "removed_registration_id");
        if (report.reEnrolled() > 0) {
            out.write("<p>" + escapeText(Wording.reEnrolled(report)) + ".</p>\n");
        }
        section("Excluded (sentinel.exclude.*): never findings, never alerted", report, "excluded", report.excluded(),
                "days_since_seen", "reason", "excluded_by", "device_name", "user_email", "last_seen_at", "registration_id");
        out.write("<p class=\"muted\">warp-sentinel &middot; reports " + escapeText(report.csvName()) + " and "
                + escapeText(report.jsonName()) + "</p>\n");
        if (interactive) {
            findings.writeScript(out);
        }
        out.write("</body></html>\n");
    }

    /** The report file's own CSV and JSON, beside it in its folder. */
    private void files(ReportSummary report) throws IOException {
        out.write("<tr><th>Files</th><td><a href=\"" + escapeText(report.csvName()) + "\">" + escapeText(report.csvName()) + "</a> &middot; <a href=\""
                + escapeText(report.jsonName()) + "\">" + escapeText(report.jsonName()) + "</a></td></tr>");
    }

    /** Past sentinel.report.html-max-rows, the page holds the first findings only: it says so before its table, and where all are. */
    private void pastTheLimit(ReportSummary report) throws IOException {
        PageRows held = report.pageRows();
        if (held.size() < held.findings()) {
            out.write(String.format("<p class=\"verdict attention\">This page holds %,d of the %,d findings, the first in the order below "
                    + "(sentinel.report.html-max-rows): its filter and sort work on those. Every finding is in the CSV, <a href=\"%s\">%s</a>.</p>\n",
                    held.size(), held.findings(), escapeText(report.csvName()), escapeText(report.csvName())));
        }
    }

    /**
     * With windows per device profile or platform: each window in the order they apply, what it
     * judged, and what kept one from judging.
     */
    private void windows(ReportSummary report) throws IOException {
        if (report.windows().uses().size() < 2) {
            return;
        }
        out.write("<h2>Stale-after windows: the first that applies judges</h2>\n<table><thead><tr><th>window</th><th>stale-after</th>"
                + "<th>stale when last seen before</th><th>registrations judged</th><th>stale</th></tr></thead><tbody>\n");
        for (JudgedWindows.Use use : Wording.inPrecedence(report)) {
            out.write("<tr><td>" + escapeText(Wording.windowName(use.window())) + "</td><td>" + escapeText(use.window().text()) + "</td><td>"
                    + when(use.staleBefore()) + "</td><td>" + String.format("%,d", use.judged()) + "</td><td>"
                    + String.format("%,d", use.stale()) + "</td></tr>\n");
        }
        out.write("</tbody></table>\n");
        for (String note : Wording.windowNotes(report)) {
            out.write("<p>" + escapeText(note) + "</p>\n");
        }
    }

    private void counts(ReportSummary report) throws IOException {
        out.write("<table class=\"counts\"><tr><th>scanned</th>");
        for (Reason reason : Reason.findings()) {
            out.write("<th>" + reason.label() + "</th>");
        }
        out.write("</tr><tr><td>" + String.format("%,d", report.scanned()) + "</td>");
        for (Reason reason : Reason.findings()) {
            String change = Wording.change(report, reason);
            out.write("<td>" + String.format("%,d", report.count(reason))
                    + (change == null ? "" : " <span class=\"change\">(" + change + ")</span>") + "</td>");
        }
        out.write("</tr></table>\n");
        if (report.previousStartedAt() != null) {
            out.write("<p class=\"muted\">Changes against the previous complete scan of " + escapeText(report.previousStartedAt()) + ".</p>\n");
        }
    }

    private void changes(ReportSummary report) throws IOException {
        out.write("<h2>What changed</h2>\n<p>" + escapeText(Wording.changeLine(report)) + "</p>\n<table class=\"counts\"><tr>");
        for (Change change : Change.values()) {
            out.write("<th>" + change.phrase() + "</th>");
        }
        out.write("<th>excluded</th></tr><tr>");
        for (Change change : Change.values()) {
            out.write("<td>" + String.format("%,d", report.count(change)) + "</td>");
        }
        out.write("<td>" + String.format("%,d", report.excluded()) + "</td></tr></table>\n");
    }

    /** What sentinel.remediate did (or, in a dry run, would have done), and for revokes how to undo them. */
    private void actions(String accountId, Remediation remediation) throws IOException {
        if (remediation == null) {
            return;
        }
        String verb = remediation.action().done();
        out.write("<h2>Actions: " + (remediation.dryRun() ? "dry run, nothing was changed" : verb + " by warp-sentinel") + "</h2>\n");
        out.write(remediation.isHalted() ? "<div class=\"verdict attention\">Remediation halted: " + escapeText(remediation.halted()) + "</div>\n"
                : "<p>" + escapeText(remediation.headline()) + ".</p>\n");
        if (!remediation.actions().isEmpty()) {
            out.write("<table><thead><tr><th>outcome</th><th>device</th><th>user</th><th>last seen</th><th>reason</th><th>registration</th>"
                    + "<th>when</th></tr></thead><tbody>\n");
            for (Remediation.Entry entry : remediation.actions()) {
                Registration r = entry.registration();
                Instant lastSeen = RegistrationClassifier.parseTimestamp(r.lastSeenAt());
                out.write("<tr><td>" + escapeText(outcome(remediation, entry)) + "</td><td>"
                        + escapeText(r.deviceName()) + "</td><td>" + escapeText(r.userEmail() != null ? r.userEmail() : r.userName())
                        + "</td><td>" + (lastSeen == null ? escapeText(r.lastSeenAt()) : when(lastSeen)) + "</td><td>" + entry.reason().label()
                        + "</td><td>" + escapeText(r.id()) + "</td><td>" + when(entry.at()) + "</td></tr>\n");
            }
            out.write("</tbody></table>\n");
        }
        keptLastDevices(remediation);
        if (remediation.deleteAfter() != null) {
            out.write("<p>What warp-sentinel revokes it deletes " + escapeText(remediation.deleteAfter()) + " later "
                    + "(sentinel.remediate.delete-after) unless it was seen since; until then a revoke can be undone.</p>\n");
        }
        // revoke-then-delete: only for what it revoked this run, revoked and not deleted yet
        if (remediation.action() == Remediation.Action.REVOKE || remediation.undo() != null) {
            // Cloudflare's unrevoke takes the same ids, at most 100 per call
            out.write("<p>A revoke is undone with Cloudflare's unrevoke call (a token with Zero Trust Write, at most 100 ids per call)"
                    + (remediation.undo() == null ? ": <code>POST /accounts/" + escapeText(accountId)
                            + "/devices/registrations/unrevoke?id=&lt;registration id&gt;</code>.</p>\n"
                            : ", e.g. for the first revoked here:</p>\n<pre>curl -X POST -H "
                            + "\"Authorization: Bearer $CLOUDFLARE_API_WRITE_TOKEN\" \\\n  '" + escapeText(remediation.undo()) + "'</pre>\n"));
        }
    }

    /** The candidates kept as their users' last devices (sentinel.remediate.last-device-after): the longest unseen of them. */
    private void keptLastDevices(Remediation remediation) throws IOException {
        if (remediation.keptLastDevice() == 0) {
            return;
        }
        String shown = remediation.kept().size() < remediation.keptLastDevice()
                ? String.format("; the %,d longest unseen of them below", remediation.kept().size()) : "";
        out.write("<p>" + escapeText(String.format("%,d %s: each its user's most recently seen registration, acted on once unseen for "
                + "longer than sentinel.remediate.last-device-after%s.", remediation.keptLastDevice(), Remediation.Kept.OUTCOME, shown))
                + "</p>\n");
        out.write("<table><thead><tr><th>outcome</th><th>device</th><th>user</th><th>last seen</th><th>reason</th><th>registration</th>"
                + "<th>kept until</th></tr></thead><tbody>\n");
        for (Remediation.Kept kept : remediation.kept()) {
            Registration r = kept.registration();
            Instant lastSeen = RegistrationClassifier.parseTimestamp(r.lastSeenAt());
            out.write("<tr><td>" + escapeText(Remediation.Kept.OUTCOME) + "</td><td>" + escapeText(r.deviceName()) + "</td><td>"
                    + escapeText(r.userEmail() != null ? r.userEmail() : r.userName()) + "</td><td>"
                    + (lastSeen == null ? escapeText(r.lastSeenAt()) : when(lastSeen)) + "</td><td>" + kept.reason().label() + "</td><td>"
                    + escapeText(r.id()) + "</td><td>" + when(kept.until()) + "</td></tr>\n");
        }
        out.write("</tbody></table>\n");
    }

    /** An action's outcome as the Actions table shows it: what would be done in a dry run, and with revoke-then-delete the stage done. */
    private static String outcome(Remediation remediation, Remediation.Entry entry) {
        if (entry.isDone() && remediation.dryRun()) {
            return "would be " + entry.action().done();
        }
        return entry.isDone() && remediation.action().stages().size() > 1 ? entry.action().done() : entry.outcome();
    }

    private void topUsers(ReportSummary report) throws IOException {
        if (report.topUsers().isEmpty()) {
            return;
        }
        out.write("<h2>Users with the most stale devices</h2>\n<table><thead><tr><th>user</th><th>stale devices</th></tr></thead><tbody>\n");
        for (UserTally.UserCount user : report.topUsers()) {
            out.write("<tr><td>" + escapeText(user.user()) + "</td><td>" + user.devices() + "</td></tr>\n");
        }
        out.write("</tbody></table>\n");
    }

    /**
     * The report file's chart of the account's findings by reason, run by run, over the last
     * {@value ReportFiles#CHART_DAYS} days of the run history; not in the e-mail (Gmail and Outlook
     * show no inline SVG).
     */
    private void runs(ReportSummary report) throws IOException {
        if (!interactive) {
            return;
        }
        List<Charts.Run> runs = new ArrayList<>();
        for (ScanRecord run : report.earlierRuns()) {
            runs.add(new Charts.Run(when(run.runStartedAt()), run.byReason(), null));
        }
        runs.add(new Charts.Run(when(report.startedAt()), report.byReason(), null));
        out.write("<h2>Findings by reason, run by run, over the last " + ReportFiles.CHART_DAYS + " days</h2>\n");
        Charts.legend(out);
        Charts.runs(out, "Findings by reason of the account's last " + runs.size() + " complete scans", runs, 30, 720, 160, true);
        out.write("\n");
    }

    /**
     * Every finding counted by days since last seen, platform and OS version, client version and
     * device profile: a table each, whose rows in the report file have a bar by reason (the e-mail
     * keeps the tables, without the bars' SVG).
     */
    private void spread(ReportSummary report) throws IOException {
        if (report.findings() == 0) {
            return;
        }
        out.write("<h2>How the findings spread</h2>\n");
        if (interactive) {
            Charts.legend(out);
        }
        out.write("<div class=\"spread\">\n");
        for (Map.Entry<Breakdown, List<Breakdowns.Row>> breakdown : report.breakdowns().entrySet()) {
            breakdown(report, breakdown.getKey(), breakdown.getValue());
        }
        out.write("</div>\n");
    }

    private void breakdown(ReportSummary report, Breakdown breakdown, List<Breakdowns.Row> rows) throws IOException {
        if (rows.stream().allMatch(row -> row.kind() == Breakdowns.Kind.NOT_KNOWN)) {
            // the look-up's own reason says why devices have no details (turned off, refused)
            DeviceDetails details = report.deviceDetails();
            String why = breakdown == Breakdown.PLATFORM && details != null && !details.complete() ? " (" + details.reason() + ")" : "";
            out.write("<p><strong>" + escapeText(breakdown.title) + "</strong>: " + escapeText(breakdown.noneKnown + why) + ".</p>\n");
            return;
        }
        long max = rows.stream().mapToLong(Breakdowns.Row::total).max().orElse(0);
        out.write("<table class=\"breakdown\"><caption>" + escapeText(breakdown.title) + "</caption><thead><tr><th>" + escapeText(breakdown.heading)
                + "</th><th>findings</th>" + (interactive ? "<th></th>" : "") + "</tr></thead><tbody>\n");
        for (Breakdowns.Row row : rows) {
            String label = switch (row.kind()) {
                case VALUE -> escapeText(row.label());
                case OTHER -> "<span class=\"muted\">other</span>";
                case NOT_KNOWN -> "<span class=\"muted\">" + escapeText(breakdown.notKnown) + "</span>";
            };
            out.write("<tr title=\"" + escapeText(Wording.reasonCounts(row.byReason())) + "\"><td>" + label + "</td><td class=\"number\">"
                    + String.format("%,d", row.total()) + "</td>");
            if (interactive) {
                out.write("<td>");
                Charts.bar(out, row.byReason(), max, 160);
                out.write("</td>");
            }
            out.write("</tr>\n");
        }
        out.write("</tbody></table>\n");
    }

    /** A section listed after the findings: its first entries, with these JSON keys as columns, then how many more the JSON has. */
    private void section(String title, ReportSummary report, String name, long count, String... columns) throws IOException {
        if (count == 0) {
            return;
        }
        out.write("<h2>" + escapeText(title) + "</h2>\n<table><thead><tr>");
        for (String column : columns) {
            out.write("<th>" + column.replace('_', ' ') + "</th>");
        }
        out.write("</tr></thead><tbody>\n");
        List<Map<String, String>> first = report.sections().get(name);
        for (Map<String, String> entry : first) {
            out.write("<tr>");
            for (String column : columns) {
                String value = entry.get(column);
                Instant instant = TIMES.contains(column) ? RegistrationClassifier.parseTimestamp(value) : null;
                out.write("<td>" + (instant == null ? escapeText(value) : when(instant)) + "</td>");
            }
            out.write("</tr>\n");
        }
        out.write("</tbody></table>\n");
        long more = count - first.size();
        if (more > 0) {
            out.write("<p>" + more + " more in " + escapeText(report.jsonName()) + ".</p>\n");
        }
    }

    private void fact(String name, String value) throws IOException {
        out.write("<tr><th>" + escapeText(name) + "</th><td>" + escapeText(value) + "</td></tr>");
    }

    /** An instant as people read it, in the report's time zone: 2026-10-18 14:03. */
    private String when(Instant instant) {
        return WHEN.format(instant.atZone(zone));
    }

    /** The same facts as plain text: the e-mail's alternative for clients that do not show HTML. */
    public static String renderText(ReportSummary report) {
        StringBuilder text = new StringBuilder(4096);
        text.append(Wording.headline(report)).append("\n\n")
                .append("Account:      ").append(report.accountId()).append('\n')
                .append("Scan started: ").append(report.startedAt()).append('\n')
                .append("Stale when last seen before ").append(report.staleBefore())
                .append(" (stale-after ").append(report.staleAfter()).append(")\n");
        if (report.windows().uses().size() > 1) {
            text.append("Stale-after windows, the first that applies judges:\n");
            for (JudgedWindows.Use use : Wording.inPrecedence(report)) {
                text.append(String.format("  %-30s %-6s judged %,d, stale %,d%n", oneLine(Wording.windowName(use.window())),
                        use.window().text(), use.judged(), use.stale()));
            }
            Wording.windowNotes(report).forEach(note -> text.append(oneLine(note)).append('\n'));
        }
        text.append('\n').append("scanned ").append(report.scanned());
        for (Reason reason : Reason.findings()) {
            text.append(", ").append(reason.label()).append(' ').append(report.count(reason)).append(changeText(report, reason));
        }
        text.append(", excluded ").append(report.excluded())
                .append("\n").append(Wording.changeLine(report)).append("\n")
                .append("Device details: ").append(Wording.deviceDetails(report.deviceDetails())).append("\n\n");
        for (Verdict finding : report.listed()) {
            var r = finding.registration();
            text.append(String.format("%5s days  %-8s %-6s %s  %s  (%s)%n", finding.daysSinceSeen() == null ? "?" : finding.daysSinceSeen(),
                    finding.reason().label(), finding.change().label(), oneLine(r.deviceName()),
                    oneLine(r.userEmail() != null ? r.userEmail() : r.userName()), oneLine(r.id())));
        }
        long more = report.listedFrom() - report.listed().size();
        if (more > 0) {
            text.append('\n').append(more).append(" more in the attached CSV (").append(report.csvName()).append(")\n");
        }
        if (report.remediation() != null) {
            text.append("\nRemediation (").append(report.remediation().action().label()).append("): ")
                    .append(report.remediation().headline()).append('\n');
        }
        if (report.reEnrolled() > 0) {
            text.append('\n').append(Wording.RE_ENROLLED_TITLE).append(": ").append(Wording.reEnrolled(report)).append(".\n");
            for (Map<String, String> again : report.sections().get(ReportSummary.RE_ENROLLED)) {
                text.append(String.format("  %s  %s  created %s, after the %s of %s%n", oneLine(again.get("device_name")),
                        oneLine(again.get("user_email")), oneLine(again.get("created_at")), again.get("action"),
                        oneLine(again.get("removed_registration_id"))));
            }
        }
        return text.toString();
    }

    private static String changeText(ReportSummary report, Reason reason) {
        String change = Wording.change(report, reason);
        return change == null ? "" : " (" + change + ")";
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
