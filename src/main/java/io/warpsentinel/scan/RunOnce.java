package io.warpsentinel.scan;

import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.secrets.FailureText;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brackets run-once mode: {@link #begin} marks the run as failed until {@link #finish} knows
 * better, then Camel is stopped, which makes Camel Main return, and
 * {@link io.warpsentinel.WarpSentinel} exits with {@link #exitStatus}. The route calls
 * {@link #finish} however the run ended ({@link #broken} when it broke off), so a run-once
 * process always ends; one stopped half-way (SIGTERM) exits non-zero, never as a success.
 */
public final class RunOnce {

    private static final Logger LOG = LoggerFactory.getLogger(RunOnce.class);

    /** Exit status when an account could not be scanned or reported. */
    public static final int SCAN_FAILED = 1;

    private final FailureText failureText;
    private final Duration longestRun;
    private volatile Integer exitStatus;
    private volatile boolean broken;
    private volatile Thread watchdog;

    /**
     * @param longestRun past this the process is stopped whatever it is doing: the last line of
     *                   defence of "a run-once job always ends" (a fault no catch can reach)
     */
    public RunOnce(FailureText failureText, Duration longestRun) {
        this.failureText = failureText;
        this.longestRun = longestRun;
    }

    public void begin() {
        exitStatus = SCAN_FAILED;
        watchdog = new Thread(() -> {
            try {
                Thread.sleep(longestRun.toMillis());
            } catch (InterruptedException finished) {
                return;
            }
            LOG.error("Run-once scan did not end within {} (every account's sentinel.scan-timeout, and an hour): stopping the process",
                    longestRun);
            Runtime.getRuntime().halt(SCAN_FAILED);
        }, "run-once-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The run itself failed, outside any one account's scan. */
    public void broken(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        broken = true;
        LOG.error("Run-once scan broke off: {}", failureText.describe(cause));
    }

    /** The run is over, however it ended: the exit status is decided, and Camel stopped. */
    public void finish(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("validation") Validation.Checklist validation,
                       CamelContext camelContext) {
        if (watchdog != null) {
            watchdog.interrupt();
        }
        boolean passed = !broken && (validation != null ? validation.isPassed() : run != null && run.isSuccessful());
        exitStatus = passed ? 0 : SCAN_FAILED;
        if (validation != null) {
            LOG.debug("Validation over"); // its checklist said it all
        } else if (passed) {
            LOG.info("Run-once scan finished: every account was scanned and reported");
        } else if (run == null) {
            LOG.error("Run-once scan failed before any account was scanned");
        } else {
            LOG.error("Run-once scan failed: {} (reasons logged above)", run.problems());
        }
        // Stopping the context from one of its own routes would wait for this very exchange.
        Thread stopper = new Thread(() -> {
            try {
                camelContext.stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping Camel after the run-once scan failed: {}", failureText.describe(e));
            }
        }, "run-once-stop");
        stopper.start();
    }

    /** The run-once outcome, or {@code otherwise} when no run-once scan was started. */
    public int exitStatus(int otherwise) {
        Integer status = exitStatus;
        return status == null || otherwise != 0 ? otherwise : status;
    }
}
