package io.warpsentinel.deliver;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.secrets.FailureText;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs before each retry of a delivery: one line naming the account, the channel and the fault. */
public final class DeliveryRetryLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("deliver");

    private final FailureText failureText;

    public DeliveryRetryLog(FailureText failureText) {
        this.failureText = failureText;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("Account {}: retrying {} after: {}", exchange.getProperty(AccountScan.PROPERTY, AccountScan.class).getAccountId(),
                exchange.getProperty("channel"),
                failureText.describe(cause));
    }
}
