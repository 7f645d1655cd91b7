package io.warpsentinel.cloudflare;

import io.warpsentinel.scan.FailureText;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs before each retry of a page: one line naming the account, the page, the fault and the count. */
public final class RetryLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("fetch-page");

    private final FailureText failureText;

    public RetryLog(FailureText failureText) {
        this.failureText = failureText;
    }

    @Override
    public void process(Exchange exchange) {
        PageWalk walk = exchange.getProperty("walk", PageWalk.class);
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        Integer maxRetries = exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, Integer.class);
        LOG.warn("Account {}: retrying page {} from the same cursor (retry {}{}) after: {}",
                walk == null ? "?" : walk.getAccountId(), walk == null ? "?" : walk.getPages() + 1, retry,
                maxRetries == null || maxRetries < 0 ? "" : " of " + maxRetries,
                failureText.describe(cause));
    }
}
