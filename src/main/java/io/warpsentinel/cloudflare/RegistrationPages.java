package io.warpsentinel.cloudflare;

import io.warpsentinel.finding.AccountScan;
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
 * What the fetch routes call: starts an account's walk with the configured filters, names the
 * request of its next page, and turns each HTTP answer into a page while moving the walk on (a
 * 429 into the failure the retry policy waits out).
 */
public final class RegistrationPages {

    /** Cloudflare blocks for up to 5 minutes; without Retry-After, a minute is a fair first wait. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofMinutes(1);
    static final Duration LONGEST_RETRY_AFTER = Duration.ofDays(1);
    private static final Logger PROGRESS = LoggerFactory.getLogger("scan-progress");

    private final CloudflareUrls urls;
    private final RegistrationsPageParser parser;
    private final FailureText failureText;
    private final String filters;
    private final boolean withPolicy;
    private final int maxPages;
    private final Duration scanTimeout;
    private final Duration progressInterval;
    private final ScanMetrics metrics;
    private final Clock clock;

    /**
     * @param withPolicy ask for each registration's device policy ({@code include=policy}), which
     *                   exclusions by policy name and windows by device profile need
     */
    public RegistrationPages(CloudflareSettings settings, CloudflareUrls urls, boolean withPolicy, FailureText failureText, ScanMetrics metrics,
                             Clock clock) {
        this.urls = urls;
        this.parser = new RegistrationsPageParser(failureText);
        this.failureText = failureText;
        this.filters = filters(settings.perPage(), withPolicy);
        this.withPolicy = withPolicy;
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

    /** Whether the listing asks for each registration's device policy: a re-check of one must too, to judge it alike. */
    public boolean withPolicy() {
        return withPolicy;
    }

    /** Starts the account's walk: its first page is next, its deadline {@code sentinel.scan-timeout} from now. */
    public PageWalk walk(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        Instant now = clock.instant();
        return scan.put(PageWalk.class, new PageWalk(scan.getAccountId(), filters, maxPages, now, now.plus(scanTimeout)));
    }

    /** Whether the walk has read its last page. */
    public boolean walkFinished(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        return scan.get(PageWalk.class).isFinished();
    }

    /** The request of the walk's next page: the filters, and the cursor of the page before. */
    public CloudflareRequest nextRequest(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        PageWalk walk = scan.get(PageWalk.class);
        return CloudflareRequest.read(urls.registrations(scan.getAccountId(), walk.nextQuery()), "page " + (walk.getPages() + 1));
    }

    /**
     * Reads the whole answer (bounded in time and size by {@link HttpBounds}), checks it and
     * returns the page, whose registrations then stream from the buffered answer.
     */
    public RegistrationsPage read(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan,
                                  @ExchangeProperty(CloudflareCalls.REQUEST) CloudflareRequest request,
                                  @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus, @Header("Retry-After") String retryAfter,
                                  InputStream body) {
        PageWalk walk = scan.get(PageWalk.class);
        if (httpStatus == 429) {
            throw rateLimited(walk.getAccountId(), request.what(), retryAfter, body);
        }
        metrics.apiAnswer(walk.getAccountId(), httpStatus);
        PageBody buffered;
        try {
            buffered = PageBody.read(body == null ? InputStream.nullInputStream() : body);
        } catch (ResponseTooLargeException e) {
            throw new CloudflareApiException(httpStatus, "Cloudflare's answer for account " + walk.getAccountId() + " at page "
                    + (walk.getPages() + 1) + " is too large: " + failureText.describe(e));
        } catch (ResponseDeadlineException e) {
            if (clock.instant().isAfter(walk.getDeadline())) {
                throw walk.timedOut("it took longer");
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
    public CloudflareRequest probe(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        return CloudflareRequest.read(urls.registrations(scan.getAccountId(), "status=all&per_page=1"), "one registration");
    }

    /** The answer to {@link #probe}: fails, with Cloudflare's error and a hint, unless it is a page of registrations. */
    public void readProbe(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus,
                          InputStream body) throws IOException {
        parser.parse(scan.getAccountId(), httpStatus, PageBody.read(body == null ? InputStream.nullInputStream() : body), id -> true).close();
    }

    /** The account's scan is over, however it ended: its buffered page is freed. */
    public void close(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        PageWalk walk = scan == null ? null : scan.find(PageWalk.class);
        if (walk != null) {
            walk.close();
        }
    }

    /**
     * The failure a 429 answer to {@code what} is, Retry-After read; its body is dropped, so the
     * connection goes back to the pool now. {@link CloudflareRetries} decides whether, and after
     * how long, the request is sent again.
     */
    public RateLimitedException rateLimited(String accountId, String what, String retryAfter, InputStream body) {
        metrics.apiAnswer(accountId, 429);
        try (InputStream unread = body) {
            // closed unread
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
