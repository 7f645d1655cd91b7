package io.warpsentinel.report;

import io.warpsentinel.finding.Reason;

/**
 * Every sentence a report says about itself, in one place: the HTML page, the e-mail subject and
 * text, the webhooks and the log line all say it the same way.
 */
public final class Wording {

    private Wording() {
    }

    /** One sentence for a subject line or a banner; excluded registrations are named, never hidden. */
    public static String headline(ReportSummary report) {
        String excludedNote = report.excluded() == 0 ? "" : String.format(" (%,d excluded)", report.excluded());
        if (report.findings() == 0) {
            return String.format("All clear: %s scanned, none stale, revoked or invalid%s", counted(report.scanned(), "registration"),
                    excludedNote);
        }
        return String.format("%s in %s: %,d stale, %,d revoked, %,d invalid%s", counted(report.findings(), "finding"),
                counted(report.scanned(), "registration"), report.stale(), report.revoked(), report.invalid(), excludedNote);
    }

    /**
     * An alert's first line: a halted remediation first (it needs a person), in only-new mode what
     * is new or due a reminder, then the headline.
     */
    public static String alertHeadline(ReportSummary report) {
        String halted = report.remediation() != null && report.remediation().isHalted() ? "Remediation halted; " : "";
        if (!report.onlyNew()) {
            return halted + headline(report);
        }
        long reminders = Math.max(report.alertsDue() - report.newFindings(), 0);
        return String.format("%s%s, %,d due a reminder; %s", halted, counted(report.newFindings(), "new finding"), reminders,
                headline(report));
    }

    /** One sentence on what changed since the last complete scan. */
    public static String changeLine(ReportSummary report) {
        if (report.previousCompleteScan() == null) {
            return "First complete scan of this account: every finding is new.";
        }
        return String.format("Since the last complete scan (%s): %s.", report.previousCompleteScan(), changeCounts(report));
    }

    /** e.g. "2 new, 40 still open, 1 recovered, 0 gone" */
    public static String changeCounts(ReportSummary report) {
        return String.format("%,d new, %,d still open, %,d recovered, %,d gone", report.newFindings(), report.still(),
                report.recovered(), report.gone());
    }

    /** The title of the list in alert messages. */
    public static String listedTitle(ReportSummary report) {
        return report.onlyNew() ? "New and due a reminder" : "New first, then the longest unseen";
    }

    /** This scan's count against the run history's previous complete scan, e.g. "+3", "-1", "±0"; null without one. */
    public static String change(ReportSummary report, Reason reason) {
        Long before = report.previousCounts().get(reason.label());
        if (before == null) {
            return null;
        }
        long delta = report.count(reason) - before;
        return delta > 0 ? "+" + delta : delta < 0 ? String.valueOf(delta) : "±0";
    }

    /** "1 finding", "1,147 findings" */
    static String counted(long count, String noun) {
        return String.format("%,d %s%s", count, noun, count == 1 ? "" : "s");
    }
}
