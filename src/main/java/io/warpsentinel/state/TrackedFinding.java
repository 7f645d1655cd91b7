package io.warpsentinel.state;

import io.warpsentinel.classify.Reason;
import java.time.Instant;

/**
 * One registration that was a finding at the account's last complete scan, or became one in this
 * scan: what the state store keeps between scans, and what the reports' recovered and gone
 * sections show. The names and last-seen time are those of the last scan that changed the row.
 */
public final class TrackedFinding {

    final String registrationId;
    Reason reason;
    final Instant since;
    /** When an alert channel last told someone about it; null: never yet. */
    Instant alertedAt;
    /** When its owner was last sent a notice; null: never. */
    Instant ownerNoticedAt;
    String deviceName;
    String userEmail;
    String lastSeenAt;
    /** This scan's comparison; null until the scan lists the registration (then, at the end, gone). */
    Change change;
    /** Differs from the stored row: saved with an UPDATE. */
    boolean changed;
    /** Due an alert this scan: marked alerted once the alert channels delivered. */
    boolean alertDue;

    TrackedFinding(String registrationId, Reason reason, Instant since, Instant alertedAt, Instant ownerNoticedAt,
                   String deviceName, String userEmail, String lastSeenAt) {
        this.registrationId = registrationId;
        this.reason = reason;
        this.since = since;
        this.alertedAt = alertedAt;
        this.ownerNoticedAt = ownerNoticedAt;
        this.deviceName = deviceName;
        this.userEmail = userEmail;
        this.lastSeenAt = lastSeenAt;
    }

    public String getRegistrationId() {
        return registrationId;
    }

    /** The reason it was a finding (for a recovered or gone one: at the last complete scan). */
    public Reason getReason() {
        return reason;
    }

    public Instant getSince() {
        return since;
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

    /** An owner notice about it was delivered: remembered so the next one waits for the reminder interval. */
    public void ownerNoticed(Instant at) {
        ownerNoticedAt = at;
        changed = true;
    }
}
