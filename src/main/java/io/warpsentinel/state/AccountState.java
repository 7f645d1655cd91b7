package io.warpsentinel.state;

import io.warpsentinel.classify.PreviousListing;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.finding.TopFindings;
import io.warpsentinel.finding.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One account's findings at its last complete scan, compared with this scan's as the
 * registrations stream through: each finding is new or still open (and since when), a previous
 * finding seen again as current has recovered, and one never listed again is gone. It also
 * decides which findings are due an alert or an owner notice, and what each finding's
 * {@link StoredFinding} row holds once the scan is saved: the rules both stores follow.
 *
 * <p>Memory: a compact {@link FindingIndex} entry per finding of the last complete scan. This
 * scan's new findings are not held: the published report lists them, and saving reads them from it.
 */
public final class AccountState implements PreviousListing {

    /**
     * The reasons an owner is told about: a device its owner can do something about (connect it,
     * or say it can go). Not a revoked one (already cut off) nor an invalid record (nobody can
     * say what it is).
     */
    static final Set<Reason> NOTICED = Set.copyOf(EnumSet.of(Reason.STALE, Reason.SUPERSEDED, Reason.NEVER_USED));

    /** Reads the stored findings back from the store, for the gone section. */
    interface StoredFindings {
        void read(String accountId, StateStorage.Rows<StoredFinding> rows);
    }

    /** A finding whose owner is due a notice ({@link #NOTICED}); {@code slot} is its index entry, or -1 for a new one. */
    public record NoticeDue(Verdict verdict, int slot) {
    }

    /**
     * Where the recovered and gone findings, and the registrations enrolled again after a removal,
     * go as they are found: the report's sections.
     */
    public interface Sections {
        void recovered(TrackedFinding finding);

        void gone(TrackedFinding finding);

        void reEnrolled(ReEnrolment registration);
    }

    private final String accountId;
    private final Instant previousScan;
    private final long previousRegistrations;
    private final Instant now;
    private final AlertPolicy policy;
    private final FindingIndex previous;
    private final StoredFindings stored;
    private final Removals removals;
    // the registrations reported as enrolled again: a registration listed twice is reported once
    private final Set<String> reEnrolled = new HashSet<>();
    private Sections sections;
    private final TopFindings<Verdict> alerts;
    private final List<NoticeDue> noticesDue = new ArrayList<>();
    private final Set<String> noticedNew = new HashSet<>();
    // new findings acted on by this scan's remediation (min-open PT0S): at most max-per-run
    private final Map<String, Action> actedNew = new HashMap<>();
    private long scanned;
    private long newCount;
    private long stillCount;
    private long recoveredCount;
    private long goneCount;
    private long alertCount;
    private long noticesDeferred;
    private int deliveredChannels;

    /**
     * @param previousScan          when the last complete scan that saved the state started; null for an account never scanned to the end
     * @param previousRegistrations how many registrations that scan listed; -1 when not known
     * @param removals              the registrations warp-sentinel removed that the state remembers, kept for
     *                              {@code keepRemovals} after its last action on each
     */
    AccountState(String accountId, Instant previousScan, long previousRegistrations, Instant now, AlertPolicy policy, FindingIndex previous,
                 StoredFindings stored, List<StoredRemoval> removals, Duration keepRemovals) {
        this.accountId = accountId;
        this.previousScan = previousScan;
        this.previousRegistrations = previousRegistrations;
        this.now = now;
        this.policy = policy;
        this.previous = previous;
        this.stored = stored;
        this.removals = new Removals(removals, keepRemovals);
        this.alerts = TopFindings.newFirst(policy.listLimit());
    }

