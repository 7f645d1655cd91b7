package io.warpsentinel.scan;

import io.warpsentinel.classify.StalePolicy;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/** What the scan routes call to start a run and to record how each account's scan ended. */
public final class ScanRuns {

    private final StalePolicy stalePolicy;
    private final List<String> accountIds;
    private final Clock clock;
    private final FailureText failureText;

    public ScanRuns(StalePolicy stalePolicy, List<String> accountIds, Clock clock, FailureText failureText) {
        this.stalePolicy = stalePolicy;
        this.accountIds = List.copyOf(accountIds);
        this.clock = clock;
        this.failureText = failureText;
    }

    public ScanRun start() {
        return new ScanRun(clock.instant(), stalePolicy);
    }

    public List<String> accountIds() {
        return accountIds;
    }

    public void succeeded(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("accountId") String accountId,
                          @ExchangeProperty("summary") String summary) {
        run.succeeded(accountId, summary);
    }

    /** Records the account's failure and returns it as the line to log. */
    public String failed(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("accountId") String accountId,
                         @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        String reason = failureText.describe(cause);
        run.failed(accountId, reason);
        return reason;
    }
}
