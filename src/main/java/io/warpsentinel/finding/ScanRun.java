package io.warpsentinel.finding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One firing of the schedule (or the single run of run-once mode): the instant every account
 * is judged against and the stale threshold that follows from it, and how each account's scan
 * ended.
 */
public final class ScanRun {

    private final Instant startedAt;
    private final String staleAfter;
    private final Instant staleBefore;
    private final Map<String, String> failures = new ConcurrentSkipListMap<>();
    private final Set<String> reported = new ConcurrentSkipListSet<>();
    private final Map<String, String> deliveryFailures = new ConcurrentSkipListMap<>();
    private final Map<String, String> remediationFailures = new ConcurrentSkipListMap<>();

    /**
     * @param startedAt   the run's start, in whole seconds: the reports' file names and timestamps carry the same instant
     * @param staleAfter  the stale-after window as configured, e.g. {@code P30D}
     * @param staleBefore registrations last seen strictly before this are stale
     */
    public ScanRun(Instant startedAt, String staleAfter, Instant staleBefore) {
        this.startedAt = startedAt;
        this.staleAfter = staleAfter;
        this.staleBefore = staleBefore;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getStaleBefore() {
        return staleBefore;
    }

    public String getStaleAfter() {
        return staleAfter;
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

    /** Remediation of an account was halted (sentinel.remediate.halt-above), or an action on one of its registrations failed. */
    public void remediationFailed(String accountId, String reason) {
        remediationFailures.put(accountId, reason);
    }

    /** Why each account that failed did, by account id. */
    public Map<String, String> getFailures() {
        return failures;
    }

    /** Keyed by "account -> channel". */
    public Map<String, String> getDeliveryFailures() {
        return deliveryFailures;
    }

    public Map<String, String> getRemediationFailures() {
        return remediationFailures;
    }

    /**
     * What a scanned account's run left for a person, though its scan completed: its remediation
     * halted or failed, a channel that did not deliver its report; null when nothing. The run
     * history keeps it, so the report index never shows such a run as plainly complete.
     */
    public String attention(String accountId) {
        List<String> parts = new ArrayList<>();
        String remediation = remediationFailures.get(accountId);
        if (remediation != null) {
            parts.add("remediation " + remediation);
        }
        String channelOf = accountId + " -> ";
        deliveryFailures.forEach((key, reason) -> {
            if (key.startsWith(channelOf)) {
                parts.add("not delivered to " + key.substring(channelOf.length()) + ": " + reason);
            }
        });
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** What went wrong, naming only what did: "no complete report for [a]; remediation halted or failed for [b]". */
    public String problems() {
        List<String> problems = new ArrayList<>();
        if (!failures.isEmpty()) {
            problems.add("no complete report for " + failures.keySet());
        }
        if (!deliveryFailures.isEmpty()) {
            problems.add("undelivered: " + deliveryFailures.keySet());
        }
        if (!remediationFailures.isEmpty()) {
            problems.add("remediation halted or failed for " + remediationFailures.keySet());
        }
        return problems.isEmpty() ? "no account was scanned" : String.join("; ", problems);
    }

    /**
     * True only when at least one account was scanned, and every account was scanned, reported
     * and delivered, and its remediation (if any) neither halted nor failed.
     */
    public boolean isSuccessful() {
        return failures.isEmpty() && deliveryFailures.isEmpty() && remediationFailures.isEmpty() && !reported.isEmpty();
    }
}