    /**
     * A registration that is not excluded: returns its verdict, with the change for a finding.
     * Every registration of the listing passes here, current ones included: one enrolled again
     * after warp-sentinel removed its device's and user's registration goes to the report.
     */
    public Verdict track(Verdict verdict) {
        scanned++;
        Registration registration = verdict.registration();
        removals.listed(registration);
        ReEnrolment again = removals.enrolledAgain(registration);
        if (again != null && reEnrolled.add(registration.id())) {
            sections.reEnrolled(again);
        }
        int slot = previous.find(registration.id());
        if (!verdict.reason().isFinding()) {
            if (slot >= 0 && previous.outcome(slot) == FindingIndex.UNSEEN) {
                previous.outcome(slot, FindingIndex.RECOVERED);
                recoveredCount++;
                sections.recovered(previous.toFinding(slot, registration.id())
                        .as(Change.RECOVERED, registration.deviceName(), registration.userEmail(), registration.lastSeenAt()));
            }
            return verdict;
        }
        if (slot < 0) {
            // new (a record without an id cannot be remembered: it is new every time)
            Verdict tracked = verdict.withChange(Change.NEW, now);
            newCount++;
            dueAlert(tracked);
            dueNotice(tracked, -1, TrackedFinding.NEVER);
            return tracked;
        }
        Verdict tracked = verdict.withChange(Change.STILL, Instant.ofEpochMilli(previous.since(slot)));
        String acted = TrackedFinding.actedNote(previous.acted(slot), previous.actedAt(slot));
        if (acted != null) {
            // a registration revoked by us is listed as revoked now: no surprise, the report says who did it
            if (previous.acted(slot) == Action.REVOKE && verdict.reason() != Reason.REVOKED) {
                acted += ", unrevoked since: never revoked again by warp-sentinel";
            } else if (previous.acted(slot) == Action.DELETE) {
                acted += ", listed again since: never deleted again by warp-sentinel";
            }
            tracked = tracked.withNote(tracked.note() == null ? acted : acted + "; " + tracked.note());
        }
        if (previous.outcome(slot) != FindingIndex.UNSEEN) {
            return tracked; // listed twice in one scan: counted and alerted once
        }
        previous.outcome(slot, FindingIndex.STILL);
        stillCount++;
        if (previous.reason(slot) != verdict.reason()) {
            previous.reason(slot, verdict.reason()); // e.g. a stale registration revoked since: still open, under its new reason
        }
        if (policy.due(TrackedFinding.instant(previous.alertedAt(slot)), now)) {
            previous.markAlertDue(slot);
            dueAlert(tracked);
        }
        dueNotice(tracked, slot, previous.ownerNoticedAt(slot));
        return tracked;
    }

    private void dueAlert(Verdict verdict) {
        alertCount++;
        alerts.offer(verdict);
    }

    private void dueNotice(Verdict verdict, int slot, long lastNoticed) {
        Registration registration = verdict.registration();
        // the skip lists apply before the per-run cap, so skipped devices never take a place; a
        // service token has no person behind its address (non_identity@...)
        if (!policy.ownerNotices() || !NOTICED.contains(verdict.reason()) || registration.isServiceToken()
                || registration.userEmail() == null || registration.userEmail().isBlank()
                || !policy.due(TrackedFinding.instant(lastNoticed), now) || policy.neverNoticed().ruleFor(registration) != null) {
            return;
        }
        if (noticesDue.size() < policy.noticesPerRun()) {
            noticesDue.add(new NoticeDue(verdict, slot));
        } else {
            noticesDeferred++;
        }
    }

    /** An excluded registration: a previous finding that is now excluded leaves the state without being called recovered. */
    public void excluded(Verdict verdict) {
        scanned++;
        int slot = previous.find(verdict.registration().id());
        if (slot >= 0 && previous.outcome(slot) == FindingIndex.UNSEEN) {
            previous.outcome(slot, FindingIndex.DROPPED);
        }
    }

    /** The walk is over: every previous finding the API did not list again is gone; the store says what they were. */
    public void finish() {
        boolean anyGone = false;
        for (int slot = 0; slot < previous.capacity(); slot++) {
            if (previous.used(slot) && previous.outcome(slot) == FindingIndex.UNSEEN) {
                previous.outcome(slot, FindingIndex.GONE);
                anyGone = true;
            }
        }
        if (anyGone) {
            stored.read(accountId, row -> {
                int slot = previous.find(row.registrationId());
                if (slot >= 0 && previous.outcome(slot) == FindingIndex.GONE) {
                    previous.outcome(slot, FindingIndex.DROPPED); // listed once, even if stored twice
                    goneCount++;
                    sections.gone(previous.toFinding(slot, row.registrationId())
                            .as(Change.GONE, row.deviceName(), row.userEmail(), row.lastSeenAt()));
                }
            });
        }
    }

    /** The report receives the recovered and gone findings as they are found. */
    public void listChangesIn(Sections reportSections) {
        this.sections = reportSections;
    }

    /** The owner notice about this device was delivered: the next waits for the reminder interval. */
    public void ownerNoticed(NoticeDue due) {
        if (due.slot() < 0) {
            noticedNew.add(due.verdict().registration().id());
        } else {
            previous.ownerNoticed(due.slot(), now.toEpochMilli());
        }
    }

    /** What sentinel.remediate did to this finding's registration while the finding was open ({@link Action#NONE}: nothing). */
    public Action actedOn(Verdict verdict) {
        if (!verdict.reason().isFinding() || verdict.isExcluded()) {
            return Action.NONE;
        }
        int slot = previous.find(verdict.registration().id());
        return slot >= 0 ? previous.acted(slot) : Action.NONE;
    }

