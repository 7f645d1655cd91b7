package io.warpsentinel.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.classify.JudgedWindows;
import io.warpsentinel.classify.StaleWindows;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.DeviceDetails;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.finding.TopFindings;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.operate.ScanRecord;
import io.warpsentinel.state.AccountState;
import io.warpsentinel.state.ReEnrolment;
import io.warpsentinel.state.TrackedFinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one account's report while the pages stream through: each finding goes straight into
 * the hidden temporary CSV and JSON files (their names and lifecycle are {@link ReportFiles}'),
 * so memory holds counts and the few findings the HTML page shows, never the fleet. The
 * recovered, gone, excluded and re_enrolled sections follow the findings in the JSON, so they
 * wait in spools of their own until {@link #finish}.
 */
public final class ReportWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String accountId;
    private final ScanRun run;
    private final String requestFilters;
    private final ReportFiles.Names names;
    private final AccountState state;
    private final CsvWriter csv;
    private final JsonGenerator json;
    private final Map<Reason, Long> counts = new EnumMap<>(Reason.class);
    private final TopFindings<Verdict> topFindings;
    private final PageRows.Picker pageRows;
    private final UserTally staleByUser = new UserTally(10);
    private final Breakdowns breakdowns = new Breakdowns();
    private final SectionSpool recovered;
    private final SectionSpool gone;
    private final SectionSpool excluded;
    private final SectionSpool reEnrolled;
    private long scanned;
    // findings enrolled with a service token: no person to notify, counted in the summary
    private long serviceTokens;
    // the lifecycle, which ReportFiles keeps here for the account's scan
    boolean published;

    /**
     * @param htmlMaxRows    findings the report file's page holds
     * @param messageMaxRows findings kept in memory for the e-mail and the chat messages, and entries of each section
     */
    ReportWriter(ReportFiles.Names names, String accountId, ScanRun run, String requestFilters, int htmlMaxRows, int messageMaxRows,
                 boolean csvFormulaGuard, AccountState state, PrivateFiles files) throws IOException {
        this.names = names;
        this.accountId = accountId;
        this.run = run;
        this.requestFilters = requestFilters;
        this.state = state;
        this.topFindings = TopFindings.newFirst(messageMaxRows);
        this.pageRows = new PageRows.Picker(htmlMaxRows);
        this.recovered = new SectionSpool("recovered", names.recoveredTemp(), messageMaxRows, files);
        this.gone = new SectionSpool("gone", names.goneTemp(), messageMaxRows, files);
        this.excluded = new SectionSpool("excluded", names.excludedTemp(), messageMaxRows, files);
        this.reEnrolled = new SectionSpool(ReportSummary.RE_ENROLLED, names.reEnrolledTemp(), messageMaxRows, files);
        state.listChangesIn(new AccountState.Sections() {
            @Override
            public void recovered(TrackedFinding finding) {
                spool(recovered, trackedJson(finding));
            }

            @Override
            public void gone(TrackedFinding finding) {
                spool(gone, trackedJson(finding));
            }

            @Override
            public void reEnrolled(ReEnrolment registration) {
                spool(reEnrolled, reEnrolledJson(registration));
            }
        });
        for (Reason reason : Reason.values()) {
            counts.put(reason, 0L);
        }
        this.csv = new CsvWriter(files.newWriter(names.csvTemp()), csvFormulaGuard);
        this.json = MAPPER.getFactory().createGenerator(files.newOutputStream(names.jsonTemp()), JsonEncoding.UTF8);
        json.setPrettyPrinter(new OneFindingPerLine());
        json.writeStartObject();
        json.writeStringField("account_id", accountId);
        json.writeStringField("scan_started_at", run.getStartedAt().toString());
        json.writeArrayFieldStart("findings");
        for (ReportColumn column : ReportColumn.ALL) {
            csv.cell(column.header);
        }
        csv.endRow();
    }

    public String getAccountId() {
        return accountId;
    }

    ReportFiles.Names names() {
        return names;
    }

    /**
     * One classified registration: counted, compared with the finding state and, if a finding,
     * written. Returns it as the state judged it (new, or open since when).
     */
    Verdict record(Verdict classified) throws IOException {
        scanned++;
        if (classified.isExcluded()) {
            ObjectNode entry = ReportColumn.findingJson(classified);
            entry.put("excluded_by", classified.excludedBy());
            excluded.add(entry);
            state.excluded(classified);
            return classified;
        }
        counts.merge(classified.reason(), 1L, Long::sum);
        Verdict verdict = state.track(classified);
        if (!verdict.reason().isFinding()) {
            return verdict;
        }
        topFindings.offer(verdict);
        breakdowns.add(verdict);
        // in the order of the JSON report's findings, written below
        pageRows.offer(verdict);
        if (verdict.registration().isServiceToken()) {
            serviceTokens++;
        }
        if (verdict.reason() == Reason.STALE) {
            staleByUser.add(verdict.registration().userEmail());
        }
        json.writeStartObject();
        for (ReportColumn column : ReportColumn.ALL) {
            Object value = column.valueOf(verdict);
            json.writeFieldName(column.jsonKey);
            if (value instanceof Long number) {
                csv.cell(number);
                json.writeNumber(number);
            } else {
                csv.cell((String) value);
                json.writeString((String) value);
            }
        }
        csv.endRow();
        json.writeEndObject();
        return verdict;
    }

    /**
     * The walk is over: the finding state names what recovered and went, the CSV is closed and
     * the JSON ends with the sections and the summary (known only now).
     *
     * @param previous    the account's previous complete scan in the run history, or null
     * @param duplicates  registrations the API listed more than once, counted once
     * @param windows     what each stale-after window judged
     * @param earlierRuns the account's complete scans in the run history that the page's chart shows before this one
     */
    ReportSummary finish(int pages, long duplicates, JsonNode previous, DeviceDetails deviceDetails, JudgedWindows.Summary windows,
                         List<ScanRecord> earlierRuns) throws IOException {
        state.finish();
        csv.close();
        Map<String, Long> previousCounts = new LinkedHashMap<>();
        if (previous != null) {
            for (String field : ReportSummary.COMPARED) {
                if (previous.has(field)) {
                    previousCounts.put(field, previous.get(field).asLong());
                }
            }
        }
        List<Verdict> top = topFindings.inReadingOrder();
        boolean onlyNew = state.getPolicy().onlyNew();
        ReportSummary summary = new ReportSummary(accountId, run.getStartedAt(), run.getStaleBefore(), run.getStaleAfter(), requestFilters,
                pages, scanned, counts, changeCounts(), excluded.count(), state.getAlertCount(), duplicates, state.getPreviousScan(),
                previousCounts, previous == null ? null : previous.path("run_started_at").asText(null), onlyNew, top,
                onlyNew ? state.getAlertFindings() : top,
                Map.of("recovered", recovered.first(), "gone", gone.first(), "excluded", excluded.first(),
                        ReportSummary.RE_ENROLLED, reEnrolled.first()), staleByUser.top(),
                pageRows.rows(), breakdowns.rows(), earlierRuns, names.csv(), names.json(), names.html(), serviceTokens, deviceDetails,
                windows, reEnrolled.count(), null);
        json.writeEndArray();
        json.writeStringField("previous_complete_scan", state.getPreviousScan() == null ? null : state.getPreviousScan().toString());
        recovered.copyInto(json);
        gone.copyInto(json);
        excluded.copyInto(json);
        reEnrolled.copyInto(json);
        json.writeStringField("generated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        json.writeBooleanField("complete", true);
        json.writeBooleanField("all_clear", summary.findings() == 0);
        if (previous != null) {
            json.writeObjectFieldStart("previous_scan");
            json.writeStringField("scan_started_at", summary.previousStartedAt());
            for (Map.Entry<String, Long> count : summary.previousCounts().entrySet()) {
                json.writeNumberField(count.getKey(), count.getValue());
            }
            json.writeEndObject();
        }
        // how many registrations each window judged is known only now, so the policy comes after the findings;
        // written compact, as one line like the summary, though it holds arrays
        json.writeFieldName("policy");
        json.writeRawValue(MAPPER.writeValueAsString(policyJson(summary)));
        json.writeFieldName("device_details");
        json.writeObject(deviceDetails.summary());
        json.writeObjectFieldStart("summary");
        for (Map.Entry<String, Long> count : summary.counts().entrySet()) {
            json.writeNumberField(count.getKey(), count.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
        json.close();
        return summary;
    }

    /**
     * The JSON report's {@code policy}: the default window as it always read, the page requests'
     * filters, then each window with how many registrations it judged (stale or current) and found
     * stale; with profile windows, the profiles no registration carries; with platform windows, how
     * many registrations were judged by {@code sentinel.stale-after} as their platform is unknown.
     */
    private Map<String, Object> policyJson(ReportSummary summary) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("stale_after", run.getStaleAfter());
        policy.put("stale_before", run.getStaleBefore().toString());
        policy.put("request_filters", requestFilters);
        List<Map<String, Object>> windows = new ArrayList<>();
        for (JudgedWindows.Use use : summary.windows().uses()) {
            Map<String, Object> window = new LinkedHashMap<>();
            window.put("rule", use.window().rule().label());
            if (use.window().name() != null) {
                window.put("name", use.window().name());
            }
            window.put("stale_after", use.window().text());
            window.put("stale_before", use.staleBefore().toString());
            window.put("judged", use.judged());
            window.put("stale", use.stale());
            if (use.window().rule() == StaleWindows.Rule.PROFILE) {
                window.put("carried_by", use.carriedBy());
            }
            windows.add(window);
        }
        policy.put("windows", windows);
        if (summary.windows().has(StaleWindows.Rule.PROFILE)) {
            policy.put("unmatched_profiles", summary.windows().unmatchedProfiles());
        }
        if (summary.windows().has(StaleWindows.Rule.PLATFORM)) {
            policy.put("platform_unknown", summary.windows().platformUnknown());
        }
        return policy;
    }

    /** This scan's findings by change, as the finding state counted them. */
    private Map<Change, Long> changeCounts() {
        Map<Change, Long> byChange = new EnumMap<>(Change.class);
        for (Change change : Change.values()) {
            // exhaustive: a new change does not compile until the state counts it
            byChange.put(change, switch (change) {
                case NEW -> state.getNewCount();
                case STILL -> state.getStillCount();
                case RECOVERED -> state.getRecoveredCount();
                case GONE -> state.getGoneCount();
            });
        }
        return byChange;
    }

    /** Drops everything written so far: a scan that did not finish leaves no report behind. */
    void discard() throws IOException {
        for (AutoCloseable open : new AutoCloseable[] {csv, json}) {
            try {
                open.close();
            } catch (Exception ignored) {
                // the files are deleted next; a close failure changes nothing
            }
        }
        names.deleteTemporaryFiles();
    }

    /**
     * The JSON report's last three fields, written after publication: {@code remediation} (the
     * action, the counts, why it halted), {@code actions} and {@code kept_last_device} (the
     * candidates kept as their users' last devices), one entry per line, then the end of the
     * report.
     */
    static String remediationJson(Remediation remediation) {
        StringBuilder json = new StringBuilder(",\n  \"remediation\":").append(MAPPER.valueToTree(remediation.summary()).toString());
        array(json, "actions", remediation.actions().stream().map(Remediation.Entry::fields).toList());
        array(json, "kept_last_device", remediation.kept().stream().map(Remediation.Kept::fields).toList());
        return json.append("\n}\n").toString();
    }

    /** A top-level array of the report, one entry per line. */
    private static void array(StringBuilder json, String name, List<Map<String, Object>> entries) {
        json.append(",\n  \"").append(name).append("\":[");
        String separator = "\n    ";
        for (Map<String, Object> entry : entries) {
            json.append(separator).append(MAPPER.valueToTree(entry).toString());
            separator = ",\n    ";
        }
        json.append(entries.isEmpty() ? "]" : "\n  ]");
    }

    /** An entry of the recovered or gone section: what it was, since when, and as whom. */
    private static ObjectNode trackedJson(TrackedFinding finding) {
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("registration_id", finding.getRegistrationId());
        entry.put("device_name", finding.getDeviceName());
        entry.put("user_email", finding.getUserEmail());
        entry.put("last_seen_at", finding.getLastSeenAt());
        entry.put("was", finding.getReason().label());
        entry.put("finding_since", finding.getSince().toString());
        entry.put("change", finding.getChange().label());
        if (finding.getActed() != null) {
            entry.put("acted", finding.getActed()); // e.g. gone because warp-sentinel deleted it
        }
        return entry;
    }

    /** An entry of the re_enrolled section: the registration listed now, and the removal it came back after. */
    private static ObjectNode reEnrolledJson(ReEnrolment again) {
        Registration registration = again.registration();
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("registration_id", registration.id());
        entry.put("device_id", registration.deviceId());
        entry.put("device_name", registration.deviceName());
        entry.put("user_email", registration.userEmail());
        entry.put("created_at", registration.createdAt());
        entry.put("removed_registration_id", again.removedRegistrationId());
        entry.put("removed_at", again.removedAt().toString());
        entry.put("action", again.action().label());
        return entry;
    }

    private static void spool(SectionSpool section, ObjectNode entry) {
        try {
            section.add(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the report's " + entry.get("change") + " section: " + e, e);
        }
    }

    /**
     * The report's layout: one top-level field per line and one finding per line, everything
     * inside them compact. Readable, and still grep- and diff-friendly for a million findings.
     */
    private static final class OneFindingPerLine extends MinimalPrettyPrinter {

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            // called inside the new object's context: its parent tells the top level
            g.writeRaw(g.getOutputContext().getParent().inRoot() ? "{\n  " : "{");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(g.getOutputContext().getParent().inRoot() ? ",\n  " : ",");
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            g.writeRaw(g.getOutputContext().getParent().inRoot() ? "\n}\n" : "}");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw("[\n    ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n    ");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            g.writeRaw(nrOfValues == 0 ? "]" : "\n  ]");
        }
    }
}
