package io.warpsentinel.state;

import io.warpsentinel.classify.Reason;
import io.warpsentinel.classify.Verdict;
import io.warpsentinel.cloudflare.Registration;
import io.warpsentinel.report.TopFindings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One account's findings at its last complete scan, compared with this scan's as the
 * registrations stream through: each finding is new or still open (and since when), a previous
 * finding seen again as current has recovered, and one never listed again is gone. It also
 * decides which findings are due an alert or an owner notice. Memory: one small entry per
 * finding of either scan; current registrations cost a map lookup and nothing else.
 */
public final class AccountState {

    private final String accountId;
    private final Instant previousScan;
    private final Instant now;
    private final AlertPolicy policy;
    private final Map<String, TrackedFinding> findings;
    private final List<String> dropped = new ArrayList<>();
    private final List<TrackedFinding> recovered = new ArrayList<>();
    private final List<TrackedFinding> gone = new ArrayList<>();
    private final TopFindings alerts;
    private final List<NoticeDue> noticesDue = new ArrayList<>();
    private long newCount;
    private long stillCount;
    private long alertCount;
    private int deliveredChannels;

    /** A stale finding whose owner is due a notice. */
    public record NoticeDue(Verdict verdict, TrackedFinding finding) {
    }

    /**
     * @param previousScan when the stored state was saved (the last complete scan), null for an account never scanned
     * @param findings     the stored findings by registration id (taken over, not copied)
     */
    AccountState(String accountId, Instant previousScan, Instant now, AlertPolicy policy, Map<String, TrackedFinding> findings) {
        this.accountId = accountId;
        this.previousScan = previousScan;
        this.now = now;
        this.policy = policy;
        this.findings = findings;
        this.alerts = new TopFindings(policy.listLimit());
    }

    /** A registration that is not excluded: returns its verdict with the change, for a finding. */
    public Verdict track(Verdict verdict) {
        Registration registration = verdict.registration();
        String id = registration.id();
        if (!verdict.reason().isFinding()) {
            TrackedFinding previous = id == null ? null : findings.get(id);
            if (previous != null && previous.change == null) {
                previous.change = Change.RECOVERED;
                previous.lastSeenAt = registration.lastSeenAt();
                recovered.add(previous);
            }
            return verdict;
        }
        if (id == null) {
            // no id to remember it by (an invalid record): new on every scan, and alerted each time
            Verdict untracked = verdict.withChange(Change.NEW, now);
            newCount++;
            dueAlert(untracked, null);
            return untracked;
        }
        TrackedFinding finding = findings.get(id);
        if (finding == null) {
            finding = new TrackedFinding(id, verdict.reason(), now, null, null,
                    registration.deviceName(), registration.userEmail(), registration.lastSeenAt());
            finding.change = Change.NEW;
            findings.put(id, finding);
            newCount++;
        } else if (finding.change == null) {
            finding.change = Change.STILL;
            stillCount++;
            if (finding.reason != verdict.reason()) {
                // e.g. a stale registration revoked since: still open, under its new reason
                finding.reason = verdict.reason();
                finding.deviceName = registration.deviceName();
                finding.userEmail = registration.userEmail();
                finding.lastSeenAt = registration.lastSeenAt();
                finding.changed = true;
            }
        }
        Verdict tracked = verdict.withChange(finding.change, finding.since);
        dueAlert(tracked, finding);
        if (policy.ownerNotices() && verdict.reason() == Reason.STALE && registration.userEmail() != null
                && policy.due(finding.ownerNoticedAt, now)) {
            noticesDue.add(new NoticeDue(tracked, finding));
        }
        return tracked;
    }

    private void dueAlert(Verdict verdict, TrackedFinding finding) {
        if (finding == null || policy.due(finding.alertedAt, now)) {
            alertCount++;
            alerts.offer(verdict);
            if (finding != null) {
                finding.alertDue = true;
            }
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
        for (TrackedFinding finding : findings.values()) {
            if (finding.change == null) {
                finding.change = Change.GONE;
                gone.add(finding);
            }
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

    /** An alert channel delivered this account's report. */
    public void channelDelivered() {
        deliveredChannels++;
    }

    /** True when there were alert channels and every one of them delivered: the due findings count as alerted. */
    boolean alertsDelivered(int channels) {
        return channels > 0 && deliveredChannels == channels;
    }

    Collection<TrackedFinding> findings() {
        return findings.values();
    }

    List<String> dropped() {
        return dropped;
    }
}
