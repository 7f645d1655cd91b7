package io.warpsentinel.report;

import io.warpsentinel.classify.JudgedWindows;
import io.warpsentinel.classify.StaleWindows;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.DeviceDetails;
import io.warpsentinel.finding.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every sentence a report says about itself, in one place: the HTML page, the e-mail subject and
 * text, the webhooks and the log line all say it the same way.
 */
public final class Wording {

    private Wording() {
    }

    // control characters (line breaks, tabs, NEL) and the line and paragraph separators
    private static final Pattern LINE_BREAKING = Pattern.compile("[\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]");

    /**
     * A value from the API on one line of text: each control character and line or paragraph
     * separator is a space. A device's name is chosen by its user, and a line break in it would
     * otherwise start a line of its own in a plain-text e-mail or a chat message, one that could
     * pass for a finding.
     */
    public static String oneLine(String value) {
        return value == null ? "" : LINE_BREAKING.matcher(value).replaceAll(" ");
    }

    /**
     * One sentence for a subject line or a banner, each reason with findings counted ("12 findings
     * in 3,000 registrations: 9 stale, 3 superseded"); excluded registrations are named, never hidden.
     */
    public static String headline(ReportSummary report) {
        String excludedNote = report.excluded() == 0 ? "" : String.format(" (%,d excluded)", report.excluded());
        if (report.findings() == 0) {
            return String.format("All clear: %s scanned, none %s%s", counted(report.scanned(), "registration"),
                    either(Reason.findings().stream().map(Reason::label).toList()), excludedNote);
        }
        return String.format("%s in %s: %s%s", counted(report.findings(), "finding"), counted(report.scanned(), "registration"),
                reasonCounts(report.byReason()), excludedNote);
    }

    /** Each reason with findings, counted: "801 stale, 336 revoked". */
    static String reasonCounts(Map<Reason, Long> byReason) {
        return Reason.findings().stream().filter(reason -> byReason.getOrDefault(reason, 0L) > 0)
                .map(reason -> String.format("%,d %s", byReason.get(reason), reason.label()))
                .collect(Collectors.joining(", "));
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
        long newFindings = report.count(Change.NEW);
        long reminders = Math.max(report.alertsDue() - newFindings, 0);
        return String.format("%s%s, %,d due a reminder; %s", halted, counted(newFindings, "new finding"), reminders,
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
        return Arrays.stream(Change.values()).map(change -> String.format("%,d %s", report.count(change), change.phrase()))
                .collect(Collectors.joining(", "));
    }

    /**
     * What the device columns are worth: "complete (1,204 devices, 2 requests)", "unavailable:
     * Cloudflare answered HTTP 403 ...", or "off (sentinel.devices.enrich is false)".
     */
    public static String deviceDetails(DeviceDetails details) {
        if (details.complete()) {
            return String.format("complete (%s, %s)", counted(details.devices(), "device"), counted(details.requests(), "request"));
        }
        return DeviceDetails.OFF.equals(details.reason()) ? "off (" + details.reason() + ")" : "unavailable: " + details.reason();
    }

    /** The title of the registrations enrolled again after a removal, wherever they are listed. */
    public static final String RE_ENROLLED_TITLE = "Enrolled again after removal";

    /**
     * What the registrations enrolled again after a removal mean and what to do, in one sentence:
     * "2 registrations enrolled again after warp-sentinel revoked or deleted one of the same device
     * and user: remove the users from …".
     */
    public static String reEnrolled(ReportSummary report) {
        return String.format("%s enrolled again after warp-sentinel revoked or deleted one of the same device and user: remove the "
                + "user from the device enrolment rules or the device profile, or the device will keep coming back",
                counted(report.reEnrolled(), "registration"));
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

    /** The stale-after windows in the order they apply: each profile's, each platform's, then sentinel.stale-after. */
    static List<JudgedWindows.Use> inPrecedence(ReportSummary report) {
        Comparator<JudgedWindows.Use> precedence = Comparator.comparingInt(use -> switch (use.window().rule()) {
            case PROFILE -> 0;
            case PLATFORM -> 1;
            case DEFAULT -> 2;
        });
        return report.windows().uses().stream().sorted(precedence).toList();
    }

    /** A window as people read it: "profile Contractors", "platform ios", "sentinel.stale-after". */
    static String windowName(StaleWindows.Window window) {
        return window.rule() == StaleWindows.Rule.DEFAULT ? "sentinel.stale-after" : window.rule().label() + " " + window.name();
    }

    /**
     * What kept a window from judging as configured, one sentence each: a profile no registration
     * carries, registrations judged by sentinel.stale-after because their platform is unknown.
     */
    public static List<String> windowNotes(ReportSummary report) {
        List<String> notes = new ArrayList<>();
        for (String profile : report.windows().unmatchedProfiles()) {
            notes.add("No registration carries the device profile '" + profile + "': its window judged none (a typo? profile names "
                    + "are compared exactly as Cloudflare shows them).");
        }
        if (report.windows().has(StaleWindows.Rule.PLATFORM)) {
            String why = report.deviceDetails().complete() ? "their devices are not in Cloudflare's inventory"
                    : "the devices' details are unavailable (" + report.deviceDetails().reason() + ")";
            long unknown = report.windows().platformUnknown();
            if (unknown > 0) {
                notes.add(String.format("%s that a platform's window could have judged otherwise %s judged by sentinel.stale-after "
                        + "(%s): %s.", counted(unknown, "registration"), unknown == 1 ? "was" : "were", report.staleAfter(), why));
            } else if (!report.deviceDetails().complete()) {
                notes.add("The platforms' windows judged nothing: " + why + "; no registration's verdict depended on them.");
            }
        }
        return notes;
    }

    /** How long ago a finding was last seen: "today", "yesterday", "151 days ago"; empty when not known. */
    static String ago(Long days) {
        return days == null ? "" : days == 0 ? "today" : days == 1 ? "yesterday" : days + " days ago";
    }

    /** A reason as a heading or a fact's title: "Stale". */
    public static String title(Reason reason) {
        return reason.label().substring(0, 1).toUpperCase(Locale.ROOT) + reason.label().substring(1);
    }

    /** "a", "a or b", "a, b or c" */
    static String either(List<String> names) {
        int last = names.size() - 1;
        return last < 1 ? String.join("", names) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
    }

    /** "1 finding", "1,147 findings" */
    static String counted(long count, String noun) {
        return String.format("%,d %s%s", count, noun, count == 1 ? "" : "s");
    }
}
