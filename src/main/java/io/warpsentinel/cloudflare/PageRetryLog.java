package io.warpsentinel.cloudflare;

import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.secrets.FailureText;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs before each retry of a request to Cloudflare: counts it, and logs one line naming the account, the page (or call) and the fault. */
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
        LOG.warn("Account {}: retrying {} (retry {}{}) after: {}", walk.getAccountId(), what(walk, exchange), retry,
                maxRetries == null || maxRetries < 0 ? "" : " of " + maxRetries, failureText.describe(cause));
    }

    /**
     * What is asked again: the walk's next page, or the call a remediation route names in its
     * {@code call} property ("the revoke of 48 registrations").
     */
    static String what(PageWalk walk, Exchange exchange) {
        Object call = exchange.getProperty("call");
        return call != null ? call.toString() : "page " + (walk.getPages() + 1) + " from the same cursor";
    }
}
