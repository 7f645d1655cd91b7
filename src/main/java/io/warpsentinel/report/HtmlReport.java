package io.warpsentinel.report;

import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.Verdict;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The report for people: one self-contained HTML page (inline style, no external resource) that
 * reads at a glance. New findings come first; dates read in {@code sentinel.time-zone}, with how
 * long ago. The report file's tables sort by a click on a heading and filter as one types (a
 * small inline script); the e-mailed page is the same without it, as mail clients drop scripts.
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
    private static final String STYLE = """
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
            table.findings th:nth-child(8){width:42ch}
            table.findings td:nth-child(8){white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
            .counts td{font-size:18px;font-weight:600;text-align:center;min-width:90px}
            .muted,.ago{color:#656d76;font-size:12px}
            .change{font-size:13px;font-weight:400;color:#656d76}
            th[data-sortable]{cursor:pointer}
            th[aria-sort=ascending]::after{content:" \\25B2"}
            th[aria-sort=descending]::after{content:" \\25BC"}
            input[type=search]{font-size:13px;padding:4px 8px;width:28em}
            """;

    /** Rows the report file's page shows at first, and adds at a time: a page of 20,000 rows laid out at once is not readable in seconds. */
    static final int PAGE_ROWS = 200;

    // The report file's findings tables: every row's data in a JSON block beside the table, which
    // shows PAGE_ROWS of them at a time; a click (or Enter) on a heading sorts, typing filters.
    // Rows are built with textContent: a device name never becomes markup.
    private static final String SCRIPT = """
            (function(){
            var PAGE=%d;
            document.querySelectorAll('table[data-rows]').forEach(function(table){
            var rows=JSON.parse(document.getElementById(table.getAttribute('data-rows')).textContent);
            var heads=table.tHead.rows[0].cells,body=table.tBodies[0],shown=Math.min(PAGE,rows.length),view=rows,col=-1,asc=true;
            var filter=document.querySelector('input[data-filter="'+table.id+'"]'),count=document.getElementById(table.id+'-count');
            var more=document.getElementById(table.id+'-more');
            var text=rows.map(function(r){return [1,2,3,4,6,7,8,9,10,11].map(function(i){return r[i];}).join(' ').toLowerCase();});
            filter.parentNode.hidden=false;
            function cell(tr,value,sub){var td=document.createElement('td');td.textContent=value;
            if(sub){td.appendChild(document.createElement('br'));var s=document.createElement('span');s.className='ago';s.textContent=sub;td.appendChild(s);}
            tr.appendChild(td);}
            function row(r){var tr=document.createElement('tr');cell(tr,r[1],r[2]);cell(tr,r[3]);cell(tr,r[4]);cell(tr,r[6]);
            for(var i=7;i<12;i++)cell(tr,r[i]);return tr;}
            function render(){var part=document.createDocumentFragment();view.slice(0,shown).forEach(function(r){part.appendChild(row(r));});
            body.replaceChildren(part);
            count.textContent='Showing '+Math.min(shown,view.length).toLocaleString()+' of '+view.length.toLocaleString()
            +(view.length===rows.length?'':' matching ('+rows.length.toLocaleString()+' in all)');
            more.hidden=shown>=view.length;}
            var keys=[0,3,4,5,7,8,9,10,11];
            function sortKey(r,k){var v=r[keys[k]];return typeof v==='number'?v:String(v).toLowerCase();}
            function order(){if(col<0)return;var k=col;view.sort(function(a,b){var x=sortKey(a,k),y=sortKey(b,k);
            var c=typeof x==='number'&&typeof y==='number'?x-y:typeof x==='number'?-1:typeof y==='number'?1:x.localeCompare(y);
            return asc?c:-c;});}
            function select(){var q=filter.value.trim().toLowerCase();
            view=q?rows.filter(function(r,i){return text[i].indexOf(q)>=0;}):rows.slice();order();shown=Math.min(PAGE,view.length);render();}
            Array.prototype.forEach.call(heads,function(th,k){th.setAttribute('data-sortable','');th.tabIndex=0;th.title='Sort by '+th.textContent;
            function sort(){asc=col===k?!asc:true;col=k;
            Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
            th.setAttribute('aria-sort',asc?'ascending':'descending');if(view===rows)view=rows.slice();order();render();}
            th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter')sort();});});
            var timer;filter.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(select,100);});
            more.querySelector('button').addEventListener('click',function(){shown+=PAGE;render();});
            render();});})();
            """.formatted(PAGE_ROWS);

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Writer out;
    private final ZoneId zone;
    private final boolean interactive;

    private HtmlReport(Writer out, ZoneId zone, boolean interactive) {
        this.out = out;
        this.zone = zone;
        this.interactive = interactive;
    }

    /**
     * @param interactive the report file's page, with the sorting and filtering script; false for
     *                    the e-mail, whose clients drop scripts
     */
    public static void render(ReportSummary report, ZoneId zone, boolean interactive, Writer out) throws IOException {
        new HtmlReport(out, zone, interactive).page(report);
    }

    public static String render(ReportSummary report, ZoneId zone, boolean interactive) {
        StringWriter html = new StringWriter(16_384);
        try {
            render(report, zone, interactive, html);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return html.toString();
    }

    private void page(ReportSummary report) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.write("<title>WARP registrations, account " + escapeText(report.accountId()) + "</title><style>" + STYLE + "</style></head><body>\n");
        out.write("<h1>Stale and revoked WARP registrations</h1>\n");
        out.write("<div class=\"verdict " + (report.findings() == 0 ? "clear" : "attention") + "\">" + escapeText(Wording.headline(report))
                + "</div>\n<table class=\"facts\">");
        fact("Account", report.accountId());
        fact("Scan started", when(report.startedAt()) + " (" + zone + ")");
        fact("Stale when last seen before", when(report.staleBefore()) + " (stale-after " + report.staleAfter() + ")");
        fact("Pages read", String.valueOf(report.pages()));
        out.write("</table>\n");
        counts(report);
        changes(report);
        actions(report.accountId(), report.remediation());
        topUsers(report);
        if (report.onlyNew() && report.alertsDue() > 0) {
            out.write("<h2>New and due a reminder: what this run alerts on</h2>\n");
            findings(report.listed(), "alerted");
            if (report.alertsDue() > report.listed().size()) {
                out.write("<p>" + (report.alertsDue() - report.listed().size()) + " more in the CSV (column change).</p>\n");
            }
        }
        if (!report.top().isEmpty()) {
            out.write("<h2>Findings: new first, then the longest unseen</h2>\n");
            findings(report.top(), "findings");
        }
        long more = report.findings() - report.top().size();
        if (more > 0) {
            out.write("<p><strong>" + more + " more in the attached CSV</strong> (" + escapeText(report.csvName())
                    + "); this page lists the first " + report.top().size() + ".</p>\n");
        }
        section("Recovered: findings of the last scan seen again", report, "recovered", report.recovered(),
                "was", "finding_since", "device_name", "user_email", "last_seen_at", "registration_id");
        section("Gone: findings of the last scan no longer listed by Cloudflare", report, "gone", report.gone(),
                "was", "finding_since", "device_name", "user_email", "last_seen_at", "registration_id");
        section("Excluded (sentinel.exclude.*): never findings, never alerted", report, "excluded", report.excluded(),
                "days_since_seen", "reason", "excluded_by", "device_name", "user_email", "last_seen_at", "registration_id");
        out.write("<p class=\"muted\">warp-sentinel &middot; reports " + escapeText(report.csvName()) + " and "
                + escapeText(report.jsonName()) + "</p>\n");
        if (interactive) {
            out.write("<script>" + SCRIPT + "</script>\n");
        }
        out.write("</body></html>\n");
    }

    private void counts(ReportSummary report) throws IOException {
        out.write("<table class=\"counts\"><tr><th>scanned</th><th>stale</th><th>revoked</th><th>invalid</th></tr><tr><td>"
                + String.format("%,d", report.scanned()) + "</td>");
        for (Reason reason : new Reason[] {Reason.STALE, Reason.REVOKED, Reason.INVALID}) {
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
        out.write("<h2>What changed</h2>\n<p>" + escapeText(Wording.changeLine(report)) + "</p>\n"
                + "<table class=\"counts\"><tr><th>new</th><th>still open</th><th>recovered</th><th>gone</th><th>excluded</th></tr><tr>");
        for (long count : new long[] {report.newFindings(), report.still(), report.recovered(), report.gone(), report.excluded()}) {
            out.write("<td>" + String.format("%,d", count) + "</td>");
        }
        out.write("</tr></table>\n");
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
                out.write("<tr><td>" + escapeText(entry.isDone() && remediation.dryRun() ? "would be " + verb : entry.outcome()) + "</td><td>"
                        + escapeText(r.deviceName()) + "</td><td>" + escapeText(r.userEmail() != null ? r.userEmail() : r.userName())
                        + "</td><td>" + (lastSeen == null ? escapeText(r.lastSeenAt()) : when(lastSeen)) + "</td><td>" + entry.reason().label()
                        + "</td><td>" + escapeText(r.id()) + "</td><td>" + when(entry.at()) + "</td></tr>\n");
            }
            out.write("</tbody></table>\n");
        }
        if (remediation.action() == Remediation.Action.REVOKE) {
            // Cloudflare's unrevoke takes the same ids, at most 100 per call
            out.write("<p>A revoke is undone with Cloudflare's unrevoke call (a token with Zero Trust Write, at most 100 ids per call)"
                    + (remediation.undo() == null ? ": <code>POST /accounts/" + escapeText(accountId)
                            + "/devices/registrations/unrevoke?id=&lt;registration id&gt;</code>.</p>\n"
                            : ", e.g. for the first revoked here:</p>\n<pre>curl -X POST -H "
                            + "\"Authorization: Bearer $CLOUDFLARE_API_WRITE_TOKEN\" \\\n  '" + escapeText(remediation.undo()) + "'</pre>\n"));
        }
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
     * Findings as a table: when last seen (and how long ago), reason, change and since when, the
     * device and its owner. In the report file, the first {@value #PAGE_ROWS} rows are in the
     * page and every row in a JSON block its script shows, sorts and filters; in the e-mail, every
     * row is in the page.
     */
    private void findings(List<Verdict> verdicts, String id) throws IOException {
        if (interactive) {
            // hidden until the script runs: without it they would do nothing
            out.write("<p hidden><input type=\"search\" data-filter=\"" + id + "\" placeholder=\"Filter: device, user, registration, reason, version\""
                    + " aria-label=\"Filter the findings\"> <span id=\"" + id + "-count\" class=\"muted\"></span>"
                    + " <span class=\"muted\">A click on a heading sorts.</span></p>\n"
                    + "<noscript><p class=\"muted\">Without scripts this page shows the first " + PAGE_ROWS + " rows; the CSV has them all.</p></noscript>\n");
        }
        out.write("<table id=\"" + id + "\" class=\"findings\"" + (interactive ? " data-rows=\"" + id + "-data\"" : "") + "><thead><tr>"
                + "<th>last seen</th><th>reason</th><th>change</th><th>open since</th><th>device</th><th>client version</th>"
                + "<th>user</th><th>registration</th><th>note</th></tr></thead><tbody>\n");
        List<String[]> rows = verdicts.stream().map(this::row).toList();
        for (String[] row : interactive ? rows.subList(0, Math.min(PAGE_ROWS, rows.size())) : rows) {
            out.write("<tr><td>" + escapeText(row[1]) + (row[2].isEmpty() ? "" : "<br><span class=\"ago\">" + row[2] + "</span>") + "</td>");
            for (int cell : new int[] {3, 4, 6, 7, 8, 9, 10, 11}) {
                out.write("<td>" + escapeText(row[cell]) + "</td>");
            }
            out.write("</tr>\n");
        }
        out.write("</tbody></table>\n");
        if (interactive) {
            out.write("<p id=\"" + id + "-more\" hidden><button type=\"button\">Show " + PAGE_ROWS + " more</button></p>\n"
                    + "<script type=\"application/json\" id=\"" + id + "-data\">[");
            for (int i = 0; i < rows.size(); i++) {
                out.write(i == 0 ? "\n" : ",\n");
                writeJsonRow(rows.get(i));
            }
            out.write("]</script>\n");
        }
    }

    /**
     * A finding's cells: 0 last seen (epoch seconds, for sorting), 1 last seen as read, 2 how long
     * ago, 3 reason, 4 change, 5 open since (epoch seconds), 6 open since as read, 7 device,
     * 8 client version, 9 user, 10 registration, 11 note.
     */
    private String[] row(Verdict finding) {
        Registration r = finding.registration();
        Instant lastSeen = RegistrationClassifier.parseTimestamp(r.lastSeenAt());
        Instant since = finding.findingSince();
        return new String[] {lastSeen == null ? "" : String.valueOf(lastSeen.getEpochSecond()),
            lastSeen == null ? nullToEmpty(r.lastSeenAt()) : when(lastSeen), ago(finding.daysSinceSeen()), finding.reason().label(),
            finding.change() == null ? "" : finding.change().label(), since == null ? "" : String.valueOf(since.getEpochSecond()),
            since == null ? "" : when(since), nullToEmpty(r.deviceName()), nullToEmpty(r.clientVersion()),
            nullToEmpty(r.userEmail() != null ? r.userEmail() : r.userName()), nullToEmpty(r.id()), nullToEmpty(finding.note())};
    }

    /** A row as a JSON array, the two sort keys as numbers; safe inside a script element ({@code </script>} cannot close it). */
    private void writeJsonRow(String[] row) throws IOException {
        out.write('[');
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            if ((i == 0 || i == 5) && !row[i].isEmpty()) {
                out.write(row[i]);
            } else {
                out.write('"');
                for (int c = 0; c < row[i].length(); c++) {
                    char ch = row[i].charAt(c);
                    switch (ch) {
                        case '"' -> out.write("\\\"");
                        case '\\' -> out.write("\\\\");
                        case '<', '>', '&', '\u2028', '\u2029' -> out.write(String.format("\\u%04x", (int) ch));
                        default -> {
                            if (ch < 0x20) {
                                out.write(String.format("\\u%04x", (int) ch));
                            } else {
                                out.write(ch);
                            }
                        }
                    }
                }
                out.write('"');
            }
        }
        out.write(']');
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
                Instant instant = column.equals("last_seen_at") || column.equals("finding_since")
                        ? RegistrationClassifier.parseTimestamp(value) : null;
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

    private static String ago(Long days) {
        return days == null ? "" : days == 0 ? "today" : days == 1 ? "yesterday" : days + " days ago";
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
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
        if (report.remediation() != null) {
            text.append("\nRemediation (").append(report.remediation().action().label()).append("): ")
                    .append(report.remediation().headline()).append('\n');
        }
        return text.toString();
    }

    private static String changeText(ReportSummary report, Reason reason) {
        String change = Wording.change(report, reason);
        return change == null ? "" : " (" + change + ")";
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
