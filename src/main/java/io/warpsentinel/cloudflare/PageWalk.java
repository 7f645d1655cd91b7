package io.warpsentinel.cloudflare;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One account's walk through the cursor pages. Every request repeats the same filters and adds
 * the cursor of the page before. The walk ends on an empty, null or absent cursor or on an
 * empty page (as Cloudflare's SDKs do); a cursor seen before or more pages than allowed end it
 * with an error, because some Cloudflare endpoints have been seen to hand out cursors forever.
 * A failed request does not move the walk: a retry asks for the same cursor again, so no page
 * is skipped or read twice. A registration the API lists again is delivered once, and counted.
 */
public final class PageWalk implements AutoCloseable {

    private final String accountId;
    private final String filters;
    private final int maxPages;
    private final Instant startedAt;
    private final Instant deadline;
    // the requests of the listing and of the device inventory paged beside it, sent side by side
    private Duration rateLimitWait = Duration.ZERO;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private Instant lastProgress;
    private final Set<String> cursorsSeen = new HashSet<>();
    private String cursor;
    private boolean finished;
    private int pages;
    // counted as the pages are classified, while the next page is fetched (and logs progress)
    private volatile long registrations;
    private final SeenIds seenIds = new SeenIds();
    private volatile long duplicates;
    // the page being classified while the next one is fetched, and that next one
    private RegistrationsPage previous;
    private RegistrationsPage current;

    public PageWalk(String accountId, String filters, int maxPages, Instant startedAt, Instant deadline) {
        this.accountId = accountId;
        this.filters = filters;
        this.maxPages = maxPages;
        this.startedAt = startedAt;
        this.deadline = deadline;
        this.lastProgress = startedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    /** Requests sent, retries included. */
    public int getRequests() {
        return requests.get();
    }

    public int getRetries() {
        return retries.get();
    }

    void countRequest() {
        requests.incrementAndGet();
    }

    public void countRetry() {
        retries.incrementAndGet();
    }

    /** True when {@code interval} has passed since the last progress line; the caller then logs one. */
    boolean progressDue(Instant now, Duration interval) {
        if (Duration.between(lastProgress, now).compareTo(interval) < 0) {
            return false;
        }
        lastProgress = now;
        return true;
    }

    public Instant getDeadline() {
        return deadline;
    }

    /**
     * The failure of a scan stopped at its deadline: "The scan of account a was stopped after 12
     * pages at sentinel.scan-timeout (PT2H): it took longer". {@code why} says what would have
     * passed it: "it took longer", or a wait that was not begun.
     */
    public CloudflareApiException timedOut(String why) {
        return new CloudflareApiException(0, "The scan of account " + accountId + " was stopped after " + pages
                + " pages at sentinel.scan-timeout (" + Duration.between(startedAt, deadline) + "): " + why);
    }

    /** How long this walk has waited on 429 answers so far. */
    public synchronized Duration getRateLimitWait() {
        return rateLimitWait;
    }

    /**
     * Adds a wait on a 429 answer to the total unless the total would pass {@code max}; false
     * then. One step, as two requests may be answered 429 at once.
     */
    synchronized boolean addRateLimitWait(Duration wait, Duration max) {
        if (rateLimitWait.plus(wait).compareTo(max) > 0) {
            return false;
        }
        rateLimitWait = rateLimitWait.plus(wait);
        return true;
    }

    public String getAccountId() {
        return accountId;
    }

    public boolean isFinished() {
        return finished;
    }

    public int getPages() {
        return pages;
    }

    /** Registrations delivered so far, each id once. */
    public long getRegistrations() {
        return registrations;
    }

    /** Registrations the API listed again after listing them once: left out, counted here. */
    public long getDuplicates() {
        return duplicates;
    }

    /** True the first time the walk meets {@code id} (and for every record without one); after that it is a duplicate. */
    boolean firstSeen(String id) {
        if (id == null || seenIds.add(id)) {
            registrations++;
            return true;
        }
        duplicates++;
        return false;
    }

    /**
     * The page just fetched. Its buffered answer is freed when the page after the next one comes
     * (the next one is fetched while this one is classified), or when the walk is closed.
     */
    void fetched(RegistrationsPage page) {
        if (previous != null) {
            previous.close();
        }
        previous = current;
        current = page;
    }

    @Override
    public void close() {
        for (RegistrationsPage page : new RegistrationsPage[] {previous, current}) {
            if (page != null) {
                page.close();
            }
        }
        previous = null;
        current = null;
    }

    /** The query string of the next request: the filters, then the cursor when there is one. */
    public String nextQuery() {
        return cursor == null ? filters : filters + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }

    /** Takes the page just read and decides whether another one follows. */
    public void advance(RegistrationsPage page) {
        pages++;
        String next = page.nextCursor();
        if (page.isEmpty() || next == null) {
            finished = true;
            return;
        }
        if (!cursorsSeen.add(next)) {
            throw new CloudflareApiException(0, "Cloudflare returned cursor '" + next + "' for account " + accountId
                    + " a second time after page " + pages + "; stopping instead of looping over the same pages");
        }
        if (pages >= maxPages) {
            throw new CloudflareApiException(0, "Account " + accountId + " still had more pages after " + pages
                    + " pages (sentinel.max-pages=" + maxPages + "); raise sentinel.max-pages if the fleet is that large");
        }
        cursor = next;
    }
}
