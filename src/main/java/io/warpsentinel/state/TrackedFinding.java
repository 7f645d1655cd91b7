package io.warpsentinel.state;

import io.warpsentinel.classify.Reason;
import java.time.Instant;

/**
 * A registration that was a finding at the account's last complete scan, as the state store
 * keeps it, and what this scan makes of it. Kept small (a million-device fleet may hold hundreds
 * of thousands): times are epoch milliseconds, and the names shown for a recovered or gone one
 * are filled in only for those.
 */
public final class TrackedFinding {

    static final long NEVER = Long.MIN_VALUE;

    final String registrationId;
    Reason reason;
    final long since;
    /** When an alert last told someone about it; {@link #NEVER}: not yet. */
    long alertedAt;
    /** When its owner was last sent a notice; {@link #NEVER}: never. */
    long ownerNoticedAt;
    /** This scan's comparison; null until the scan lists the registration (then, at the end, gone). */
    Change change;
    /** Differs from the stored row: saved with an UPDATE. */
    boolean changed;
    /** Due an alert this scan: marked alerted once the alert channels delivered. */
    boolean alertDue;
    String deviceName;
    String userEmail;
    String lastSeenAt;

    TrackedFinding(String registrationId, Reason reason, long since, long alertedAt, long ownerNoticedAt) {
        this.registrationId = registrationId;
        this.reason = reason;
        this.since = since;
        this.alertedAt = alertedAt;
        this.ownerNoticedAt = ownerNoticedAt;
    }

    public String getRegistrationId() {
        return registrationId;
    }

    /** The reason it is a finding (for a recovered or gone one: was, at the last complete scan). */
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

    void describe(String deviceName, String userEmail, String lastSeenAt) {
        this.deviceName = deviceName;
        this.userEmail = userEmail;
        this.lastSeenAt = lastSeenAt;
    }

    static Instant instant(long epochMillis) {
        return epochMillis == NEVER ? null : Instant.ofEpochMilli(epochMillis);
    }
}
