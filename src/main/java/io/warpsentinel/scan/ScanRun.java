package io.warpsentinel.scan;

import io.warpsentinel.classify.StalePolicy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One firing of the schedule (or the single run of run-once mode): the instant every account
 * is judged against, and how each account's scan ended.
 */
public final class ScanRun {

    private static final DateTimeFormatter FILE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Instant startedAt;
    private final StalePolicy stalePolicy;
    private final Instant staleBefore;
    private final Map<String, String> failures = new ConcurrentSkipListMap<>();
    private final Set<String> reported = new ConcurrentSkipListSet<>();
    private final Map<String, String> deliveryFailures = new ConcurrentSkipListMap<>();

    public ScanRun(Instant startedAt, StalePolicy stalePolicy) {
        // Whole seconds: the reports' file names and timestamps carry the same instant.
        this.startedAt = startedAt.truncatedTo(ChronoUnit.SECONDS);
        this.stalePolicy = stalePolicy;
        this.staleBefore = stalePolicy.staleBefore(this.startedAt);
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getStaleBefore() {
        return staleBefore;
    }

    public StalePolicy getStalePolicy() {
        return stalePolicy;
    }

    /** The run's start as it appears in report file names, e.g. {@code 20261127T060000Z}. */
    public String getFileStamp() {
        return FILE_STAMP.format(startedAt);
    }

    public void succeeded(String accountId) {
        reported.add(accountId);
    }

    public void failed(String accountId, String reason) {
        failures.put(accountId, reason);
    }

    /** A channel that could not deliver an account's report, even after its retries. */
    public void deliveryFailed(String accountId, String channel, String reason) {
        deliveryFailures.put(accountId + " -> " + channel, reason);
    }

    public Map<String, String> getFailures() {
        return failures;
    }

    /** Keyed by "account -> channel". */
    public Map<String, String> getDeliveryFailures() {
        return deliveryFailures;
    }

    /** True only when at least one account was scanned, and every account was scanned, reported and delivered. */
    public boolean isSuccessful() {
        return failures.isEmpty() && deliveryFailures.isEmpty() && !reported.isEmpty();
    }
}
