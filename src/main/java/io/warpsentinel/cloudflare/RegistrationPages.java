package io.warpsentinel.cloudflare;

import io.warpsentinel.http.HttpBounds;
import io.warpsentinel.http.ResponseDeadlineException;
import io.warpsentinel.http.ResponseTooLargeException;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the fetch routes call: starts an account's walk with the configured filters, prepares
 * each request (its token and deadline), turns each HTTP answer into a page while moving the
 * walk on, and decides how long a 429 makes it wait.
 */
public final class RegistrationPages {

    /** Cloudflare blocks for up to 5 minutes; without Retry-After, a minute is a fair first wait. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofMinutes(1);
    static final Duration LONGEST_RETRY_AFTER = Duration.ofDays(1);
    private static final Logger PROGRESS = LoggerFactory.getLogger("scan-progress");

    private final RegistrationsPageParser parser;
    private final FailureText failureText;
    private final String authorization;
    private final String filters;
    private final int maxPages;
    private final Duration scanTimeout;
    private final Duration progressInterval;
    private final ScanMetrics metrics;
    private final Clock clock;

    /**
     * @param withPolicy ask for each registration's device policy ({@code include=policy}), which
     *                   exclusions by policy name need
     */
    public RegistrationPages(CloudflareSettings settings, boolean withPolicy, FailureText failureText, ScanMetrics metrics, Clock clock) {
        this.parser = new RegistrationsPageParser(failureText);
        this.failureText = failureText;
        this.authorization = "Bearer " + settings.token();
        this.filters = filters(settings.perPage(), withPolicy);
        this.maxPages = settings.maxPages();
        this.scanTimeout = settings.scanTimeout();
        this.progressInterval = settings.progressInterval();
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The filters every page request repeats, e.g. {@code status=all&per_page=1000}. Cloudflare's
     * {@code status} defaults to {@code active}: without {@code status=all} no revoked registration
     * would ever be listed.
     */
    public static String filters(int perPage, boolean withPolicy) {
        return "status=all&per_page=" + perPage + (withPolicy ? "&include=policy" : "");
    }

    public PageWalk walk(@ExchangeProperty("accountId") String accountId) {
        Instant now = clock.instant();
        return new PageWalk(accountId, filters, maxPages, now, now.plus(scanTimeout));
    }

    /**
     * Called before every request, retries included: counts it, fails the account past the scan's
     * deadline, and sets the request's headers. The token goes straight into the header: read
     * through Camel's properties on every request, it would be printed by Camel's DEBUG log.
     * The answer must be complete by the scan's deadline too ({@link HttpBounds}).
     */
    public void beforeRequest(@ExchangeProperty("walk") PageWalk walk, Exchange exchange) {
        walk.countRequest();
        if (clock.instant().isAfter(walk.getDeadline())) {
            throw scanTimedOut(walk);
        }
        exchange.getMessage().setHeader("Authorization", authorization);
        exchange.getMessage().setHeader(HttpBounds.DEADLINE_HEADER, walk.getDeadline().toEpochMilli());
    }

    private static CloudflareApiException scanTimedOut(PageWalk walk) {
        return scanTimedOut(walk, "it took longer");
    }

    /**
     * The account's scan stopped at its deadline: "The scan of account a was stopped after 12
     * pages at sentinel.scan-timeout (PT2H): it took longer". {@code why} says what would have
     * passed it: "it took longer", or a wait that was not begun.
     */
    static CloudflareApiException scanTimedOut(PageWalk walk, String why) {
        return new CloudflareApiException(0, "The scan of account " + walk.getAccountId() + " was stopped after " + walk.getPages()
                + " pages at sentinel.scan-timeout (" + Duration.between(walk.getStartedAt(), walk.getDeadline()) + "): " + why);
    }

    /**
     * Reads the whole answer (bounded in time and size by {@link HttpBounds}), checks it and
     * returns the page, whose registrations then stream from the buffered answer.
     */
    public RegistrationsPage read(@ExchangeProperty("walk") PageWalk walk,
                                  @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus,
                                  InputStream body) {
        metrics.apiAnswer(walk.getAccountId(), httpStatus);
        PageBody buffered;
        try {
            buffered = PageBody.read(body == null ? InputStream.nullInputStream() : body);
        } catch (ResponseTooLargeException e) {
            throw new CloudflareApiException(httpStatus, "Cloudflare's answer for account " + walk.getAccountId() + " at page "
                    + (walk.getPages() + 1) + " is too large: " + failureText.describe(e));
        } catch (ResponseDeadlineException e) {
            if (clock.instant().isAfter(walk.getDeadline())) {
                throw scanTimedOut(walk);
            }
            throw new TransientApiException(httpStatus, "Cloudflare's answer for account " + walk.getAccountId() + " at page "
                    + (walk.getPages() + 1) + " was too slow: " + failureText.describe(e));
        } catch (IOException e) {
            throw new TransientApiException(httpStatus, "Reading the registrations page of account " + walk.getAccountId()
                    + " failed: " + failureText.describe(e));
        }
        RegistrationsPage page = parser.parse(walk.getAccountId(), httpStatus, buffered, walk::firstSeen);
        walk.fetched(page);
        walk.advance(page);
        Instant now = clock.instant();
        if (!walk.isFinished() && walk.progressDue(now, progressInterval)) {
            Duration elapsed = Duration.between(walk.getStartedAt(), now);
            PROGRESS.info("Account {}: {} pages, {} registrations so far, {}/s, {} s elapsed", walk.getAccountId(), walk.getPages(),
                    String.format("%,d", walk.getRegistrations()),
                    String.format("%,d", walk.getRegistrations() * 1000 / Math.max(1, elapsed.toMillis())), elapsed.toSeconds());
        }
        return page;
    }

    /** A validation's one request: one registration of the account, to prove the token can list them. */
    public void prepareProbe(Exchange exchange) {
        exchange.getMessage().setHeader("Authorization", authorization);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "status=all&per_page=1");
    }

