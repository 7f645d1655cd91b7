package io.warpsentinel.cloudflare;

import io.warpsentinel.finding.AccountScan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.apache.camel.ExchangeProperty;

/**
 * The one request budget of the process ({@code cloudflare.rate-limit.*}): at most
 * {@code requests} calls to Cloudflare in any window of {@code period}, pages and remediation
 * calls of every account together, because they all spend the same token's limit. A call waits
 * for its place, but never past its account's deadline ({@code sentinel.scan-timeout}): a wait
 * that would end after it is not begun, and the account fails at once, naming the timeout.
 * (Camel's throttle would wait for the place whatever the deadline.)
 */
public final class RequestBudget {

    private final int requests;
    private final Duration period;
    private final Clock clock;
    // when each of the last `requests` places was given, oldest first; a place may lie ahead (booked, waited for)
    private final ArrayDeque<Instant> given = new ArrayDeque<>();

    public RequestBudget(CloudflareSettings.Budget budget, Clock clock) {
        this.requests = budget.requests();
        this.period = budget.period();
        this.clock = clock;
    }

    /** Waits for the request's place in the budget; fails the account's scan, without waiting, when it comes past the deadline. */
    public void take(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) throws InterruptedException {
        Instant place = book(scan.get(PageWalk.class));
        long millis = Duration.between(clock.instant(), place).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private synchronized Instant book(PageWalk walk) {
        Instant now = clock.instant();
        Instant place = now;
        if (given.size() == requests) {
            Instant windowOpens = given.peekFirst().plus(period);
            place = windowOpens.isAfter(now) ? windowOpens : now;
        }
        if (!given.isEmpty() && given.peekLast().isAfter(place)) {
            place = given.peekLast(); // places are given in order: a booked one is never overtaken
        }
        if (place.isAfter(walk.getDeadline())) {
            throw walk.timedOut("its next request would wait " + Duration.between(now, place).toSeconds()
                    + " s for a place in cloudflare.rate-limit.requests (" + requests + " per " + period + ")");
        }
        given.addLast(place);
        if (given.size() > requests) {
            given.removeFirst();
        }
        return place;
    }
}
