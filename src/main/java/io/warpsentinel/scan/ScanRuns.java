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

    public ScanRuns(StalePolicy stalePolicy, List<String> accountIds, Clock clock) {
        this.stalePolicy = stalePolicy;
        this.accountIds = List.copyOf(accountIds);
        this.clock = clock;
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

    public void failed(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("accountId") String accountId,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        run.failed(accountId, cause == null ? "unknown failure" : describe(cause));
    }

    /** The failure as one line for the log: the exception's own message, without a stack trace. */
    public static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
