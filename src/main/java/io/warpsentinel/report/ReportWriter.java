package io.warpsentinel.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.DeviceDetails;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.finding.TopFindings;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.operate.ScanRecord;
import io.warpsentinel.state.AccountState;
import io.warpsentinel.state.TrackedFinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one account's report while the pages stream through: each finding goes straight into
 * the hidden temporary CSV and JSON files (their names and lifecycle are {@link ReportFiles}'),
 * so memory holds counts and the few findings the HTML page shows, never the fleet. The
 * recovered, gone and excluded sections follow the findings in the JSON, so they wait in
 * spools of their own until {@link #finish}.
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
        state.listChangesIn(new AccountState.Sections() {
            @Override
            public void recovered(TrackedFinding finding) {
                spool(recovered, trackedJson(finding));
            }

            @Override
            public void gone(TrackedFinding finding) {
                spool(gone, trackedJson(finding));
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
        json.writeObjectFieldStart("policy");
        json.writeStringField("stale_after", run.getStaleAfter());
        json.writeStringField("stale_before", run.getStaleBefore().toString());
        json.writeStringField("request_filters", requestFilters);
        json.writeEndObject();
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
            if (value instanceof Long number) {
                csv.cell(number);
                json.writeNumberField(column.header, number);
            } else {
                csv.cell((String) value);
                json.writeStringField(column.header, (String) value);
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
     * @param earlierRuns the account's complete scans in the run history that the page's chart shows before this one
     */
    ReportSummary finish(int pages, long duplicates, JsonNode previous, DeviceDetails deviceDetails, List<ScanRecord> earlierRuns)
            throws IOException {
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
                Map.of("recovered", recovered.first(), "gone", gone.first(), "excluded", excluded.first()), staleByUser.top(),
                pageRows.rows(), breakdowns.rows(), earlierRuns, names.csv(), names.json(), names.html(), serviceTokens, deviceDetails, null);
        json.writeEndArray();
        json.writeStringField("previous_complete_scan", state.getPreviousScan() == null ? null : state.getPreviousScan().toString());
        recovered.copyInto(json);
        gone.copyInto(json);
        excluded.copyInto(json);
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
     * The JSON report's last two fields, written after publication: {@code remediation} (the
     * action, the counts, why it halted) and {@code actions}, one entry per line, then the end of
     * the report.
     */
    static String remediationJson(Remediation remediation) {
        StringBuilder json = new StringBuilder(",\n  \"remediation\":").append(MAPPER.valueToTree(remediation.summary()).toString())
                .append(",\n  \"actions\":[");
        String separator = "\n    ";
        for (Remediation.Entry entry : remediation.actions()) {
            json.append(separator).append(MAPPER.valueToTree(entry.fields()).toString());
            separator = ",\n    ";
        }
        return json.append(remediation.actions().isEmpty() ? "]" : "\n  ]").append("\n}\n").toString();
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
