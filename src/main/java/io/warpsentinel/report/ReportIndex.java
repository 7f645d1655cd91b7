package io.warpsentinel.report;

import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.operate.ScanHistory;
import io.warpsentinel.operate.ScanRecord;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code index.html} in the report folder, the page a person opens first: one row per account of
 * the run history with its latest report (links to the HTML, CSV and JSON that still exist:
 * {@code sentinel.report.keep} removes old ones), that scan's findings by reason and how many were
 * new, when it ran, how the account's last run ended (complete, withheld, failed, and why; for a
 * complete one, what it left for a person: remediation halted or failed, a report not delivered), and
 * its findings over its last {@value #TREND_RUNS} runs. Rewritten from the run history after each
 * account's scan, however it ended, like a report: a private file renamed into place, links
 * relative so that it reads from disk, no script, nothing fetched. Instances of a cluster that
 * share the folder each write it from the history they read: the last one renamed wins.
 */
public final class ReportIndex {

    private static final Logger LOG = LoggerFactory.getLogger(ReportIndex.class);

    public static final String FILE = "index.html";
    /** The runs of an account the index's trend shows. */
    static final int TREND_RUNS = 30;
    // another instance writing the index holds the lock for well under a second
    private static final long LOCK_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(10);

    private static final String STYLE = """
            .status{font-weight:600}.status.complete{color:#116329}.status.withheld{color:#953800}.status.failed{color:#cf222e}
            .why{max-width:36em;color:#656d76;font-size:12px}.why.attention{color:#953800;font-weight:600}
            """;

    private final Path directory;
    private final ZoneId zone;
    private final ScanHistory history;
    private final PrivateFiles files;
    private final Clock clock;

    public ReportIndex(ReportSettings settings, ScanHistory history, PrivateFiles files, Clock clock) {
        this.directory = settings.dir();
        this.zone = settings.timeZone();
        this.history = history;
        this.files = files;
        this.clock = clock;
    }

    /**
     * Writes the index anew. Never fails: the scans and their reports are what matter, so a
     * failure is one WARN, and the next scan writes it again.
     */
    public synchronized void write() {
        Path index = directory.resolve(FILE);
        // a lock of its own between the instances sharing the folder: the temporary file has one name
        try (FileChannel channel = files.lockFile(directory.resolve(".warp-sentinel-index.lock")); FileLock lock = waitFor(channel)) {
            if (lock == null) {
                LOG.warn("The report index {} was not rewritten: another process held its lock for {} s", index.toAbsolutePath(),
                        LOCK_WAIT_MILLIS / 1000);
                return;
            }
            Path temp = directory.resolve(".warp-sentinel-index.html.tmp");
            // left by a process killed while writing; never followed if it is a link
            Files.deleteIfExists(temp);
            try (Writer out = files.newWriter(temp)) {
                page(out, history.latestByAccount(TREND_RUNS));
            }
            Files.move(temp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.warn("The report index {} could not be written (the reports are in place): {}", index.toAbsolutePath(), e.toString());
        }
    }

    private static FileLock waitFor(FileChannel channel) throws IOException {
        long until = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        for (FileLock lock = channel.tryLock(); ; lock = channel.tryLock()) {
            if (lock != null || System.currentTimeMillis() > until) {
                return lock;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private void page(Writer out, Map<String, ScanHistory.AccountRuns> accounts) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>WARP registrations: reports</title><style>" + HtmlReport.STYLE + Charts.STYLE + STYLE + "</style></head><body>\n");
        out.write("<h1>WARP registrations: each account's latest report</h1>\n<p class=\"muted\">From the run history, rewritten after "
                + "every account's scan; this one at " + when(clock.instant()) + " (" + HtmlReport.escapeText(zone.toString()) + ").</p>\n");
        if (accounts.isEmpty()) {
            out.write("<p>No scan is recorded in the run history yet.</p>\n</body></html>\n");
            return;
        }
        Charts.legend(out);
        out.write("<table class=\"index\"><thead><tr><th>account</th><th>last run</th><th>latest report</th><th>findings</th>");
        for (Reason reason : Reason.findings()) {
            out.write("<th>" + reason.label() + "</th>");
        }
        out.write("<th>new</th><th>last " + TREND_RUNS + " runs</th></tr></thead><tbody>\n");
        for (Map.Entry<String, ScanHistory.AccountRuns> account : accounts.entrySet()) {
            row(out, account.getKey(), account.getValue());
        }
        out.write("</tbody></table>\n</body></html>\n");
    }

    private void row(Writer out, String accountId, ScanHistory.AccountRuns runs) throws IOException {
        ScanRecord last = runs.last();
        ScanRecord report = runs.lastComplete();
        out.write("<tr data-account=\"" + HtmlReport.escapeText(accountId) + "\"><td>" + HtmlReport.escapeText(accountId) + "</td>");
        // a complete scan's why is what its run left for a person (remediation halted, a report not delivered)
        String why = last.why() == null ? "" : "<div class=\"why" + (last.isComplete() ? " attention" : "") + "\">"
                + HtmlReport.escapeText(last.why()) + "</div>";
        out.write("<td><span class=\"status " + last.outcome().label() + "\">" + last.outcome().label() + "</span> "
                + when(last.runStartedAt()) + why + "</td>");
        if (report == null) {
            out.write("<td>none complete yet</td>");
            // the findings, each reason's and the new ones: nothing measured
            for (int i = 0; i < Reason.findings().size() + 2; i++) {
                out.write("<td></td>");
            }
        } else {
            out.write("<td>" + when(report.runStartedAt()) + "<br>" + links(accountId, report.runStartedAt()) + "</td>");
            out.write(number(report.findings()));
            for (Reason reason : Reason.findings()) {
                out.write(number(report.count(reason)));
            }
            out.write(number(report.newFindings()));
        }
        out.write("<td>");
        List<Charts.Run> trend = new ArrayList<>();
        for (ScanRecord scan : runs.latest()) {
            trend.add(new Charts.Run(when(scan.runStartedAt()), scan.isComplete() ? scan.byReason() : null,
                    scan.outcome().label() + (scan.why() == null ? "" : ": " + scan.why())));
        }
        Charts.runs(out, "Findings of the last " + trend.size() + " runs", trend, TREND_RUNS, 150, 28, false);
        out.write("</td></tr>\n");
    }

    /** The report's files that exist, as links relative to the index beside them. */
    private String links(String accountId, Instant runStart) {
        ReportFiles.Names names = ReportFiles.Names.of(directory, accountId, runStart);
        List<String> links = new ArrayList<>();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("HTML", names.html());
        files.put("CSV", names.csv());
        files.put("JSON", names.json());
        files.forEach((label, file) -> {
            // a name with a path in it (a history edited by hand) never links out of the folder
            if (directory.equals(file.getParent()) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                links.add("<a href=\"" + HtmlReport.escapeText(file.getFileName().toString()) + "\">" + label + "</a>");
            }
        });
        return links.isEmpty() ? "<span class=\"muted\">its files are removed (sentinel.report.keep)</span>" : String.join(" &middot; ", links);
    }

    private static String number(long count) {
        return "<td class=\"number\">" + String.format("%,d", count) + "</td>";
    }

    private String when(Instant instant) {
        return HtmlReport.WHEN.format(instant.atZone(zone));
    }
}
