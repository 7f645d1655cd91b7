package io.warpsentinel.report;

import io.warpsentinel.classify.Judge;
import io.warpsentinel.cloudflare.PageWalk;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.DeviceDetails;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.operate.ScanHistory;
import io.warpsentinel.operate.ScanRecord;
import io.warpsentinel.state.AccountState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an account's reports go and how they get there, in one place. Names: per account and
 * run, {@code warp-sentinel-<account id>-<run start, UTC, yyyyMMddTHHmmssZ>} with {@code .csv},
 * {@code .json} and {@code .html}, written first to hidden temporary files
 * ({@code .warp-sentinel-….tmp}). Lifecycle: {@link #lock} takes the account's lock on the
 * folder (a second process scanning the same account into it stops at once, instead of deleting
 * the first one's files), {@link #open} starts the {@link ReportWriter}; {@link #publish} renames the files
 * into place, the CSV first, then the HTML, the JSON last, so a reader never sees half a report;
 * {@link #close} drops what was not published and releases the lock.
 */
public final class ReportFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ReportFiles.class);
    private static final String PREFIX = "warp-sentinel-";
    private static final byte[] JSON_END = "\n}\n".getBytes(StandardCharsets.US_ASCII);
    /** How far back the page's chart of findings by run goes, and how many runs it shows at most (this one included). */
    static final int CHART_DAYS = 90;
    static final int CHART_RUNS = 200;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final int htmlMaxRows;
    private final int messageMaxRows;
    private final boolean csvFormulaGuard;
    private final Duration keep;
    private final ZoneId timeZone;
    private final ScanHistory history;
    private final String requestFilters;
    private final PrivateFiles files;

    /**
     * @param requestFilters the filters every page request repeats, recorded in the JSON report's policy
     */
    public ReportFiles(ReportSettings settings, ScanHistory history, String requestFilters, PrivateFiles files) {
        this.directory = settings.dir();
        this.htmlMaxRows = settings.htmlMaxRows();
        this.messageMaxRows = settings.messageMaxRows();
        this.csvFormulaGuard = settings.csvFormulaGuard();
        this.keep = settings.keep();
        this.timeZone = settings.timeZone();
        this.history = history;
        this.requestFilters = requestFilters;
        this.files = files;
    }

    /** The run's start as it appears in report file names, e.g. {@code 20261127T060000Z}. */
    public static String stamp(Instant runStart) {
        return STAMP.format(runStart);
    }

    /** The files of one account's report of one run: where they end up, and where they are written first. */
    record Names(Path csv, Path json, Path html, Path csvTemp, Path jsonTemp, Path htmlTemp, Path recoveredTemp, Path goneTemp,
                 Path excludedTemp, Path reEnrolledTemp) {

        static Names of(Path directory, String accountId, Instant runStart) {
            String name = PREFIX + accountId + "-" + stamp(runStart);
            return new Names(directory.resolve(name + ".csv"), directory.resolve(name + ".json"), directory.resolve(name + ".html"),
                    temp(directory, name, "csv"), temp(directory, name, "json"), temp(directory, name, "html"),
                    temp(directory, name, "recovered"), temp(directory, name, "gone"), temp(directory, name, "excluded"),
                    temp(directory, name, "re-enrolled"));
        }

        private static Path temp(Path directory, String name, String part) {
            return directory.resolve("." + name + "." + part + ".tmp");
        }

        void deleteTemporaryFiles() throws IOException {
            for (Path temp : new Path[] {csvTemp, jsonTemp, htmlTemp, recoveredTemp, goneTemp, excludedTemp, reEnrolledTemp}) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Starts writing the account's report; the account's lock is held (see {@link #lock}). */
    public ReportWriter open(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        String accountId = scan.getAccountId();
        ScanRun run = scan.getRun();
        try {
            removeLeftovers(accountId);
            return scan.put(ReportWriter.class, new ReportWriter(Names.of(directory, accountId, run.getStartedAt()), accountId, run,
                    requestFilters, htmlMaxRows, messageMaxRows, csvFormulaGuard, scan.get(AccountState.class), files));
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    private UncheckedIOException cannotWrite(IOException e) {
        return new UncheckedIOException("Cannot write reports to " + directory.toAbsolutePath() + " (sentinel.report.dir): " + e, e);
    }

    /**
     * This process's claim on the account's files in the report folder, held from before its
     * finding state is loaded until {@link #close}: a second process scanning the same account
     * into the same folder stops at once, before it reads a state the first is about to change.
     */
    public FileLock lock(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        String accountId = scan.getAccountId();
        Path lockFile = directory.resolve("." + PREFIX + accountId + ".lock");
        FileChannel channel = null;
        try {
            files.folder(directory);
            channel = files.lockFile(lockFile);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("Another scan of account " + accountId + " is running into " + directory.toAbsolutePath()
                        + " (it holds " + lockFile.getFileName() + "); this one stops without touching its files");
            }
            return scan.put(FileLock.class, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw cannotWrite(e);
        }
    }

    /**
     * Deletes the hidden temporary files an earlier run of this account left behind: a process
     * killed mid-scan (SIGKILL, or a shutdown that timed out) never reached its clean-up. Only
     * under the account's lock: a running scan's files are never touched.
     */
    private void removeLeftovers(String accountId) throws IOException {
        // ".warp-sentinel-<account>-<run start>.<part>.tmp": the stamp must parse, or the file is
        // another account's whose id starts with this one's (acc-1 and acc-1-eu)
        String prefix = "." + PREFIX + accountId + "-";
        try (var leftovers = Files.newDirectoryStream(directory, prefix + "*.tmp")) {
            for (Path leftover : leftovers) {
                if (isOfRunBefore(leftover, prefix, Instant.MAX)) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
    }

    /** Finishes the files and moves them into place: CSV, then HTML, then the JSON (with the summary) last. */
    public ReportSummary publish(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) throws IOException {
        ReportWriter report = scan.get(ReportWriter.class);
        PageWalk walk = scan.get(PageWalk.class);
        ReportSummary summary = report.finish(walk.getPages(), walk.getDuplicates(),
                history.lastComplete(report.getAccountId()).orElse(null), scan.get(DeviceDetails.class),
                scan.get(Judge.class).windows().summary(), earlierRuns(scan));
        Names names = report.names();
        try (Writer html = files.newWriter(names.htmlTemp())) {
            // the JSON is complete but not yet in place: it goes last
            HtmlReport.renderFile(summary, timeZone, names.jsonTemp(), html);
        }
        Files.move(names.csvTemp(), names.csv(), StandardCopyOption.ATOMIC_MOVE);
        Files.move(names.htmlTemp(), names.html(), StandardCopyOption.ATOMIC_MOVE);
        Files.move(names.jsonTemp(), names.json(), StandardCopyOption.ATOMIC_MOVE);
        report.published = true;
        return scan.put(ReportSummary.class, summary);
    }

    /**
     * The account's complete scans of the last {@value #CHART_DAYS} days before this one, for the
     * page's chart: at most the latest {@value #CHART_RUNS} (a schedule of more than a few runs a
     * day shows fewer days). Only a picture: a history that cannot be read leaves it out, with a WARN.
     */
    private List<ScanRecord> earlierRuns(AccountScan scan) {
        try {
            return history.completeSince(scan.getAccountId(), scan.getRun().getStartedAt().minus(Duration.ofDays(CHART_DAYS)), CHART_RUNS - 1);
        } catch (RuntimeException e) {
            LOG.warn("Account {}: the report's chart shows this scan only: {}", scan.getAccountId(), e.toString());
            return List.of();
        }
    }

    /**
     * Remediation acted after the reports were published: the HTML page gets its "Actions"
     * section and the JSON report its {@code remediation} summary and {@code actions}, each file
     * written anew beside the published one and renamed over it. The JSON's findings are copied
     * as they are, byte for byte.
     */
    public ReportSummary addRemediation(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        Remediation remediation = scan.get(Remediation.class);
        ReportSummary summary = scan.put(ReportSummary.class, scan.get(ReportSummary.class).with(remediation));
        try {
            rewriteWith(summary, remediation);
        } catch (IOException | RuntimeException e) {
            // the files stay as published; the messages, history and state still say what was done
            LOG.warn("Account {}: the actions could not be added to the published reports (the audit file has them): {}",
                    summary.accountId(), e.toString());
        }
        return summary;
    }

    private void rewriteWith(ReportSummary summary, Remediation remediation) throws IOException {
        Names names = Names.of(directory, summary.accountId(), summary.startedAt());
        try (Writer html = files.newWriter(names.htmlTemp())) {
            HtmlReport.renderFile(summary, timeZone, names.json(), html);
        }
        try (FileChannel in = FileChannel.open(names.json(), StandardOpenOption.READ);
             FileChannel out = files.create(names.jsonTemp())) {
            // the report ends with its summary's line and "\n}\n": the new fields go before the closing brace
            long end = in.size() - JSON_END.length;
            ByteBuffer tail = ByteBuffer.allocate(JSON_END.length);
            in.read(tail, end);
            if (end < 0 || !Arrays.equals(tail.array(), JSON_END)) {
                throw new IOException(names.json() + " does not end as a report does");
            }
            for (long copied = 0; copied < end; ) {
                copied += in.transferTo(copied, end - copied, out);
            }
            out.write(ByteBuffer.wrap(ReportWriter.remediationJson(remediation).getBytes(StandardCharsets.UTF_8)));
        }
        Files.move(names.htmlTemp(), names.html(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(names.jsonTemp(), names.json(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * After a complete scan: removes the account's report files from runs that started longer
     * than {@code sentinel.report.keep} before this one (judged by the run start in their name).
     * Nothing else in the folder is touched.
     */
    public void removeExpired(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        ReportSummary summary = scan.get(ReportSummary.class);
        if (keep == null) {
            return;
        }
        Instant before = summary.startedAt().minus(keep);
        String prefix = PREFIX + summary.accountId() + "-";
        int removed = 0;
        // never fails: the scan is complete and recorded; a file that cannot go is a warning
        try (var reports = Files.newDirectoryStream(directory, prefix + "*.{csv,json,html}")) {
            for (Path report : reports) {
                if (isOfRunBefore(report, prefix, before)) {
                    try {
                        Files.deleteIfExists(report);
                        removed++;
                    } catch (IOException e) {
                        LOG.warn("Account {}: could not remove the old report {} (sentinel.report.keep): {}", summary.accountId(), report, e);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Account {}: could not look for reports older than sentinel.report.keep in {}: {}", summary.accountId(), directory, e);
        }
        if (removed > 0) {
            LOG.info("Account {}: removed {} report file(s) of runs before {} (sentinel.report.keep={})", summary.accountId(), removed,
                    before, keep);
        }
    }

    /**
     * Whether a file named {@code <prefix><run start><suffix>} is a regular file of a run that
     * started before {@code before}; a file whose stamp does not parse is not one of this
     * account's (another account whose id starts with this one's).
     */
    private static boolean isOfRunBefore(Path file, String prefix, Instant before) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.', prefix.length());
        try {
            return dot > 0 && Instant.from(STAMP.parse(name.substring(prefix.length(), dot))).isBefore(before)
                    && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
        } catch (DateTimeException notAReportOfOurs) {
            return false;
        }
    }

    /**
     * The account's scan is over, however it ended: drops an unpublished report (a half-walked
     * account must not look like a finished report) and releases the account's lock. Never
     * fails: it runs on the failure path, which must always reach the end of the run.
     */
    public void close(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        ReportWriter report = scan == null ? null : scan.find(ReportWriter.class);
        FileLock lock = scan == null ? null : scan.find(FileLock.class);
        try {
            if (report != null && !report.published) {
                report.discard();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Account {}: could not delete the unfinished report's temporary files in {}: {} (the next scan of the account "
                    + "removes them)", report.getAccountId(), directory.toAbsolutePath(), e.toString());
        } finally {
            release(lock);
        }
    }

    private static void release(FileLock lock) {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException | RuntimeException ignored) {
                // closing the channel below releases it too
            }
            closeQuietly(lock.channel());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing is written through a lock file
            }
        }
    }
}
