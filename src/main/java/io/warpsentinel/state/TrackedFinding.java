package io.warpsentinel.state;

import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
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
    private Change change;
    private String deviceName;
    private String userEmail;
    private String lastSeenAt;

    TrackedFinding(String registrationId, Reason reason, long since) {
        this.registrationId = registrationId;
        this.reason = reason;
        this.since = since;
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
