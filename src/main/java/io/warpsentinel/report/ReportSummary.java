package io.warpsentinel.report;

import io.warpsentinel.classify.JudgedWindows;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.DeviceDetails;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.operate.ScanRecord;
import io.warpsentinel.state.PublishedFindings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one account's published report says, fixed once its files are in place: what the HTML
 * page, the e-mail, the webhooks, the run history and the log line read (the wording of it lives
 * in {@link Wording}). Saving the finding state reads the findings back from its JSON file.
 *
 * @param byReason             registrations by reason, excluded ones not counted: every {@link Reason}, in its order
 * @param byChange             findings by change against the finding state: every {@link Change}, in its order
 * @param previousCompleteScan when the scan that last saved the finding state started; null for a first scan
 * @param previousCounts       the run history's previous complete scan of the account: the {@link #COMPARED} counts it
 *                             has, in that order; empty when none
 * @param previousStartedAt    when that scan started, or null
 * @param onlyNew              alerts fire only for findings new or due a reminder ({@code sentinel.alert.only-new})
 * @param top                  the findings the HTML page shows, new first, then most days since seen
 * @param listed               what alert messages list: the findings due an alert in only-new mode, else {@code top}
 * @param sections             the first entries of the recovered, gone, excluded and {@value #RE_ENROLLED} sections, by
 *                             section name
 * @param topUsers             the users with the most stale devices
 * @param pageRows             which findings the report file's page holds, read back from the JSON report
 * @param breakdowns           every finding counted by days since last seen, platform, client version and device profile
 * @param earlierRuns          the account's complete scans in the run history that the page's chart shows before this one
 * @param windows              what each stale-after window judged
 * @param reEnrolled           registrations enrolled again after warp-sentinel removed one of the same device and user
 * @param remediation          what sentinel.remediate did after the scan; null when it is off
 */
public record ReportSummary(
        String accountId, Instant startedAt, Instant staleBefore, String staleAfter, String requestFilters, int pages,
        long scanned, Map<Reason, Long> byReason, Map<Change, Long> byChange, long excluded, long alertsDue, long duplicates,
        Instant previousCompleteScan, Map<String, Long> previousCounts, String previousStartedAt,
        boolean onlyNew, List<Verdict> top, List<Verdict> listed,
        Map<String, List<Map<String, String>>> sections, List<UserTally.UserCount> topUsers, PageRows pageRows,
        Map<Breakdown, List<Breakdowns.Row>> breakdowns, List<ScanRecord> earlierRuns, Path csvFile, Path jsonFile, Path htmlFile,
        long serviceTokens, DeviceDetails deviceDetails, JudgedWindows.Summary windows, long reEnrolled, Remediation remediation)
        implements PublishedFindings {

    /** The JSON report's section of registrations enrolled again after a removal, and its count's name. */
    public static final String RE_ENROLLED = "re_enrolled";

    /**
     * The counts a report compares with the account's previous complete scan in the run history
     * (the JSON's {@code previous_scan}, the change beside each count in the HTML page).
     */
    static final List<String> COMPARED = Stream.of(Stream.of("scanned"), Reason.findings().stream().map(Reason::label),
            Stream.of("findings")).flatMap(names -> names).toList();

    public ReportSummary {
        byReason = everyConstant(Reason.class, byReason);
        byChange = everyConstant(Change.class, byChange);
        previousCounts = Collections.unmodifiableMap(new LinkedHashMap<>(previousCounts));
    }

    /** A count for each constant, in declaration order: 0 for one not counted. */
    private static <K extends Enum<K>> Map<K, Long> everyConstant(Class<K> type, Map<K, Long> counted) {
        Map<K, Long> counts = new EnumMap<>(type);
        for (K constant : type.getEnumConstants()) {
            counts.put(constant, counted.getOrDefault(constant, 0L));
        }
        return Collections.unmodifiableMap(counts);
    }

    /** Registrations that are findings, whatever the reason; excluded ones are not counted. */
    public long findings() {
        return Reason.findings().stream().mapToLong(this::count).sum();
    }

    /** How many findings {@code listed} was taken from: those due an alert in only-new mode, else all. */
    public long listedFrom() {
        return onlyNew ? alertsDue : findings();
    }

    public long count(Reason reason) {
        return byReason.get(reason);
    }

    public long count(Change change) {
        return byChange.get(change);
    }

    /**
     * Whether alert channels send this report: always, unless only-new is on and nothing is new or
     * due a reminder, and remediation neither acted nor halted.
     */
    public boolean alertWanted() {
        return !onlyNew || alertsDue > 0 || remediation != null && (remediation.isHalted() || !remediation.actions().isEmpty());
    }

    /** The same report, with what remediation did. */
    public ReportSummary with(Remediation outcome) {
        return new ReportSummary(accountId, startedAt, staleBefore, staleAfter, requestFilters, pages, scanned, byReason, byChange,
                excluded, alertsDue, duplicates, previousCompleteScan, previousCounts, previousStartedAt,
                onlyNew, top, listed, sections, topUsers, pageRows, breakdowns, earlierRuns, csvFile, jsonFile, htmlFile, serviceTokens,
                deviceDetails, windows, reEnrolled, outcome);
    }

    /**
     * The counts every consumer shows, under the same names and in the same order: the JSON
     * report's {@code summary}, the json webhook, the run history. Each finding reason and each
     * change under its label, in its order: a new one comes after those of its kind.
     */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("scanned", scanned);
        Reason.findings().forEach(reason -> counts.put(reason.label(), count(reason)));
        counts.put("findings", findings());
        byChange.forEach((change, count) -> counts.put(change.label(), count));
        counts.put("excluded", excluded);
        counts.put("service_tokens", serviceTokens);
        counts.put(RE_ENROLLED, reEnrolled);
        counts.put("alerts_due", alertsDue);
        counts.put("duplicates", duplicates);
        counts.put("pages", (long) pages);
        return counts;
    }

    public String csvName() {
        return csvFile.getFileName().toString();
    }

    public String jsonName() {
        return jsonFile.getFileName().toString();
    }

    /** The columns a finding is read back with. */
    private static final Set<String> READ_BACK = Set.of(ReportColumn.REGISTRATION_ID.header, ReportColumn.REASON.header,
            ReportColumn.CHANGE.header, ReportColumn.DEVICE_NAME.header, ReportColumn.USER_EMAIL.header, ReportColumn.LAST_SEEN_AT.header);

    /**
     * The published JSON report's findings, one at a time: this scan's findings, never all in
     * memory (the state store records the new ones from here). The JSON, not the CSV: it holds
     * the values exactly as received, where the CSV guards formulas.
     */
    @Override
    public void read(Reader reader) throws Exception {
        JsonReportFindings.read(jsonFile, place -> true, READ_BACK, (place, finding) -> reader.accept(new Finding(
                text(finding, ReportColumn.REGISTRATION_ID), Reason.ofLabel(text(finding, ReportColumn.REASON)),
                text(finding, ReportColumn.CHANGE), text(finding, ReportColumn.DEVICE_NAME), text(finding, ReportColumn.USER_EMAIL),
                text(finding, ReportColumn.LAST_SEEN_AT))));
    }

    /** A column's value read back, null when empty. */
    private static String text(Map<String, Object> finding, ReportColumn column) {
        Object value = finding.get(column.header);
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }
}
