package io.warpsentinel.report;

import io.warpsentinel.cloudflare.PageWalk;
import io.warpsentinel.operate.ScanHistory;
import io.warpsentinel.scan.ScanRun;
import io.warpsentinel.state.AccountState;
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
    private final String requestFilters;

    /**
     * @param htmlMaxRows how many findings the HTML page and the messages list before "N more in the CSV"
     * @param requestFilters the filters every page request repeats, recorded in the JSON report's policy
     */
    public ReportFiles(Path directory, int htmlMaxRows, ScanHistory history, String requestFilters) {
        this.directory = directory;
        this.htmlMaxRows = htmlMaxRows;
        this.history = history;
        this.requestFilters = requestFilters;
    }

    public AccountReport open(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("accountId") String accountId,
                              @ExchangeProperty("state") AccountState state) {
        try {
            Files.createDirectories(directory);
            removeLeftovers(accountId);
            return new AccountReport(directory, accountId, run, requestFilters, htmlMaxRows, history.lastComplete(accountId).orElse(null),
                    state);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write reports to " + directory.toAbsolutePath()
                    + " (sentinel.report.dir): " + e, e);
        }
    }

    /**
     * Deletes the hidden temporary files an earlier run of this account left behind: a process
     * killed mid-scan (SIGKILL, or a shutdown that timed out) never reached its clean-up.
     */
    private void removeLeftovers(String accountId) throws IOException {
        try (var leftovers = Files.newDirectoryStream(directory, ".warp-sentinel-" + accountId + "-*.tmp")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    public void publish(@ExchangeProperty("report") AccountReport report, @ExchangeProperty("walk") PageWalk walk)
            throws IOException {
        report.publish(walk.getPages());
    }

    public void discard(@ExchangeProperty("report") AccountReport report) {
        if (report != null) {
            report.discard();
        }
    }
}
