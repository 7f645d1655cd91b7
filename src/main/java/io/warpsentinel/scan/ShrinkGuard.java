package io.warpsentinel.scan;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.state.AccountState;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet does not halve between two scans; an answer that suddenly lists far fewer
 * registrations (an API fault, {@code result: []}, a token that lost its scope) would otherwise
 * be reported as an all-clear, and would mark every open finding gone. Such a scan is withheld
 * as suspect: no report, the state as it was, the account failed. {@code sentinel.accept-shrink}
 * accepts it for one run, once an admin knows the fleet really shrank.
 */
public final class ShrinkGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ShrinkGuard.class);

    private final double maxShrink;
    private final boolean acceptShrink;
    /** The one run in which a shrink is accepted: the first of this process. */
    private final AtomicReference<ScanRun> acceptingRun = new AtomicReference<>();

    /**
     * @param maxShrink    the largest share of the last complete scan's registrations a scan may lose, 0 to 1
     * @param acceptShrink accept a larger loss in this process's first run
     */
    public ShrinkGuard(double maxShrink, boolean acceptShrink) {
        this.maxShrink = maxShrink;
        this.acceptShrink = acceptShrink;
    }

    /** Called once the walk is over, before anything is published. */
    public void check(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        ScanRun run = scan.getRun();
        AccountState state = scan.get(AccountState.class);
        // the first run to get here is the one accept-shrink speaks for, shrunk or not: a later run never is
        acceptingRun.compareAndSet(null, run);
        // what sentinel.remediate deleted since is a shrink we caused, not a suspect one
        long before = state.getPreviousRegistrations() - state.getDeletedSince();
        long now = state.getScanned();
        if (state.getPreviousRegistrations() <= 0 || now >= before * (1 - maxShrink)) {
            return;
        }
        String counts = String.format("it listed %,d registrations where the last complete scan (%s) listed %,d%s, more than "
                + "sentinel.max-shrink=%s fewer", now, state.getPreviousScan(), state.getPreviousRegistrations(),
                before == state.getPreviousRegistrations() ? "" : String.format(" (%,d after what warp-sentinel deleted)", before), maxShrink);
        if (acceptShrink && acceptingRun.get() == run) {
            LOG.warn("Account {}: {}; accepted for this run (sentinel.accept-shrink=true)", state.getAccountId(), counts);
            return;
        }
        throw new SuspectScanException("Suspect scan withheld: " + counts + ". Nothing was published and the finding state "
                + "is unchanged. If the fleet really shrank, run once with -Dsentinel.accept-shrink=true");
    }

    /** A complete scan that is not trusted enough to publish. */
    public static final class SuspectScanException extends IllegalStateException {
        SuspectScanException(String message) {
            super(message);
        }
    }
}