    /** The answer to {@link #prepareProbe}: fails, with Cloudflare's error and a hint, unless it is a page of registrations. */
    public void readProbe(@ExchangeProperty("accountId") String accountId, @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus,
                          InputStream body) throws IOException {
        parser.parse(accountId, httpStatus, PageBody.read(body == null ? InputStream.nullInputStream() : body), id -> true).close();
    }

    /** The account's scan is over, however it ended: its buffered page is freed. */
    public void close(@ExchangeProperty("walk") PageWalk walk) {
        if (walk != null) {
            walk.close();
        }
    }

    /**
     * A 429 (rate limited): the answer's connection goes back to the pool, and the request fails
     * with what Retry-After asked; {@link CloudflareRetries} decides whether, and after how long,
     * it is sent again.
     */
    public void rateLimited(@ExchangeProperty("walk") PageWalk walk, @Header("Retry-After") String retryAfter,
                            InputStream body, Exchange exchange) {
        throw rateLimited(walk.getAccountId(), CloudflareRetries.what(walk, exchange), retryAfter, body);
    }

    /** The failure a 429 answer to {@code what} is, Retry-After read; its body is dropped. */
    public RateLimitedException rateLimited(String accountId, String what, String retryAfter, InputStream body) {
        metrics.apiAnswer(accountId, 429);
        try (InputStream unread = body) {
            // closed unread: the connection goes back to the pool now, not when the account's scan ends
        } catch (IOException | RuntimeException ignored) {
            // the answer is not needed; a connection that cannot be reused is closed
        }
        return new RateLimitedException("Cloudflare answered 429 (rate limited) for account " + accountId + " to " + what
                + (retryAfter == null ? "" : " with Retry-After: " + failureText.clean(retryAfter.strip())), retryAfter(retryAfter));
    }

    /** Retry-After in seconds or as an HTTP date; absent or unreadable means {@link #DEFAULT_RETRY_AFTER}. */
    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        String value = header.strip();
        try {
            // negative, or a date in the past: "now", which CloudflareRetries never takes literally
            // (and a day at most: a wait that long fails the scan anyway, and no sum of waits overflows)
            return Duration.ofSeconds(Math.min(LONGEST_RETRY_AFTER.toSeconds(), Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : until;
            } catch (DateTimeParseException notADate) {
                return DEFAULT_RETRY_AFTER;
            }
        }
    }
}
