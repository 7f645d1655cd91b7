package io.warpsentinel.state;

import io.warpsentinel.classify.Reason;
import io.warpsentinel.classify.Verdict;
import io.warpsentinel.cloudflare.Registration;
import io.warpsentinel.report.TopFindings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One account's findings at its last complete scan, compared with this scan's as the
 * registrations stream through: each finding is new or still open (and since when), a previous
 * finding seen again as current has recovered, and one never listed again is gone. It also
 * decides which findings are due an alert or an owner notice.
 *
 * <p>Memory: one small entry per finding of the last complete scan. This scan's new findings
 * are not held: the published CSV lists them, and {@link StateStore#save} reads them from it.
 */
public final class AccountState {

    /** Fills in the names of the gone findings (the store keeps them; memory does not). */
    interface GoneDetails {
        void describe(String accountId, Map<String, TrackedFinding> gone);
    }

    /** A stale finding whose owner is due a notice; {@code finding} is null for a new one. */
    public record NoticeDue(Verdict verdict, TrackedFinding finding) {
    }

    private final String accountId;
    private final Instant previousScan;
    private final Instant now;
    private final AlertPolicy policy;
    private final Map<String, TrackedFinding> findings;
    private final GoneDetails goneDetails;
    private final List<String> dropped = new ArrayList<>();
    private final List<TrackedFinding> recovered = new ArrayList<>();
    private final List<TrackedFinding> gone = new ArrayList<>();
    private final TopFindings alerts;
    private final List<NoticeDue> noticesDue = new ArrayList<>();
    private final Set<String> noticedNew = new HashSet<>();
    private long newCount;
    private long stillCount;
    private long alertCount;
    private long noticesDeferred;
    private int deliveredChannels;

    /**
     * @param previousScan when the last complete scan that saved the state started; null for an account never scanned to the end
     * @param findings     the stored findings by registration id (taken over, not copied)
     */
    AccountState(String accountId, Instant previousScan, Instant now, AlertPolicy policy, Map<String, TrackedFinding> findings,
                 GoneDetails goneDetails) {
        this.accountId = accountId;
        this.previousScan = previousScan;
        this.now = now;
        this.policy = policy;
        this.findings = findings;
        this.goneDetails = goneDetails;
        this.alerts = new TopFindings(policy.listLimit());
    }

    /** A registration that is not excluded: returns its verdict, with the change for a finding. */
    public Verdict track(Verdict verdict) {
        Registration registration = verdict.registration();
        String id = registration.id();
        TrackedFinding previous = id == null ? null : findings.get(id);
        if (!verdict.reason().isFinding()) {
            if (previous != null && previous.change == null) {
                previous.change = Change.RECOVERED;
                previous.describe(registration.deviceName(), registration.userEmail(), registration.lastSeenAt());
                recovered.add(previous);
            }
            return verdict;
        }
        if (previous == null) {
            // new (a record without an id cannot be remembered: it is new every time)
            Verdict tracked = verdict.withChange(Change.NEW, now);
            newCount++;
            dueAlert(tracked);
            dueNotice(tracked, null, TrackedFinding.NEVER);
            return tracked;
        }
        Verdict tracked = verdict.withChange(Change.STILL, previous.getSince());
        if (previous.change != null) {
            return tracked; // listed twice in one scan: counted and alerted once
        }
        previous.change = Change.STILL;
        stillCount++;
        if (previous.reason != verdict.reason()) {
            // e.g. a stale registration revoked since: still open, under its new reason
            previous.reason = verdict.reason();
            previous.changed = true;
        }
        if (policy.due(TrackedFinding.instant(previous.alertedAt), now)) {
            previous.alertDue = true;
            dueAlert(tracked);
        }
        dueNotice(tracked, previous, previous.ownerNoticedAt);
        return tracked;
    }

    private void dueAlert(Verdict verdict) {
        alertCount++;
        alerts.offer(verdict);
    }

    private void dueNotice(Verdict verdict, TrackedFinding finding, long lastNoticed) {
        if (!policy.ownerNotices() || verdict.reason() != Reason.STALE || verdict.registration().userEmail() == null
                || !policy.due(TrackedFinding.instant(lastNoticed), now)) {
            return;
        }
        if (noticesDue.size() < policy.noticesPerRun()) {
            noticesDue.add(new NoticeDue(verdict, finding));
        } else {
            noticesDeferred++;
        }
    }

    /** An excluded registration: a previous finding that is now excluded leaves the state without being called recovered. */
    public void excluded(Verdict verdict) {
        String id = verdict.registration().id();
        TrackedFinding previous = id == null ? null : findings.get(id);
        if (previous != null && previous.change == null) {
            findings.remove(id);
            dropped.add(id);
        }
    }

    /** The walk is over: every previous finding the API did not list again is gone. */
    public void finish() {
        Map<String, TrackedFinding> goneById = new java.util.HashMap<>();
        for (TrackedFinding finding : findings.values()) {
            if (finding.change == null) {
                finding.change = Change.GONE;
                gone.add(finding);
                goneById.put(finding.registrationId, finding);
            }
        }
        if (!goneById.isEmpty()) {
            goneDetails.describe(accountId, goneById);
        }
        gone.sort(java.util.Comparator.comparing(TrackedFinding::getRegistrationId));
    }

    /** The owner notice about this device was delivered: the next waits for the reminder interval. */
    public void ownerNoticed(NoticeDue due) {
        if (due.finding() == null) {
            noticedNew.add(due.verdict().registration().id());
        } else {
            due.finding().ownerNoticedAt = now.toEpochMilli();
            due.finding().changed = true;
        }
    }

    public String getAccountId() {
        return accountId;
    }

    /** When the last complete scan that saved this state started; null for an account never scanned to the end. */
    public Instant getPreviousScan() {
        return previousScan;
    }

    public Instant getScanStartedAt() {
        return now;
    }

    public long getNewCount() {
        return newCount;
    }

    public long getStillCount() {
        return stillCount;
    }

    public List<TrackedFinding> getRecovered() {
        return recovered;
    }

    public List<TrackedFinding> getGone() {
        return gone;
    }

    public AlertPolicy getPolicy() {
        return policy;
    }

    /** Findings due an alert: never alerted yet, or due a reminder. */
    public long getAlertCount() {
        return alertCount;
    }

    /** The first of them in reading order (at most the policy's list limit). */
    public List<Verdict> getAlertFindings() {
        return alerts.inReadingOrder();
    }

    public List<NoticeDue> getNoticesDue() {
        return noticesDue;
    }

    /** Devices due a notice past sentinel.owner-notice.max-per-run: they wait for the next scan. */
    public long getNoticesDeferred() {
        return noticesDeferred;
    }

    /** An alert channel delivered this account's report. */
    public void channelDelivered() {
        deliveredChannels++;
    }

    /** True when there were alert channels and every one of them delivered: the due findings count as alerted. */
    boolean alertsDelivered(int channels) {
        return channels > 0 && deliveredChannels == channels;
    }

    boolean ownerNoticedNew(String registrationId) {
        return noticedNew.contains(registrationId);
    }

    Collection<TrackedFinding> previousFindings() {
        return findings.values();
    }

    List<String> dropped() {
        return dropped;
    }
}
