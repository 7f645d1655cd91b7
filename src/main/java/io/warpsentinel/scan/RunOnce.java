package io.warpsentinel.scan;

import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends run-once mode: remembers whether the run succeeded and stops Camel, which makes Camel
 * Main return; {@link io.warpsentinel.WarpSentinel} then exits with {@link #exitStatus()}.
 */
public final class RunOnce {

    private static final Logger LOG = LoggerFactory.getLogger(RunOnce.class);

    /** Exit status when an account could not be scanned or reported. */
    public static final int SCAN_FAILED = 1;

    private volatile int exitStatus = SCAN_FAILED;

    public void finish(@ExchangeProperty("run") ScanRun run, CamelContext camelContext) {
        exitStatus = run.isSuccessful() ? 0 : SCAN_FAILED;
        if (exitStatus == 0) {
            LOG.info("Run-once scan finished: every account was scanned and reported");
        } else {
            run.getFailures().forEach((account, reason) -> LOG.error("Run-once scan failed for account {}: {}", account, reason));
        }
        // Stopping the context from one of its own routes would wait for this very exchange.
        Thread stopper = new Thread(() -> {
            try {
                camelContext.stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping Camel after the run-once scan failed: {}", e.getMessage());
            }
        }, "run-once-stop");
        stopper.start();
    }

    public int exitStatus() {
        return exitStatus;
    }
}
