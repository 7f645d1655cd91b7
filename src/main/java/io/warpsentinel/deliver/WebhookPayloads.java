package io.warpsentinel.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.classify.Reason;
import io.warpsentinel.classify.Verdict;
import io.warpsentinel.cloudflare.Registration;
import io.warpsentinel.report.AccountReport;
import java.util.List;

/** The message each webhook format expects, built from an account's published report. */
final class WebhookPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Slack refuses a section text over 3,000 characters.
    private static final int SLACK_TEXT_LIMIT = 2900;

    private WebhookPayloads() {
    }

    static String render(WebhookTarget target, AccountReport report) {
        List<Verdict> listed = report.getListedFindings();
        List<Verdict> findings = listed.subList(0, Math.min(target.findingsLimit(), listed.size()));
        ObjectNode message = switch (target.format()) {
            case JSON -> json(report, findings);
            case SLACK -> slack(report, findings);
            case TEAMS -> teams(report, findings);
        };
        return message.toString();
    }

    /** The JSON report's summary and the first findings, with the report files to fetch the rest from. */
    private static ObjectNode json(AccountReport report, List<Verdict> findings) {
        ObjectNode message = JSON.createObjectNode();
        message.put("account_id", report.getAccountId());
        message.put("scan_started_at", report.getStartedAt().toString());
        message.put("complete", true);
        message.put("all_clear", report.getFindings() == 0);
        message.put("headline", report.alertHeadline());
        ObjectNode policy = message.putObject("policy");
        policy.put("stale_after", report.getStaleAfter());
        policy.put("stale_before", report.getStaleBefore().toString());
        policy.put("request_filters", report.getRequestFilters());
        message.set("summary", report.summary());
        ArrayNode listed = message.putArray("findings");
        findings.forEach(finding -> listed.add(AccountReport.findingJson(finding)));
        message.put("findings_not_listed", report.getListedFrom() - findings.size());
        ObjectNode files = message.putObject("report_files");
        files.put("csv", report.getCsvFileName());
        files.put("json", report.getJsonFileName());
        return message;
    }

    /** A Slack incoming-webhook message: header, verdict, counts, top findings, context. */
    private static ObjectNode slack(AccountReport report, List<Verdict> findings) {
        ObjectNode message = JSON.createObjectNode();
        message.put("text", "WARP registrations of " + report.getAccountId() + ": " + report.alertHeadline());
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", "WARP registrations: " + report.getAccountId());
        mrkdwnSection(blocks, (report.getFindings() == 0 ? ":white_check_mark: " : ":warning: ") + "*" + slackEscape(report.alertHeadline()) + "*\n" + slackEscape(report.changeLine()));
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        fields.addObject().put("type", "mrkdwn").put("text", "*Scanned*\n" + report.getScanned());
        fields.addObject().put("type", "mrkdwn").put("text", "*Stale*\n" + report.count(Reason.STALE));
        fields.addObject().put("type", "mrkdwn").put("text", "*Revoked*\n" + report.count(Reason.REVOKED));
        fields.addObject().put("type", "mrkdwn").put("text", "*Invalid*\n" + report.count(Reason.INVALID));
        fields.addObject().put("type", "mrkdwn").put("text", "*New*\n" + report.getState().getNewCount());
        fields.addObject().put("type", "mrkdwn").put("text", "*Recovered / gone*\n" + report.getState().getRecoveredCount()
                + " / " + report.getState().getGoneCount());
        if (!findings.isEmpty()) {
            StringBuilder text = new StringBuilder("*" + report.listedTitle() + "*");
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
            long more = report.getListedFrom() - listed;
            if (more > 0) {
                text.append("\n_").append(more).append(" more in ").append(slackEscape(report.getCsvFileName())).append("_");
            }
            mrkdwnSection(blocks, text.toString());
        }
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "stale-after " + report.getStaleAfter() + " · scan started " + report.getStartedAt()
                        + " · " + slackEscape(report.getJsonFileName()));
        return message;
    }

    /** A Microsoft Teams incoming-webhook message carrying an Adaptive Card. */
    private static ObjectNode teams(AccountReport report, List<Verdict> findings) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("size", "Large").put("weight", "Bolder").put("wrap", true)
                .put("text", "WARP registrations: " + report.getAccountId());
        body.addObject().put("type", "TextBlock").put("wrap", true).put("weight", "Bolder")
                .put("color", report.getFindings() == 0 ? "Good" : "Attention").put("text", report.alertHeadline());
        body.addObject().put("type", "TextBlock").put("wrap", true).put("text", report.changeLine());
        ArrayNode counts = body.addObject().put("type", "FactSet").putArray("facts");
        fact(counts, "Scanned", String.valueOf(report.getScanned()));
        fact(counts, "Stale", String.valueOf(report.count(Reason.STALE)));
        fact(counts, "Revoked", String.valueOf(report.count(Reason.REVOKED)));
        fact(counts, "Invalid", String.valueOf(report.count(Reason.INVALID)));
        fact(counts, "New", String.valueOf(report.getState().getNewCount()));
        fact(counts, "Recovered / gone", report.getState().getRecoveredCount() + " / " + report.getState().getGoneCount());
        fact(counts, "Excluded", String.valueOf(report.getExcludedCount()));
        fact(counts, "Stale after", report.getStaleAfter() + " (last seen before " + report.getStaleBefore() + ")");
        if (!findings.isEmpty()) {
            body.addObject().put("type", "TextBlock").put("weight", "Bolder").put("text", report.listedTitle());
            ArrayNode top = body.addObject().put("type", "FactSet").putArray("facts");
            for (Verdict finding : findings) {
                fact(top, days(finding) + " · " + finding.reason().label() + " (" + finding.change().label() + ")",
                        nullToEmpty(finding.registration().deviceName()) + " · " + owner(finding.registration()));
            }
        }
        long more = report.getListedFrom() - findings.size();
        if (more > 0) {
            body.addObject().put("type", "TextBlock").put("wrap", true).put("isSubtle", true)
                    .put("text", more + " more in " + report.getCsvFileName());
        }
        return message;
    }

    private static void mrkdwnSection(ArrayNode blocks, String text) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", text);
    }

    private static void fact(ArrayNode facts, String title, String value) {
        facts.addObject().put("title", title).put("value", value);
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

    /** Slack's three control characters; the rest of a device name is shown as it is. */
    static String slackEscape(String value) {
        return value == null ? "" : value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
