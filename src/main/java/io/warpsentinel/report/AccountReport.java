package io.warpsentinel.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.classify.Reason;
import io.warpsentinel.classify.Verdict;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.scan.ScanRun;
import io.warpsentinel.state.AccountState;
import io.warpsentinel.state.PublishedFindings;
import io.warpsentinel.state.TrackedFinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reports of one account in one run, written while the pages stream through: findings go
 * straight into hidden temporary CSV and JSON files, so memory holds counts and the few findings
 * the HTML page shows, never the fleet. {@link #publish} ends the JSON with the summary (known
 * only then), writes the HTML page and renames the files into place; until then a reader of the
 * report folder sees nothing, and a scan that fails is {@link #discard}ed without leaving half
 * a report behind.
 */
public final class AccountReport implements PublishedFindings {

    // An ObjectMapper's factory: its generators can also write the summary's tree.
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private final String accountId;
    private final ScanRun run;
    private final Path csvFile;
    private final Path jsonFile;
    private final Path htmlFile;
    private final Path csvTemp;
    private final Path jsonTemp;
    private final Path htmlTemp;
    private final PrivateFiles files;
    private final CsvWriter csv;
    private final JsonGenerator json;
    private final Map<Reason, Long> counts = new EnumMap<>(Reason.class);
    private final TopFindings topFindings;
    private long scanned;
    private int pages;
    private long duplicates;
    private final String requestFilters;
    private List<Verdict> top = List.of();
    private final JsonNode previous;
    private final AccountState state;
    private final SectionSpool recovered;
    private final SectionSpool gone;
    private final SectionSpool excluded;
    private boolean published;
    private FileLock lock;

    /**
     * @param previous the account's last complete scan in the run history, or null
     * @param state    the account's findings at its last complete scan, which this scan's are compared with
     */
    AccountReport(Path directory, String accountId, ScanRun run, String requestFilters, int htmlMaxRows, boolean csvFormulaGuard,
                  JsonNode previous, AccountState state, PrivateFiles files) throws IOException {
        this.accountId = accountId;
        this.files = files;
        this.state = state;
        this.run = run;
        this.requestFilters = requestFilters;
        String name = "warp-sentinel-" + accountId + "-" + run.getFileStamp();
        this.csvFile = directory.resolve(name + ".csv");
        this.jsonFile = directory.resolve(name + ".json");
        this.htmlFile = directory.resolve(name + ".html");
        this.csvTemp = directory.resolve("." + name + ".csv.tmp");
        this.jsonTemp = directory.resolve("." + name + ".json.tmp");
        this.htmlTemp = directory.resolve("." + name + ".html.tmp");
        this.recovered = new SectionSpool("recovered", directory.resolve("." + name + ".recovered.tmp"), htmlMaxRows, files);
        this.gone = new SectionSpool("gone", directory.resolve("." + name + ".gone.tmp"), htmlMaxRows, files);
        this.excluded = new SectionSpool("excluded", directory.resolve("." + name + ".excluded.tmp"), htmlMaxRows, files);
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
        this.topFindings = new TopFindings(htmlMaxRows);
        this.previous = previous;
        for (Reason reason : Reason.values()) {
            counts.put(reason, 0L);
        }
        this.csv = new CsvWriter(files.newWriter(csvTemp), csvFormulaGuard);
        this.json = JSON.createGenerator(files.newOutputStream(jsonTemp), JsonEncoding.UTF8);
        json.setPrettyPrinter(new OneFindingPerLine());
        json.writeStartObject();
        json.writeStringField("account_id", accountId);
        json.writeStringField("scan_started_at", run.getStartedAt().toString());
        json.writeObjectFieldStart("policy");
        json.writeStringField("stale_after", run.getStalePolicy().toString());
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

    public Instant getStartedAt() {
        return run.getStartedAt();
    }

    public Instant getStaleBefore() {
        return run.getStaleBefore();
    }

    public String getStaleAfter() {
        return run.getStalePolicy().toString();
    }

    public int getPages() {
        return pages;
    }

    public String getRequestFilters() {
        return requestFilters;
    }

    /** The findings shown in the HTML page and in messages, most days since seen first (after {@link #publish}). */
    public List<Verdict> getTopFindings() {
        return top;
    }

    /** The counts every consumer shows, under the same names: the JSON report, webhooks, the run history. */
    public ObjectNode summary() {
        ObjectNode summary = MAPPER.createObjectNode();
        summary.put("scanned", scanned);
        summary.put("stale", count(Reason.STALE));
        summary.put("revoked", count(Reason.REVOKED));
        summary.put("invalid", count(Reason.INVALID));
        summary.put("findings", getFindings());
        summary.put("new", state.getNewCount());
        summary.put("still", state.getStillCount());
        summary.put("recovered", state.getRecoveredCount());
        summary.put("gone", state.getGoneCount());
        summary.put("excluded", excluded.count());
        summary.put("alerts_due", state.getAlertCount());
        summary.put("duplicates", duplicates);
        summary.put("pages", pages);
        return summary;
    }

    /** The account's lock on the report folder, held until {@link ReportFiles#close}. */
    void holding(FileLock accountLock) {
        this.lock = accountLock;
    }

    FileLock lock() {
        return lock;
    }

    /** The reports are in place (a later failure, such as saving the state, leaves them). */
    public boolean isPublished() {
        return published;
    }

    public AccountState getState() {
        return state;
    }

    /** Excluded registrations (any classification): how many. */
    public long getExcludedCount() {
        return excluded.count();
    }

    /** The first entries of a section the HTML page shows: {@code recovered}, {@code gone} or {@code excluded}. */
    public List<ObjectNode> firstOf(String section) {
        return switch (section) {
            case "recovered" -> recovered.first();
            case "gone" -> gone.first();
            case "excluded" -> excluded.first();
            default -> throw new IllegalArgumentException(section);
        };
    }

    /**
     * Whether alert channels send this report: always, unless {@code sentinel.alert.only-new} is
     * set and no finding is new or due a reminder.
     */
    public boolean isAlertWanted() {
        return !state.getPolicy().onlyNew() || state.getAlertCount() > 0;
    }

    /** What alert messages list: the findings due an alert in only-new mode, else the longest unseen. */
    public List<Verdict> getListedFindings() {
        return state.getPolicy().onlyNew() ? state.getAlertFindings() : top;
    }

    /** How many findings the listed ones were taken from. */
    public long getListedFrom() {
        return state.getPolicy().onlyNew() ? state.getAlertCount() : getFindings();
    }

    /** One sentence on what changed since the last complete scan. */
    public String changeLine() {
        if (state.getPreviousScan() == null) {
            return "First complete scan of this account: every finding is new.";
        }
        return String.format("Since the last complete scan (%s): %s.", state.getPreviousScan(), changeCounts());
    }

    /** e.g. "2 new, 40 still open, 1 recovered, 0 gone" */
    public String changeCounts() {
        return String.format("%,d new, %,d still open, %,d recovered, %,d gone", state.getNewCount(), state.getStillCount(),
                state.getRecoveredCount(), state.getGoneCount());
    }

    /** A finding as JSON, with the same keys and values as the JSON report's findings and the CSV's columns. */
    public static ObjectNode findingJson(Verdict verdict) {
        ObjectNode finding = MAPPER.createObjectNode();
        for (ReportColumn column : ReportColumn.ALL) {
            Object value = column.valueOf(verdict);
            if (value instanceof Long number) {
                finding.put(column.header, number);
            } else {
                finding.put(column.header, (String) value);
            }
        }
        return finding;
    }

    /** When the account's previous complete scan started, or null when this is the first. */
    public String getPreviousScanStartedAt() {
        return previous == null ? null : previous.path("run_started_at").asText(null);
    }

    /** This scan's count against the previous complete scan's, e.g. "+3", "-1", "±0"; null without a previous scan. */
    public String change(Reason reason) {
        return previous == null || !previous.has(reason.label()) ? null : signed(count(reason) - previous.get(reason.label()).asLong());
    }

    private static String signed(long delta) {
        return delta > 0 ? "+" + delta : delta < 0 ? String.valueOf(delta) : "±0";
    }

    /** One sentence for a subject line or a banner; excluded registrations are named, never hidden. */
    public String headline() {
        String excludedNote = excluded.count() == 0 ? "" : String.format(" (%,d excluded)", excluded.count());
        if (getFindings() == 0) {
            return String.format("All clear: %s scanned, none stale, revoked or invalid%s", counted(scanned, "registration"),
                    excludedNote);
        }
        return String.format("%s in %s: %,d stale, %,d revoked, %,d invalid%s", counted(getFindings(), "finding"),
                counted(scanned, "registration"), count(Reason.STALE), count(Reason.REVOKED), count(Reason.INVALID), excludedNote);
    }

    /** An alert's first line: in only-new mode what is new or due a reminder, then the headline. */
    public String alertHeadline() {
        if (!state.getPolicy().onlyNew()) {
            return headline();
        }
        long reminders = Math.max(state.getAlertCount() - state.getNewCount(), 0);
        return String.format("%s, %,d due a reminder; %s", counted(state.getNewCount(), "new finding"), reminders, headline());
    }

    /** The title of the list in alert messages. */
    public String listedTitle() {
        return state.getPolicy().onlyNew() ? "New and due a reminder" : "Longest unseen";
    }

    public long getScanned() {
        return scanned;
    }

    public long count(Reason reason) {
        return counts.get(reason);
    }

    /** Stale, revoked and invalid registrations, excluded ones not counted. */
    public long getFindings() {
        return count(Reason.STALE) + count(Reason.REVOKED) + count(Reason.INVALID);
    }

    // Strings, not Paths: Camel's simple language would convert a Path by reading the file.
    public String getCsvFile() {
        return csvFile.toString();
    }

    private static String counted(long count, String noun) {
        return String.format("%,d %s%s", count, noun, count == 1 ? "" : "s");
    }

    public String getJsonFile() {
        return jsonFile.toString();
    }

    public String getHtmlFile() {
        return htmlFile.toString();
    }

    public Path csvPath() {
        return csvFile;
    }

    public Path jsonPath() {
        return jsonFile;
    }

    public String getCsvFileName() {
        return csvFile.getFileName().toString();
    }

    public String getJsonFileName() {
        return jsonFile.getFileName().toString();
    }

    void record(Verdict classified) throws IOException {
        scanned++;
        if (classified.isExcluded()) {
            ObjectNode entry = findingJson(classified);
            entry.put("excluded_by", classified.excludedBy());
            excluded.add(entry);
            state.excluded(classified);
            return;
        }
        counts.merge(classified.reason(), 1L, Long::sum);
        Verdict verdict = state.track(classified);
        if (!verdict.reason().isFinding()) {
            return;
        }
        topFindings.offer(verdict);
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
    }

    /**
     * Finishes the files and moves them into place: CSV, then HTML, then the JSON (with the summary) last.
     *
     * @param duplicates registrations the API listed more than once, counted once
     */
    void publish(int pages, long duplicates) throws IOException {
        this.pages = pages;
        this.duplicates = duplicates;
        this.top = topFindings.inReadingOrder();
        state.finish();
        csv.close();
        json.writeEndArray();
        json.writeStringField("previous_complete_scan", state.getPreviousScan() == null ? null : state.getPreviousScan().toString());
        recovered.copyInto(json);
        gone.copyInto(json);
        excluded.copyInto(json);
        json.writeStringField("generated_at", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        json.writeBooleanField("complete", true);
        json.writeBooleanField("all_clear", getFindings() == 0);
        if (previous != null) {
            json.writeObjectFieldStart("previous_scan");
            json.writeStringField("scan_started_at", getPreviousScanStartedAt());
            for (String field : new String[] {"scanned", "stale", "revoked", "invalid", "findings"}) {
                json.writeNumberField(field, previous.path(field).asLong());
            }
            json.writeEndObject();
        }
        json.writeFieldName("summary");
        json.writeTree(summary());
        json.writeEndObject();
        json.close();
        files.writeString(htmlTemp, HtmlReport.render(this));
        Files.move(csvTemp, csvFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(htmlTemp, htmlFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(jsonTemp, jsonFile, StandardCopyOption.ATOMIC_MOVE);
        published = true;
    }

    /**
     * Reads the published JSON report's findings back, one at a time: this scan's findings,
     * without holding them in memory (the state store records the new ones from here). The JSON,
     * not the CSV: it holds the values exactly as received, where the CSV guards formulas.
     */
    @Override
    public void read(Reader reader) throws Exception {
        try (JsonParser parser = JSON.createParser(jsonFile.toFile())) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean findings = parser.currentName().equals("findings");
                parser.nextToken();
                if (!findings) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode finding = parser.readValueAsTree();
                    reader.accept(new Finding(text(finding, ReportColumn.REGISTRATION_ID),
                            Reason.valueOf(finding.path(ReportColumn.REASON.header).asText().toUpperCase(Locale.ROOT)),
                            text(finding, ReportColumn.CHANGE), text(finding, ReportColumn.DEVICE_NAME), text(finding, ReportColumn.USER_EMAIL),
                            text(finding, ReportColumn.LAST_SEEN_AT)));
                }
                return;
            }
        }
    }

    private static String text(JsonNode finding, ReportColumn column) {
        JsonNode value = finding.path(column.header);
        return value.isNull() || value.isMissingNode() || value.asText().isEmpty() ? null : value.asText();
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
        return entry;
    }

    private static void spool(SectionSpool section, ObjectNode entry) {
        try {
            section.add(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the report's " + entry.get("change") + " section: " + e, e);
        }
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
        for (Path temp : new Path[] {csvTemp, jsonTemp, htmlTemp}) {
            Files.deleteIfExists(temp);
        }
        for (SectionSpool section : new SectionSpool[] {recovered, gone, excluded}) {
            section.delete();
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
