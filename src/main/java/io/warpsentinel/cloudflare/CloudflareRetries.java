package io.warpsentinel.cloudflare;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a Cloudflare request that failed is sent again, and after how long: the
 * {@code retryWhile} of the route configurations in error-handling.camel.yaml. Camel asks it
 * after each failed attempt and before any wait, so the wait it decides is checked against the
 * account's deadline first ({@code sentinel.scan-timeout}): one that would end past it is not
 * begun, and the request fails at once, naming the timeout.
 *
 * <ul>
 *   <li>A 429: Retry-After, but never less than {@value #SHORTEST_RATE_LIMIT_WAIT_SECONDS} s nor
 *       than the backoff (a "Retry-After: 0" taken literally is a storm of requests), as long as
 *       the scan's 429 waits stay within {@code sentinel.max-wait}.</li>
 *   <li>A fault that may pass: exponential backoff with jitter, up to
 *       {@code cloudflare.retry.max-retries} times. For a read: a 5xx or 408, a body cut short or
 *       malformed, a connection refused or reset, a timeout, a resolver that could not answer
 *       now. For a write (revoke, delete): only an answer that proves it was not applied, a 5xx
 *       or 408; a write that may have been applied is never sent again.</li>
 *   <li>Anything else fails at once: a refusal, a wrong host, and every local error (an audit
 *       file that cannot be written, a bug): only what Cloudflare said can make a request go twice.</li>
 * </ul>
 */
public final class CloudflareRetries implements Predicate {

    static final long SHORTEST_RATE_LIMIT_WAIT_SECONDS = 1;
    /** The exchange property a write's retry finds the milliseconds it waited in. */
    public static final String WRITE_WAITED = "retryWaited";
    private static final Logger LOG = LoggerFactory.getLogger("fetch-page");

    private final boolean writes;
    private final CloudflareSettings.Backoff backoff;
    private final Duration maxWait;
    private final FailureText failureText;
    private final ScanMetrics metrics;
    private final Clock clock;

    /**
     * @param writes the policy of revokes and deletes ({@code cloudflare-write-retries}); else of pages
     *               and the reads of remediation ({@code cloudflare-retries})
     */
    public CloudflareRetries(boolean writes, CloudflareSettings settings, FailureText failureText, ScanMetrics metrics, Clock clock) {
        this.writes = writes;
        this.backoff = settings.backoff();
        this.maxWait = settings.maxWait();
        this.failureText = failureText;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Whether the failed request is sent again; if so, after the wait it sets. Called with the
     * exchange itself (a {@code ref} predicate: a bean method would get a copy, and its wait
     * would be lost).
     */
    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        PageWalk walk = exchange.getProperty(AccountScan.PROPERTY, AccountScan.class).get(PageWalk.class);
        String what = String.valueOf(exchange.getProperty(CloudflareCalls.REQUEST));
        int retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        Duration wait;
        boolean rateLimited = failure instanceof RateLimitedException;
        if (failure instanceof RateLimitedException limited) {
            wait = longest(limited.retryAfter(), Duration.ofSeconds(SHORTEST_RATE_LIMIT_WAIT_SECONDS), backoff(retry));
        } else if (mayPass(failure, writes) && retry <= backoff.maxRetries()) {
            wait = backoff(retry);
        } else {
            return false;
        }
        if (clock.instant().plus(wait).isAfter(walk.getDeadline())) {
            return givesUp(exchange, walk.timedOut("retrying " + what + " would wait "
                    + wait.toMillis() / 1000.0 + " s past it, after: " + failureText.describe(failure)));
        }
        // counted only once it will be waited: a wait given up on is no wait
        if (rateLimited && !walk.addRateLimitWait(wait, maxWait)) {
            return givesUp(exchange, new CloudflareApiException(429, failureText.describe(failure) + ": waited "
                    + walk.getRateLimitWait().toSeconds() + " s already and Retry-After asks "
                    + ((RateLimitedException) failure).retryAfter().toSeconds() + " s more, past sentinel.max-wait (" + maxWait
                    + "). Another client may be using the same token; lower cloudflare.rate-limit.requests or run the scan later"));
        }
        walk.countRetry();
        metrics.apiRetry(walk.getAccountId(), rateLimited ? "rate_limited" : "transient");
        LOG.warn("Account {}: retrying {} in {} s (retry {}{}) after: {}", walk.getAccountId(), what,
                wait.toMillis() / 1000.0, retry, rateLimited ? "" : " of " + backoff.maxRetries(), failureText.describe(failure));
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        if (writes) {
            // the write route re-checks the registrations after a long wait (the message is reset for the retry: a property)
            exchange.setProperty(WRITE_WAITED, wait.toMillis());
        }
        return true;
    }

    /** Whether a read that failed so may pass when asked again later: rate limited, or a fault that a retry may pass. */
    static boolean mayPassLater(Throwable failure) {
        return failure instanceof RateLimitedException || mayPass(failure, false);
    }

    /**
     * Whether trying again may help. Only the exception itself counts, never a cause: a local
     * error wrapping an IOException (an audit file that cannot be written) is no network fault.
     */
    private static boolean mayPass(Throwable failure, boolean write) {
        if (failure instanceof TransientApiException answered) {
            return !write || provesNotApplied(answered.httpStatus());
        }
        if (write) {
            return false;
        }
        if (failure instanceof UnknownHostException unresolved) {
            // a host that does not resolve is a wrong URL; a resolver that could not answer now (DNS not up yet) may pass
            return String.valueOf(unresolved.getMessage()).contains("Temporary failure");
        }
        return failure instanceof IOException;
    }

    /**
     * Whether an answer with this status says a write was not applied, so that it may be sent
     * again: 429 (rate limited), 408 and 5xx (the request was not processed).
     */
    public static boolean provesNotApplied(int httpStatus) {
        return httpStatus == 429 || httpStatus == 408 || httpStatus >= 500;
    }

    /** The backoff before retry {@code n} (1, 2...): initial-delay doubled each time, at most max-delay, then +/-15% jitter. */
    Duration backoff(int retry) {
        long initial = backoff.initialDelay().toMillis();
        long doubled = initial << Math.min(Math.max(0, retry - 1), 30);
        long delay = Math.min(doubled < initial ? Long.MAX_VALUE : doubled, backoff.maxDelay().toMillis());
        return Duration.ofMillis(Math.round(delay * ThreadLocalRandom.current().nextDouble(0.85, 1.15)));
    }

    private static Duration longest(Duration... waits) {
        Duration longest = Duration.ZERO;
        for (Duration wait : waits) {
            if (wait.compareTo(longest) > 0) {
                longest = wait;
            }
        }
        return longest;
    }

    /** The request fails for good, with {@code why} in place of the fault (the account's catch logs it). */
    private static boolean givesUp(Exchange exchange, RuntimeException why) {
        exchange.setException(why);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, why);
        return false;
    }
}
