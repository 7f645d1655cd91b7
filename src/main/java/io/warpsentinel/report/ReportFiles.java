package io.warpsentinel.report;

import io.warpsentinel.classify.Verdict;
import io.warpsentinel.cloudflare.PageWalk;
import io.warpsentinel.operate.ScanHistory;
import io.warpsentinel.scan.ScanRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.ExchangeProperty;

/** What the routes call to open, fill, publish or drop one account's reports in the report folder. */
public final class ReportFiles {

    private final Path directory;
    private final int htmlMaxRows;
    private final ScanHistory history;

    /** @param htmlMaxRows how many findings the HTML page and the messages list before "N more in the CSV" */
    public ReportFiles(Path directory, int htmlMaxRows, ScanHistory history) {
        this.directory = directory;
        this.htmlMaxRows = htmlMaxRows;
        this.history = history;
    }

    public Path getDirectory() {
        return directory;
    }

    public AccountReport open(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("accountId") String accountId) {
        try {
            Files.createDirectories(directory);
            return new AccountReport(directory, accountId, run, htmlMaxRows, history.lastComplete(accountId).orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write reports to " + directory.toAbsolutePath()
                    + " (sentinel.report.dir): " + e, e);
        }
    }

    public void record(@ExchangeProperty("report") AccountReport report, Verdict verdict) throws IOException {
        report.record(verdict);
    }

    public void publish(@ExchangeProperty("report") AccountReport report, @ExchangeProperty("walk") PageWalk walk)
            throws IOException {
        report.publish(walk.getPages(), walk.getFilters());
    }

    public void discard(@ExchangeProperty("report") AccountReport report) {
        if (report != null) {
            report.discard();
        }
    }
}
