package io.warpsentinel.remediate;

import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.classify.Rules;
import io.warpsentinel.classify.UsersLastSeen;
import io.warpsentinel.cloudflare.CloudflareUrls;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * One account's remediation, from the first page to the last audit line. While the pages stream
 * through it counts the registrations and the candidates, and keeps the {@code max-per-run}
 * candidates not seen for the longest (a bounded heap: a fleet of a million costs the same as
 * one of a thousand). A candidate that is its user's most recently seen registration, unseen for
 * no longer than {@code last-device-after}, is kept instead: counted, and the longest unseen of
 * them listed (another bounded heap). Whether a registration is its user's newest is known when
 * it is offered: candidates are findings, offered once the listing is complete, and the account's
 * judge knows each user's newest by then ({@link UsersLastSeen}). After the scan it holds each
 * chosen candidate's outcome.
 */
public final class RemediationPlan {

    /** Longest unseen first; a registration never seen, then the id, for a stable order. */
    static final Comparator<Candidate> LONGEST_UNSEEN = Comparator.comparing(Candidate::lastSeen, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(candidate -> candidate.registration().id());

    /** The order candidates are chosen and written in: revoke-then-delete's deletes of what it revoked earlier first, then longest unseen. */
    static final Comparator<Candidate> ORDER = Comparator.comparing((Candidate candidate) -> candidate.action() != Action.DELETE)
            .thenComparing(LONGEST_UNSEEN);

    /**
     * A finding the action may be taken on, as the scan judged it, with when it was last seen as
     * the listing said, and what is done to it: revoked or deleted (its stage, with revoke-then-delete).
     */
    public record Candidate(Verdict verdict, Instant lastSeen, Action action) {
        public String id() {
            return verdict.registration().id();
        }

        public Registration registration() {
            return verdict.registration();
        }

        public Reason reason() {
            return verdict.reason();
        }
    }

    private final String accountId;
    private final Instant runStartedAt;
    // the run's rules: when a registration is stale, by its own window
    private final Rules rules;
    private final RemediateSettings settings;
    private final PriorityQueue<Candidate> kept;
    // when each user was last seen; null when no user's last device is kept
    private final UsersLastSeen users;
    // a user's newest registration last seen at or after this instant is kept as their last device
    private final Instant lastDeviceCutoff;
    // the kept last devices listed in the reports, the longest unseen of them
    private final PriorityQueue<Candidate> lastDevices;
    private long lastDevicesKept;
    private long scanned;
    // the registrations the action could apply to at all: not excluded, and for a revoke not revoked
    private long applicable;
    private long candidates;
    private long waiting;
    private String halted;
    private final Map<String, Candidate> chosen = new LinkedHashMap<>();
    private final Map<String, Remediation.Entry> outcomes = new LinkedHashMap<>();
    // in a write call that went out and may have been applied: never in another one this run
    private final Set<String> sent = new HashSet<>();
    // why a write failed, per registration, until the check after it says whether it was applied anyway
    private final Map<String, String> unconfirmed = new LinkedHashMap<>();
    // why no more write calls go out this run (a write refused, the audit file broken), or null
    private String writesStopped;
    // why the audit file could not be appended to, or null; nothing more is appended to it this run
    private String auditFailure;

    /** @param users when each user of the account was last seen, complete before the first candidate is offered; null: none is kept */
    RemediationPlan(String accountId, Instant runStartedAt, Rules rules, RemediateSettings settings, UsersLastSeen users) {
        this.accountId = accountId;
        this.runStartedAt = runStartedAt;
        this.rules = rules;
        this.settings = settings;
        this.kept = new PriorityQueue<>(ORDER.reversed());
        this.users = users;
        this.lastDeviceCutoff = runStartedAt.minus(settings.lastDeviceAfter());
        this.lastDevices = new PriorityQueue<>(ORDER.reversed());
    }

    /**
     * A registration as the finding state judged it: counted, and kept if the action applies to
     * it and its turn may come.
     *
     * @param actedBefore what remediation did to it while its finding was open ({@link Action#NONE}:
     *                    nothing); asked only of a registration the action applies to
     * @param revokedByUs when warp-sentinel revoked it, if that revoke still stands, else null; asked
     *                    only of a revoked registration, with revoke-then-delete
     */
    void offer(Verdict verdict, Function<Verdict, Action> actedBefore, Function<Registration, Instant> revokedByUs) {
        scanned++;
        Registration registration = verdict.registration();
        if (verdict.isExcluded()) {
            return;
        }
        Instant ourRevoke = settings.action() == Action.REVOKE_THEN_DELETE && verdict.reason() == Reason.REVOKED
                ? revokedByUs.apply(registration) : null;
        if (settings.action() == Action.DELETE || verdict.reason() != Reason.REVOKED || ourRevoke != null) {
            applicable++;
        }
        Action stage = settings.stageFor(verdict.reason(), ourRevoke != null);
        if (registration.id() == null || stage == null) {
            return;
        }
        Instant lastSeen = RegistrationClassifier.parseTimestamp(registration.lastSeenAt());
        if (ourRevoke != null) {
            // revoke-then-delete: what it revoked, once delete-after has passed, if not seen since the revoke
            if (lastSeen == null || lastSeen.isAfter(ourRevoke) || ourRevoke.plus(settings.deleteAfter()).isAfter(runStartedAt)) {
                return;
            }
        } else if (verdict.reason() == Reason.REVOKED && (lastSeen == null || !lastSeen.isBefore(rules.staleBefore(registration, verdict.device())))) {
            return; // revoked, but seen since the stale cutoff: deleting it (for good) waits until it is stale too
        }
        if (actedBefore.apply(verdict) == stage) {
            return; // done once already and undone by a person (an unrevoke): theirs to decide now, never done again
        }
        candidates++;
        // what it revoked itself is no device to come back to: its delete is not held back
        if (ourRevoke == null && isLastDevice(registration, lastSeen)) {
            lastDevicesKept++;
            keepFirstInOrder(lastDevices, new Candidate(verdict, lastSeen, stage));
            return;
        }
        Instant since = verdict.findingSince();
        // the delete of what it revoked waits delete-after, not min-open: people were alerted before the revoke
        if (ourRevoke == null && (since == null || since.plus(settings.minOpen()).isAfter(runStartedAt))) {
            waiting++;
            return;
        }
        keepFirstInOrder(kept, new Candidate(verdict, lastSeen, stage));
    }

    /** Whether a candidate is its user's most recently seen registration, not unseen for longer than last-device-after. */
    private boolean isLastDevice(Registration registration, Instant lastSeen) {
        return users != null && lastSeen != null && !lastSeen.isBefore(lastDeviceCutoff) && users.isNewest(registration, lastSeen);
    }

    /** Adds the candidate to a heap of the max-per-run first in {@link #ORDER}. */
    private void keepFirstInOrder(PriorityQueue<Candidate> heap, Candidate candidate) {
        heap.offer(candidate);
        if (heap.size() > settings.maxPerRun()) {
            heap.poll();
        }
    }

    /** Why nothing is acted on (halt-above), or null; known once {@link #choose} ran. */
    String getHalted() {
        return halted;
    }

    /**
     * The scan is complete: decides whether to act at all ({@code halt-above}) and on which
     * candidates, longest unseen first. Returns them, or nothing when halted.
     */
    List<Candidate> choose() {
        // of the registrations the action could apply to, not of all scanned: revoked and excluded
        // ones piling up must not make a fleet gone wrong look like a small share
        if (candidates > 0 && candidates > settings.haltAbove() * applicable) {
            halted = String.format("%,d registrations to %s are %.1f%% of the %,d scanned %s, above sentinel.remediate.halt-above (%s): "
                            + "nothing was %s. A wrong clock, a wrong sentinel.stale-after or a change in the API can look like this; "
                            + "if the fleet really is this stale, raise halt-above for one run", candidates, settings.action().label(),
                    100.0 * candidates / applicable, applicable, switch (settings.action()) {
                        case REVOKE -> "that are not revoked or excluded";
                        case REVOKE_THEN_DELETE -> "that are not excluded nor revoked by someone else";
                        default -> "that are not excluded";
                    }, settings.haltAbove(), settings.action().done());
            kept.clear();
            return List.of();
        }
        List<Candidate> inOrder = new ArrayList<>(kept);
        inOrder.sort(ORDER);
        inOrder.forEach(candidate -> chosen.put(candidate.id(), candidate));
        kept.clear();
        return inOrder;
    }

    Candidate candidate(String registrationId) {
        return chosen.get(registrationId);
    }

    /** The chosen candidates in write calls' worth (at most 100 each, one action each), in {@link #ORDER}. */
    List<List<Candidate>> batches() {
        List<Candidate> inOrder = List.copyOf(chosen.values());
        List<List<Candidate>> batches = new ArrayList<>();
        int from = 0;
        for (int to = 1; to <= inOrder.size(); to++) {
            if (to == inOrder.size() || to - from == CloudflareUrls.MOST_IDS_PER_CALL
                    || inOrder.get(to).action() != inOrder.get(from).action()) {
                batches.add(inOrder.subList(from, to));
                from = to;
            }
        }
        return batches;
    }

    /** Records a candidate's outcome; returns the entry, for the audit file. */
    Remediation.Entry outcome(Candidate candidate, Remediation.Outcome outcome, String detail, Instant at) {
        sent.remove(candidate.id());
        Remediation.Entry entry = entry(candidate, outcome, detail, at);
        outcomes.put(candidate.id(), entry);
        return entry;
    }

    /** An entry of the audit file that is no outcome (pending, error). */
    Remediation.Entry entry(Candidate candidate, Remediation.Outcome outcome, String detail, Instant at) {
        return new Remediation.Entry(at, candidate.registration(), candidate.reason(), candidate.action(), settings.dryRun(), outcome, detail);
    }

    /** The batch's candidates still to re-check and write: no outcome yet, in no write call that may have been applied. */
    List<Candidate> due(List<Candidate> batch) {
        return batch.stream().filter(candidate -> !outcomes.containsKey(candidate.id()) && !sent.contains(candidate.id())
                && !unconfirmed.containsKey(candidate.id())).toList();
    }

    /** A write call for them goes out: until Cloudflare proves it was not applied, they are in no other. */
    void sent(List<Candidate> candidates) {
        candidates.forEach(candidate -> sent.add(candidate.id()));
    }

    /** Cloudflare answered that their write was not applied (429, 5xx, 408): they may be written again. */
    void notApplied(List<Candidate> candidates) {
        candidates.forEach(candidate -> sent.remove(candidate.id()));
    }

    /** Their write failed in a way that may have left it applied: each is looked at before its outcome is known. */
    void unconfirmed(List<Candidate> candidates, String reason) {
        candidates.forEach(candidate -> {
            sent.remove(candidate.id());
            unconfirmed.put(candidate.id(), reason);
        });
    }

    /** No more write calls this run; the first reason stays. */
    void stopWrites(String reason) {
        if (writesStopped == null) {
            writesStopped = reason;
        }
    }

    /** Why no more write calls go out this run, or null. */
    public String getWritesStopped() {
        return writesStopped;
    }

    /** The audit file could not be appended to: no write call goes out after this, and nothing more is appended this run. */
    void auditFailed(String reason) {
        auditFailure = reason;
        stopWrites(reason);
    }

    String getAuditFailure() {
        return auditFailure;
    }

    Map<String, String> unconfirmed() {
        return unconfirmed;
    }

    /** The registrations revoked, or deleted ({@code stage}), or in a dry run that would have been, in {@link #ORDER}. */
    List<String> done(Action stage) {
        return chosen.values().stream().filter(candidate -> candidate.action() == stage && outcomes.containsKey(candidate.id())
                && outcomes.get(candidate.id()).isDone()).map(Candidate::id).toList();
    }

    /** @param undo Cloudflare's call that undoes what was done, for the reports to print; null when there is none */
    Remediation result(String undo) {
        List<Remediation.Entry> entries = new ArrayList<>();
        for (Candidate candidate : chosen.values()) {
            Remediation.Entry entry = outcomes.get(candidate.id());
            if (entry != null) {
                entries.add(entry);
            }
        }
        long overCap = Math.max(0, candidates - waiting - lastDevicesKept - chosen.size());
        List<Candidate> lastDevicesListed = new ArrayList<>(lastDevices);
        lastDevicesListed.sort(ORDER);
        List<Remediation.Kept> keptLastDevices = lastDevicesListed.stream().map(candidate -> new Remediation.Kept(candidate.registration(),
                candidate.reason(), candidate.lastSeen().plus(settings.lastDeviceAfter()))).toList();
        return new Remediation(settings.action(), settings.dryRun(), candidates, waiting, lastDevicesKept, halted == null ? overCap : 0,
                halted, List.copyOf(entries), keptLastDevices, undo,
                settings.action() == Action.REVOKE_THEN_DELETE ? settings.deleteAfterText() : null);
    }

    public String getAccountId() {
        return accountId;
    }

    Instant getRunStartedAt() {
        return runStartedAt;
    }

    Rules rules() {
        return rules;
    }

    RemediateSettings settings() {
        return settings;
    }
}
