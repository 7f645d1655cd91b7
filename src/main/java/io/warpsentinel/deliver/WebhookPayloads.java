package io.warpsentinel.deliver;

import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.report.ReportColumn;
import io.warpsentinel.report.ReportSummary;
import io.warpsentinel.report.Wording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message each webhook format expects, built from an account's published report as plain
 * data (maps and lists, in the order they are written): the route marshals it to JSON.
 */
final class WebhookPayloads {

    // Slack refuses a section text over 3,000 characters.
    private static final int SLACK_TEXT_LIMIT = 2900;

    private WebhookPayloads() {
    }

    static Map<String, Object> message(WebhookTarget target, ReportSummary report) {
        List<Verdict> listed = report.listed();
        int rows = target.findingsLimit();
        List<Verdict> findings = listed.subList(0, Math.min(rows, listed.size()));
        return switch (target.format()) {
            case JSON -> json(report, findings, rows);
            case SLACK -> slack(report, findings, rows);
            case TEAMS -> teams(report, findings, rows);
        };
    }

    /**
     * The JSON report's summary and the first findings, with the report files to fetch the rest
     * from; with remediation, its summary and its first actions ({@code rows} at most, like the findings).
     */
    private static Map<String, Object> json(ReportSummary report, List<Verdict> findings, int rows) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("account_id", report.accountId());
        message.put("scan_started_at", report.startedAt().toString());
        message.put("complete", true);
        message.put("all_clear", report.findings() == 0);
        message.put("headline", Wording.alertHeadline(report));
        message.put("policy", object("stale_after", report.staleAfter(), "stale_before", report.staleBefore().toString(),
                "request_filters", report.requestFilters()));
        message.put("summary", report.counts());
        message.put("findings", findings.stream().map(ReportColumn::finding).toList());
        message.put("findings_not_listed", report.listedFrom() - findings.size());
        message.put("report_files", object("csv", report.csvName(), "json", report.jsonName()));
        if (report.reEnrolled() > 0) {
            message.put(ReportSummary.RE_ENROLLED, reEnrolled(report, rows));
        }
        Remediation remediation = report.remediation();
        if (remediation != null) {
            message.put("remediation", remediation.summary());
            message.put("actions", remediation.actions().stream().limit(rows).map(Remediation.Entry::fields).toList());
        }
        return message;
    }

    /** A Slack incoming-webhook message: header, verdict, counts, top findings, context. */
    private static Map<String, Object> slack(ReportSummary report, List<Verdict> findings, int rows) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(object("type", "header", "text", object("type", "plain_text", "text", "WARP registrations: " + report.accountId())));
        blocks.add(mrkdwnSection((report.findings() == 0 ? ":white_check_mark: " : ":warning: ") + "*"
                + slackEscape(Wording.alertHeadline(report)) + "*\n" + slackEscape(Wording.changeLine(report))));
        List<Object> fields = new ArrayList<>();
        counts(report).forEach((title, count) -> fields.add(mrkdwn("*" + title + "*\n" + count)));
        blocks.add(object("type", "section", "fields", fields));
        if (!findings.isEmpty()) {
            StringBuilder text = new StringBuilder("*" + Wording.listedTitle(report) + "*");
            int listed = 0;
            for (Verdict finding : findings) {
                String line = "\n• " + days(finding) + " · " + finding.reason().label() + " (" + finding.change().label() + ") · "
                        + slackEscape(finding.registration().deviceName()) + " · " + slackEscape(owner(finding.registration()));
                if (text.length() + line.length() > SLACK_TEXT_LIMIT) {
                    break;
                }
                text.append(line);
                listed++;
            }
            long more = report.listedFrom() - listed;
            if (more > 0) {
                text.append("\n_").append(more).append(" more in ").append(slackEscape(report.csvName())).append("_");
            }
            blocks.add(mrkdwnSection(text.toString()));
        }
        if (report.reEnrolled() > 0) {
            StringBuilder text = new StringBuilder("*" + Wording.RE_ENROLLED_TITLE + "*: " + slackEscape(Wording.reEnrolled(report)));
            for (Map<String, String> again : reEnrolled(report, rows)) {
                String line = "\n• " + slackEscape(reEnrolledLine(again));
                if (text.length() + line.length() > SLACK_TEXT_LIMIT) {
                    break;
                }
                text.append(line);
            }
            blocks.add(mrkdwnSection(text.toString()));
        }
        Remediation remediation = report.remediation();
        if (remediation != null) {
            StringBuilder text = new StringBuilder("*Remediation (" + remediation.action().label() + ")*: " + slackEscape(remediation.headline()));
            for (Remediation.Entry entry : remediation.actions().stream().limit(rows).toList()) {
                String line = "\n• " + slackEscape(actionLine(entry));
                if (text.length() + line.length() > SLACK_TEXT_LIMIT) {
                    break;
                }
                text.append(line);
            }
            blocks.add(mrkdwnSection(text.toString()));
        }
        blocks.add(object("type", "context", "elements", List.of(mrkdwn("stale-after " + report.staleAfter() + " · scan started "
                + report.startedAt() + " · " + slackEscape(report.jsonName())))));
        return object("text", "WARP registrations of " + report.accountId() + ": " + Wording.alertHeadline(report), "blocks", blocks);
    }

    /** A Microsoft Teams incoming-webhook message carrying an Adaptive Card. */
    private static Map<String, Object> teams(ReportSummary report, List<Verdict> findings, int rows) {
        List<Object> body = new ArrayList<>();
        body.add(object("type", "TextBlock", "size", "Large", "weight", "Bolder", "wrap", true,
                "text", "WARP registrations: " + report.accountId()));
        body.add(object("type", "TextBlock", "wrap", true, "weight", "Bolder",
                "color", report.findings() == 0 ? "Good" : "Attention", "text", Wording.alertHeadline(report)));
        body.add(object("type", "TextBlock", "wrap", true, "text", Wording.changeLine(report)));
        List<Object> facts = new ArrayList<>();
        counts(report).forEach((title, count) -> facts.add(fact(title, count)));
        facts.add(fact("Excluded", String.valueOf(report.excluded())));
        facts.add(fact("Stale after", report.staleAfter() + " (last seen before " + report.staleBefore() + ")"));
        body.add(object("type", "FactSet", "facts", facts));
        if (!findings.isEmpty()) {
            body.add(object("type", "TextBlock", "weight", "Bolder", "text", Wording.listedTitle(report)));
            body.add(object("type", "FactSet", "facts", findings.stream().map(finding -> fact(
                    days(finding) + " · " + finding.reason().label() + " (" + finding.change().label() + ")",
                    teamsEscape(nullToEmpty(finding.registration().deviceName()) + " · " + owner(finding.registration())))).toList()));
        }
        long more = report.listedFrom() - findings.size();
        if (more > 0) {
            body.add(object("type", "TextBlock", "wrap", true, "isSubtle", true, "text", more + " more in " + report.csvName()));
        }
        if (report.reEnrolled() > 0) {
            body.add(object("type", "TextBlock", "wrap", true, "weight", "Bolder", "color", "Attention",
                    "text", Wording.RE_ENROLLED_TITLE + ": " + Wording.reEnrolled(report)));
            body.add(object("type", "FactSet", "facts", reEnrolled(report, rows).stream()
                    .map(again -> fact(teamsEscape(again.get("registration_id")), teamsEscape(reEnrolledLine(again)))).toList()));
        }
        Remediation remediation = report.remediation();
        if (remediation != null) {
            body.add(object("type", "TextBlock", "wrap", true, "weight", "Bolder", "color", remediation.isHalted() ? "Attention" : "Default",
                    "text", "Remediation (" + remediation.action().label() + "): " + teamsEscape(remediation.headline())));
            if (!remediation.actions().isEmpty()) {
                // the outcome of a failed call carries Cloudflare's error text
                body.add(object("type", "FactSet", "facts", remediation.actions().stream().limit(rows)
                        .map(entry -> fact(teamsEscape(entry.outcome()), teamsEscape(actionLine(entry)))).toList()));
            }
        }
        Map<String, Object> card = object("$schema", "http://adaptivecards.io/schemas/adaptive-card.json", "type", "AdaptiveCard",
                "version", "1.4", "body", body);
        Map<String, Object> attachment = object("contentType", "application/vnd.microsoft.card.adaptive", "contentUrl", null,
                "content", card);
        return object("type", "message", "attachments", List.of(attachment));
    }

    /**
     * The counts a chat message shows, by title: scanned, each finding reason, what is new, and
     * what recovered or went (together: a chat message stays short; "still open" is in the report).
     * Slack shows at most 10 fields in a section.
     */
    private static Map<String, String> counts(ReportSummary report) {
        Map<String, String> counts = new LinkedHashMap<>();
        counts.put("Scanned", String.valueOf(report.scanned()));
        for (Reason reason : Reason.findings()) {
            counts.put(Wording.title(reason), String.valueOf(report.count(reason)));
        }
        counts.put("New", String.valueOf(report.count(Change.NEW)));
        counts.put("Recovered / gone", report.count(Change.RECOVERED) + " / " + report.count(Change.GONE));
        return counts;
    }

    /** An ordered map from name, value, name, value...; a null value stays (JSON null). */
    private static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return object;
    }

    private static Map<String, Object> mrkdwn(String text) {
        return object("type", "mrkdwn", "text", text);
    }

    private static Map<String, Object> mrkdwnSection(String text) {
        return object("type", "section", "text", mrkdwn(text));
    }

    private static Map<String, Object> fact(String title, String value) {
        return object("title", title, "value", value);
    }

    /** The first registrations enrolled again after a removal ({@code rows} at most), as the JSON report lists them. */
    private static List<Map<String, String>> reEnrolled(ReportSummary report, int rows) {
        List<Map<String, String>> first = report.sections().get(ReportSummary.RE_ENROLLED);
        return first.subList(0, Math.min(rows, first.size()));
    }

    /** A registration enrolled again as one line: device, owner, when, after what. */
    private static String reEnrolledLine(Map<String, String> again) {
        return nullToEmpty(again.get("device_name")) + " · " + nullToEmpty(again.get("user_email")) + " · created " + again.get("created_at")
                + " after the " + again.get("action") + " of " + again.get("removed_registration_id");
    }

    /** An action as one line: outcome, device, owner, registration. */
    private static String actionLine(Remediation.Entry entry) {
        return entry.outcome() + " · " + nullToEmpty(entry.registration().deviceName()) + " · " + owner(entry.registration()) + " · "
                + entry.registration().id();
    }

    private static String days(Verdict finding) {
        return finding.daysSinceSeen() == null ? "last seen unknown" : finding.daysSinceSeen() + " days";
    }

    private static String owner(Registration r) {
        return r.userEmail() != null ? r.userEmail() : r.userName() != null ? r.userName() : "no user";
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    /** What makes a line a list item, a heading, a quote or a rule: {@code -}, {@code +}, {@code #}, {@code >}, {@code 1.}, {@code 1)}. */
    private static final Pattern TEAMS_LINE_START = Pattern.compile("^([-+#>]|\\d+[.)])");

    /**
     * A value from outside (a registration, Cloudflare's error text) as plain text in an Adaptive
     * Card's TextBlock or fact, where Teams renders markdown: links {@code [x](y)}, {@code *} and
     * {@code _} emphasis, lists. Line breaks become spaces (a list or heading starts only a line),
     * a marker at the start is escaped with a backslash, and so are {@code \}, {@code *}, {@code _},
     * {@code [}, {@code ]} and {@code <} (autolinks, HTML, {@code <at>} mentions) anywhere. A bare
     * URL or e-mail address may still be turned into a link by the Teams client: no escape
     * prevents that (docs/delivery.md).
     */
    static String teamsEscape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        String line = Wording.oneLine(value).strip();
        Matcher marker = TEAMS_LINE_START.matcher(line);
        int from = 0;
        if (marker.find()) {
            // the marker's last character is the one that makes it markup: "-", "1." -> "1\."
            escaped.append(line, 0, marker.end() - 1).append('\\');
            from = marker.end() - 1;
        }
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /**
     * Slack's three control characters, on one line: a line break would start a line of its own in
     * the message, one that could pass for a finding. Slack has no escape for its formatting
     * characters, so a name such as "*x*" is shown bold, on its own line still.
     */
    static String slackEscape(String value) {
        return Wording.oneLine(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
