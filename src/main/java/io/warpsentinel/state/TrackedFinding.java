package io.warpsentinel.state;

import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation.Action;
import java.time.Instant;

/**
 * A finding of the account's last complete scan that this scan found recovered or gone: what
 * the reports' change sections list. The names and last-seen time of a recovered one are those
 * listed now; of a gone one, those the store kept.
 */
public final class TrackedFinding {

    static final long NEVER = Long.MIN_VALUE;

    private final String registrationId;
    private final Reason reason;
    private final long since;
    private final Action acted;
    private final long actedAt;
    private Change change;
    private String deviceName;
    private String userEmail;
    private String lastSeenAt;

    TrackedFinding(String registrationId, Reason reason, long since, Action acted, long actedAt) {
        this.registrationId = registrationId;
        this.reason = reason;
        this.since = since;
        this.acted = acted;
        this.actedAt = actedAt;
    }

    public String getRegistrationId() {
        return registrationId;
    }

    /** The reason it was a finding at the last complete scan. */
    public Reason getReason() {
        return reason;
    }

    public Instant getSince() {
        return Instant.ofEpochMilli(since);
    }

    public String getDeviceName() {
        return deviceName;
    }

    public String getUserEmail() {
        return userEmail;
    }

    public String getLastSeenAt() {
        return lastSeenAt;
    }

    /** What warp-sentinel did to it, e.g. "deleted by warp-sentinel at 2026-11-28T06:00:00Z", or null. */
    public String getActed() {
        return actedNote(acted, actedAt);
    }

    static String actedNote(Action action, long at) {
        return action == Action.NONE ? null : action.done() + " by warp-sentinel at " + Instant.ofEpochMilli(at);
    }

    public Change getChange() {
        return change;
    }

    TrackedFinding as(Change outcome, String deviceName, String userEmail, String lastSeenAt) {
        this.change = outcome;
        this.deviceName = deviceName;
        this.userEmail = userEmail;
        this.lastSeenAt = lastSeenAt;
        return this;
    }

    static Instant instant(long epochMillis) {
        return epochMillis == NEVER ? null : Instant.ofEpochMilli(epochMillis);
    }
}
