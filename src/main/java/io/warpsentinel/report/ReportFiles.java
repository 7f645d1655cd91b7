package io.warpsentinel.report;

import io.warpsentinel.cloudflare.PageWalk;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.operate.ScanHistory;
import io.warpsentinel.scan.ScanRun;
import io.warpsentinel.state.AccountState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the routes call to open, fill, publish or drop one account's reports in the report folder.
 * An account's scan holds a lock on the folder for as long as it runs: a second process scanning
 * the same account into the same folder stops at once, instead of deleting the first one's
 * unfinished files.
 */
public final class ReportFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ReportFiles.class);

    private final Path directory;
    private final int htmlMaxRows;
    private final boolean csvFormulaGuard;
    private final ScanHistory history;
    private final String requestFilters;
    private final PrivateFiles files;

    /**
     * @param htmlMaxRows     how many findings the HTML page and the messages list before "N more in the CSV"
     * @param csvFormulaGuard whether CSV cells that a spreadsheet would run as formulas get a leading {@code '}
     * @param requestFilters  the filters every page request repeats, recorded in the JSON report's policy
     */
    public ReportFiles(Path directory, int htmlMaxRows, boolean csvFormulaGuard, ScanHistory history, String requestFilters,
                       PrivateFiles files) {
        this.directory = directory;
        this.htmlMaxRows = htmlMaxRows;
        this.csvFormulaGuard = csvFormulaGuard;
        this.history = history;
        this.requestFilters = requestFilters;
        this.files = files;
    }

    public AccountReport open(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("accountId") String accountId,
                              @ExchangeProperty("state") AccountState state) {
        FileLock lock = lock(accountId);
        try {
            removeLeftovers(accountId);
            AccountReport report = new AccountReport(directory, accountId, run, requestFilters, htmlMaxRows, csvFormulaGuard,
                    history.lastComplete(accountId).orElse(null), state, files);
            report.holding(lock);
            return report;
        } catch (IOException e) {
            release(lock);
            throw new UncheckedIOException("Cannot write reports to " + directory.toAbsolutePath() + " (sentinel.report.dir): " + e, e);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    private FileLock lock(String accountId) {
        Path lockFile = directory.resolve(".warp-sentinel-" + accountId + ".lock");
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
            return lock;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot write reports to " + directory.toAbsolutePath() + " (sentinel.report.dir): " + e, e);
        }
    }

    /**
     * Deletes the hidden temporary files an earlier run of this account left behind: a process
     * killed mid-scan (SIGKILL, or a shutdown that timed out) never reached its clean-up. Only
     * under the account's lock: a running scan's files are never touched.
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
        report.publish(walk.getPages(), walk.getDuplicates());
    }

    /**
     * The account's scan is over, however it ended: drops an unpublished report (a half-walked
     * account must not look like a finished report) and releases the account's lock. Never
     * fails: it runs on the failure path, which must always reach the end of the run.
     */
    public void close(@ExchangeProperty("report") AccountReport report) {
        if (report == null) {
            return;
        }
        try {
            if (!report.isPublished()) {
                report.discard();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Account {}: could not delete the unfinished report's temporary files in {}: {} (the next scan of the account "
                    + "removes them)", report.getAccountId(), directory.toAbsolutePath(), e.toString());
        } finally {
            release(report.lock());
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
