package io.warpsentinel.cloudflare;

import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.secrets.FailureText;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs before each retry of a page: counts it, and logs one line naming the account, the page and the fault. */
public final class PageRetryLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("fetch-page");

    private final FailureText failureText;
    private final ScanMetrics metrics;

    public PageRetryLog(FailureText failureText, ScanMetrics metrics) {
        this.failureText = failureText;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        PageWalk walk = exchange.getProperty("walk", PageWalk.class);
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        walk.countRetry();
        metrics.apiRetry(walk.getAccountId(), cause instanceof RateLimitedException ? "rate_limited" : "transient");
        Integer retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        Integer maxRetries = exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, Integer.class);
        LOG.warn("Account {}: retrying page {} from the same cursor (retry {}{}) after: {}", walk.getAccountId(), walk.getPages() + 1,
                retry, maxRetries == null || maxRetries < 0 ? "" : " of " + maxRetries, failureText.describe(cause));
    }
}