    /**
     * sentinel.remediate revoked or deleted the registration of this finding (not in a dry run):
     * saved with the finding, and remembered as a removal beyond it.
     */
    public void acted(Registration registration, Action action) {
        int slot = previous.find(registration.id());
        if (slot >= 0) {
            previous.acted(slot, action, now.toEpochMilli());
        } else {
            actedNew.put(registration.id(), action);
        }
        removals.acted(registration, action, now.toEpochMilli());
    }

    /**
     * When sentinel.remediate revoked this registration, if that revoke still stands as warp-sentinel's
     * (not undone by a person since, nor followed by a delete); null when it did not, or the state
     * no longer remembers it.
     */
    public Instant revokedByUs(Registration registration) {
        return removals.revokedByUs(registration.id());
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

    /** How many registrations the last complete scan listed; -1 when not known. */
    @Override
    public long getPreviousRegistrations() {
        return previousRegistrations;
    }

    /**
     * Registrations of the last complete scan that sentinel.remediate deleted after it: the fleet
     * is expected to be that much smaller now.
     */
    public long getDeletedSince() {
        long deleted = 0;
        for (int slot = 0; slot < previous.capacity(); slot++) {
            if (previous.used(slot) && previous.acted(slot) == Action.DELETE) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Registrations this scan has listed so far, excluded ones included. */
    public long getScanned() {
        return scanned;
    }

    public long getNewCount() {
        return newCount;
    }

    public long getStillCount() {
        return stillCount;
    }

    public long getRecoveredCount() {
        return recoveredCount;
    }

    public long getGoneCount() {
        return goneCount;
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

    // --- what saving keeps: the rules of the stored rows, the same for every store ---

    /** True when there were alert channels and every one of them delivered: the due findings count as alerted. */
    boolean alertsDelivered(int channels) {
        return channels > 0 && deliveredChannels == channels;
    }

    /**
     * What a stored finding becomes once this scan is saved: null when it leaves the state
     * (recovered, gone, or excluded now), the {@linkplain #stillOpen row of a finding still open},
     * or the row as stored when this scan did not load it: another instance saved it after this
     * scan loaded the state, and judged it, not this scan.
     *
     * @param alerted whether the findings due an alert were delivered to every alert channel
     */
    StoredFinding afterScan(StoredFinding stored, boolean alerted) {
        int slot = previous.find(stored.registrationId());
        if (slot < 0) {
            return stored;
        }
        return previous.outcome(slot) == FindingIndex.STILL ? stillOpen(stored, slot, alerted) : null;
    }

    /**
     * A finding still open: open since it was first found, under the reason it has now (a stale
     * registration revoked since stays open as revoked); alerted now if it was due and the alert
     * was delivered, else when it last was; its owner noticed when this scan or an earlier one did;
     * what remediation did to it, by this scan or an earlier one. It keeps the names it was stored
     * with.
     */
    private StoredFinding stillOpen(StoredFinding stored, int slot, boolean alerted) {
        long alertedAt = alerted && previous.alertDue(slot) ? now.toEpochMilli() : previous.alertedAt(slot);
        return new StoredFinding(stored.registrationId(), previous.reason(slot), previous.since(slot), alertedAt,
                previous.ownerNoticedAt(slot), previous.acted(slot), previous.actedAt(slot),
                stored.deviceName(), stored.userEmail(), stored.lastSeenAt());
    }

    /** What a stored removal becomes once this scan is saved: kept, changed, or null when forgotten ({@link Removals}). */
    StoredRemoval afterScan(StoredRemoval stored) {
        return removals.afterScan(stored, now);
    }

    /** The removals this scan's remediation made of registrations the state did not remember yet. */
    List<StoredRemoval> newRemovals() {
        return removals.newRows();
    }

    /**
     * A new finding of this scan, as its published report lists it: open since this scan; alerted
     * now if the alert was delivered (a new finding is always due one), else never; its owner
     * noticed now if the notice was delivered; remediation's action on it by this scan, if any.
     * Null for a published finding that is not new, or has no id to remember it by.
     *
     * @param alerted whether the findings due an alert were delivered to every alert channel
     */
    StoredFinding newFinding(PublishedFindings.Finding finding, boolean alerted) {
        String id = finding.registrationId();
        if (id == null || !Change.NEW.label().equals(finding.change())) {
            return null;
        }
        long scan = now.toEpochMilli();
        Action acted = actedNew.getOrDefault(id, Action.NONE);
        return new StoredFinding(id, finding.reason(), scan, alerted ? scan : TrackedFinding.NEVER,
                noticedNew.contains(id) ? scan : TrackedFinding.NEVER, acted, acted == Action.NONE ? TrackedFinding.NEVER : scan,
                finding.deviceName(), finding.userEmail(), finding.lastSeenAt());
    }
}
