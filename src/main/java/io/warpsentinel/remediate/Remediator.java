package io.warpsentinel.remediate;

import io.warpsentinel.classify.Exclusions;
import io.warpsentinel.classify.Judge;
import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.classify.Rules;
import io.warpsentinel.classify.UsersLastSeen;
import io.warpsentinel.cloudflare.CloudflareApiException;
import io.warpsentinel.cloudflare.CloudflareRequest;
import io.warpsentinel.cloudflare.CloudflareRetries;
import io.warpsentinel.cloudflare.CloudflareUrls;
import io.warpsentinel.cloudflare.RateLimitedException;
import io.warpsentinel.cloudflare.RegistrationCalls;
import io.warpsentinel.cloudflare.RegistrationPages;
import io.warpsentinel.cloudflare.TransientApiException;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.Device;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.finding.Remediation.Outcome;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.remediate.RegistrationCall.Kind;
import io.warpsentinel.remediate.RemediationPlan.Candidate;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.state.AccountState;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the remediation routes call ({@code sentinel.remediate.*}). Safety first: only after a
 * complete scan whose reports are published; never an excluded registration; nothing at all when
 * too large a share of the fleet is due ({@code halt-above}); at most {@code max-per-run}, the
 * longest unseen first, each open at least {@code min-open}; every candidate fetched again just
 * before its write (again after a long wait), and skipped if it was seen since the stale cutoff
 * or is gone; writes with the write token only, in calls of at most 100 ids. The audit file is a
 * write-ahead log: a "pending" line per registration is on disk before its write call goes out,
 * its outcome line follows the answer, and once it cannot be written no write call goes out. A
 * write that may have been applied is never sent again: it is looked at. A dry run does all of
 * it but the writes.
 */
public final class Remediator {

    private static final Logger LOG = LoggerFactory.getLogger("remediate");

    private final RemediateSettings settings;
    private final Exclusions exclusions;
    private final RegistrationCalls calls;
    private final RegistrationPages pages;
    private final CloudflareUrls urls;
    private final AuditLog audit;
    private final FailureText failureText;
    private final ScanMetrics metrics;
    private final Clock clock;

    /**
     * @param exclusions applied again to what the re-check answers: a device renamed into an
     *                   exclusion since the listing is left alone
     * @throws SettingException when remediation is on and its audit file cannot be appended to:
     *                          nothing may be done without its line
     */
    public Remediator(RemediateSettings settings, Exclusions exclusions, CloudflareUrls urls, RegistrationCalls calls, RegistrationPages pages,
                      PrivateFiles files, FailureText failureText, ScanMetrics metrics, Clock clock) {
        this.urls = urls;
        this.settings = settings;
        this.exclusions = exclusions;
        this.calls = calls;
        this.pages = pages;
        this.audit = new AuditLog(settings.auditFile(), files);
        if (settings.enabled() && !audit.looksWritable()) {
            throw new SettingException("sentinel.remediate.audit-file " + settings.auditFile().toAbsolutePath()
                    + " cannot be written, and nothing is ever revoked or deleted without its line in it");
        }
        this.failureText = failureText;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Adds the account's plan, fed by the pages as they stream through; none when remediation is off. */
    public void plan(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        if (settings.enabled()) {
            ScanRun run = scan.getRun();
            Judge judge = scan.get(Judge.class);
            // asked for before the listing, which feeds it: known for every candidate of a user, each offered once the listing is complete
            UsersLastSeen users = settings.keepsLastDevices() ? judge.usersLastSeen() : null;
            scan.put(RemediationPlan.class, new RemediationPlan(scan.getAccountId(), run.getStartedAt(), judge.rules(), settings, users));
        }
    }

    /**
     * The scan is complete and its reports published: the chosen candidates in write calls' worth
     * (at most 100, longest unseen first), or none when too many are due (halt-above, logged as an
     * error). Fails, before anything is done, when the audit file cannot be appended to.
     */
    public List<List<Candidate>> batches(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        RemediationPlan plan = scan.get(RemediationPlan.class);
        audit.check();
        plan.choose();
        if (plan.getHalted() != null) {
            LOG.error("Account {}: remediation halted: {}", plan.getAccountId(), plan.getHalted());
        }
        return plan.batches();
    }

    /** The re-check of each of the batch's candidates still due, just before its write; none once writes have stopped. */
    public List<RegistrationCall> rechecks(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty("batch") List<Candidate> batch) {
        RemediationPlan plan = scan.get(RemediationPlan.class);
        if (plan.getWritesStopped() != null) {
            return List.of();
        }
        return plan.due(batch).stream().map(candidate -> new RegistrationCall(Kind.RECHECK, candidate.action(), List.of(candidate))).toList();
    }

    /**
     * The write call of the batch's candidates the re-check left, its pending lines appended to
     * the audit file and forced to disk first; or null when there is nothing to send: none left,
     * a dry run (each recorded as it would have gone), writes stopped, or the audit file failing
     * now (each recorded as not sent).
     */
    public RegistrationCall write(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty("batch") List<Candidate> batch) {
        RemediationPlan plan = scan.get(RemediationPlan.class);
        List<Candidate> due = plan.due(batch);
        if (due.isEmpty()) {
            return null;
        }
        if (plan.getWritesStopped() != null) {
            record(plan, due, Outcome.FAILED, "not sent: " + plan.getWritesStopped());
            return null;
        }
        if (settings.dryRun()) {
            record(plan, due, Outcome.DONE, null);
            return null;
        }
        // a batch is of one action: revoke-then-delete's deletes and revokes go in calls of their own
        RegistrationCall call = new RegistrationCall(Kind.WRITE, due.get(0).action(), due);
        if (!appendToAudit(plan, entries(plan, due, Outcome.PENDING, null))) {
            record(plan, due, Outcome.FAILED, "not sent: " + plan.getWritesStopped());
            return null;
        }
        plan.sent(due);
        return call;
    }

    /** The call as the cloudflare-call route sends it: a GET of one registration, or a revoke or delete of up to 100. */
    public CloudflareRequest request(@ExchangeProperty("call") RegistrationCall call, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        if (call.isWrite()) {
            List<String> ids = call.candidates().stream().map(Candidate::id).toList();
            return call.action() == Action.REVOKE
                    ? CloudflareRequest.write("POST", urls.registrations(scan.getAccountId(), "revoke", ids), call.toString())
                    : CloudflareRequest.write("DELETE", urls.registrations(scan.getAccountId(), "", ids), call.toString());
        }
        return CloudflareRequest.read(urls.registration(scan.getAccountId(), call.first().id(), pages.withPolicy()), call.toString());
    }

    /**
     * Cloudflare's answer to the call. A write answered 429, 5xx or 408 was not applied: an
     * "error" line says so, and the retry policy may send it again. A write answered otherwise
     * may have been applied: it is done, or (refused, unreadable) it fails and is looked at.
     */
    public void answer(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty("call") RegistrationCall call,
                       @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus, @Header("Retry-After") String retryAfter, InputStream body) {
        RemediationPlan plan = scan.get(RemediationPlan.class);
        String accountId = plan.getAccountId();
        if (httpStatus == 429) {
            RateLimitedException limited = pages.rateLimited(accountId, call.toString(), retryAfter, body);
            if (call.isWrite()) {
                notApplied(plan, call, limited);
            }
            throw limited;
        }
        metrics.apiAnswer(accountId, httpStatus);
        switch (call.kind()) {
            case RECHECK -> {
                Candidate candidate = call.first();
                Registration now = calls.readOne(accountId, candidate.id(), httpStatus, body);
                Skip skipped = skipReason(plan, candidate, now);
                if (skipped != null) {
                    record(plan, List.of(candidate), skipped.outcome(), skipped.detail());
                }
            }
            case WRITE -> {
                try {
                    calls.checkWrite(accountId, call.toString(), httpStatus, body);
                } catch (TransientApiException failed) {
                    if (CloudflareRetries.provesNotApplied(failed.httpStatus())) {
                        notApplied(plan, call, failed);
                    }
                    throw failed;
                }
                record(plan, call.candidates(), Outcome.DONE, null);
            }
            case CONFIRM -> {
                Candidate candidate = call.first();
                Registration now = calls.readOne(accountId, candidate.id(), httpStatus, body);
                boolean applied = call.action() == Action.DELETE ? now == null : now != null && candidate.id().equals(now.id())
                        && RegistrationClassifier.parseTimestamp(now.revokedAt()) != null;
                String failure = plan.unconfirmed().remove(candidate.id());
                record(plan, List.of(candidate), applied ? Outcome.DONE : Outcome.FAILED, applied ? null : failure);
            }
        }
    }

    /** A write Cloudflare did not apply: its registrations may be written again, after an "error" line each. */
    private void notApplied(RemediationPlan plan, RegistrationCall call, RuntimeException answer) {
        plan.notApplied(call.candidates());
        appendToAudit(plan, entries(plan, call.candidates(), Outcome.ERROR, failureText.describe(answer)));
    }

    private record Skip(Outcome outcome, String detail) {
    }

    /**
     * Why a candidate must not be acted on after all, judged on what Cloudflare holds now; null
     * when the action still applies.
     */
    private Skip skipReason(RemediationPlan plan, Candidate candidate, Registration now) {
        if (now == null) {
            return new Skip(Outcome.GONE, null);
        }
        if (!candidate.id().equals(now.id())) {
            return new Skip(Outcome.FAILED, "the re-check answered with registration '" + failureText.clean(String.valueOf(now.id())) + "'");
        }
        String excludedBy = exclusions.ruleFor(now);
        if (excludedBy != null) {
            return new Skip(Outcome.SKIPPED, "excluded (" + excludedBy + ")");
        }
        // seen since the listing: a superseded or never-used registration is in use again, one that
        // revoke-then-delete revoked is no longer unseen since the revoke, and a stale or revoked one
        // is once it was seen since its stale cutoff (its own window's, on the device the listing knew)
        Rules rules = plan.rules();
        Device device = candidate.verdict().device();
        Instant seen = RegistrationClassifier.parseTimestamp(now.lastSeenAt());
        boolean seenSince = seen != null && (candidate.lastSeen() == null || seen.isAfter(candidate.lastSeen()));
        boolean deletingOurRevoke = settings.action() == Action.REVOKE_THEN_DELETE && candidate.action() == Action.DELETE;
        if (seenSince && (candidate.reason() == Reason.SUPERSEDED || candidate.reason() == Reason.NEVER_USED || deletingOurRevoke
                || !seen.isBefore(rules.staleBefore(now, device)))) {
            return new Skip(Outcome.SEEN_AGAIN, null);
        }
        // judged again on the fresh record, against the newer registration and the device the listing knew
        Reason reason = rules.judge(now, candidate.verdict().supersededBy(), device).reason();
        if (settings.stageFor(reason, deletingOurRevoke) == candidate.action()) {
            return null;
        }
        return switch (reason) {
            case CURRENT -> new Skip(Outcome.SEEN_AGAIN, null);
            case REVOKED -> new Skip(Outcome.SKIPPED, "already revoked");
            default -> new Skip(Outcome.SKIPPED, deletingOurRevoke ? "unrevoked since the listing"
                    : "no longer readable as " + candidate.reason().label() + " (" + reason.label() + ")");
        };
    }

    /** A call failed after its retries (or at once, when no retry could help). */
    public void callFailed(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty("call") RegistrationCall call,
                           @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        RemediationPlan plan = scan.get(RemediationPlan.class);
        String reason = failureText.describe(cause);
        switch (call.kind()) {
            case RECHECK -> record(plan, call.candidates(), Outcome.FAILED, "the re-check failed: " + reason);
            case WRITE -> {
                if (cause instanceof CloudflareApiException refused && (refused.httpStatus() == 401 || refused.httpStatus() == 403)) {
                    // once: the batches after it are not sent, and their lines say why
                    LOG.error("Account {}: {} was refused, and no more write calls are made this run: {}", plan.getAccountId(), call,
                            reason);
                    plan.stopWrites("an earlier write was refused: " + reason);
                    record(plan, call.candidates(), Outcome.FAILED, reason);
                } else {
                    // Cloudflare may have applied some ids before failing: each is checked before its outcome is written
                    LOG.warn("Account {}: {} failed: {}; checking each registration", plan.getAccountId(), call, reason);
                    plan.unconfirmed(call.candidates(), reason);
                }
            }
            case CONFIRM -> record(plan, call.candidates(), Outcome.FAILED, plan.unconfirmed().remove(call.first().id()));
        }
    }

    /**
     * Remediation broke off (an Error, the audit file gone before the first write): what was
     * done stays recorded, the rest is not done, and the run fails; delivery and the state's
     * save go on.
     */
    public void broke(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        String reason = failureText.describe(cause);
        LOG.error("Account {}: remediation broke off, nothing more is done this run: {}", scan.getAccountId(), reason);
        scan.getRun().remediationFailed(scan.getAccountId(), "broke off: " + reason);
    }

    /** The registrations of failed writes, each to be fetched again to learn whether the write was applied. */
    public List<RegistrationCall> confirmations(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        RemediationPlan plan = scan.get(RemediationPlan.class);
        return plan.unconfirmed().keySet().stream()
                .map(id -> new RegistrationCall(Kind.CONFIRM, plan.candidate(id).action(), List.of(plan.candidate(id)))).toList();
    }

    /**
     * The remediation is over: the finding state remembers what was done (not in a dry run), the
     * metrics and the run know how it went (halted, failed or unaudited: run-once exits 1), one
     * line sums it up.
     */
    public void finish(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        RemediationPlan plan = scan.get(RemediationPlan.class);
        ScanRun run = scan.getRun();
        AccountState state = scan.get(AccountState.class);
        Remediation result = plan.result(undo(plan));
        String accountId = plan.getAccountId();
        if (!result.dryRun()) {
            result.actions().stream().filter(Remediation.Entry::isDone)
                    .forEach(entry -> state.acted(entry.registration(), entry.action()));
        }
        metrics.remediationHalted(accountId, result.isHalted());
        if (result.isHalted()) {
            run.remediationFailed(accountId, "halted: " + result.halted());
        } else if (plan.getAuditFailure() != null) {
            run.remediationFailed(accountId, "stopped: the audit file " + audit.file().toAbsolutePath() + " could not be written");
            LOG.error("Account {}: remediation ({}) stopped at the audit file {}: {}; no write call went out after that. {}. The "
                            + "outcomes it lacks are in the ERROR lines above and in the reports", accountId, result.action().label(),
                    audit.file().toAbsolutePath(), plan.getAuditFailure(), result.headline());
        } else if (result.failed() > 0) {
            run.remediationFailed(accountId, "failed for " + result.failed() + " registration(s)");
            LOG.error("Account {}: remediation ({}): {}; see {}", accountId, result.action().label(), result.headline(), audit.file());
        } else {
            LOG.info("Account {}: remediation ({}): {}", accountId, result.action().label(), result.headline());
        }
        scan.put(Remediation.class, result);
    }

    /**
     * Cloudflare's unrevoke of the first 100 registrations revoked this run (not in a dry run), for
     * the reports to print; else null. Never one deleted: revoked and not deleted yet.
     */
    private String undo(RemediationPlan plan) {
        List<String> revoked = settings.dryRun() ? List.of() : plan.done(Action.REVOKE);
        return revoked.isEmpty() ? null
                : urls.registrations(plan.getAccountId(), "unrevoke", revoked.subList(0, Math.min(CloudflareUrls.MOST_IDS_PER_CALL, revoked.size())));
    }

    /** The candidates' outcome: kept in the plan (the reports), counted, appended to the audit file. */
    private void record(RemediationPlan plan, List<Candidate> candidates, Outcome outcome, String detail) {
        Instant now = clock.instant();
        List<Remediation.Entry> entries = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Remediation.Entry entry = plan.outcome(candidate, outcome, detail, now);
            entries.add(entry);
            metrics.remediation(plan.getAccountId(), candidate.action().label(), outcome.metric(settings.dryRun()));
        }
        appendToAudit(plan, entries);
    }

    private List<Remediation.Entry> entries(RemediationPlan plan, List<Candidate> candidates, Outcome outcome, String detail) {
        Instant now = clock.instant();
        return candidates.stream().map(candidate -> plan.entry(candidate, outcome, detail, now)).toList();
    }

    /**
     * Appends the lines and forces them to disk. Once that failed, nothing more is appended this
     * run and no write call goes out: each line it would have held is logged at ERROR instead
     * (the reports keep the outcomes). Returns whether the lines are in the file.
     */
    private boolean appendToAudit(RemediationPlan plan, List<Remediation.Entry> entries) {
        if (plan.getAuditFailure() == null) {
            try {
                audit.append(entries.stream().map(entry -> AuditLog.line(plan.getRunStartedAt(), plan.getAccountId(), entry)).toList());
                return true;
            } catch (UncheckedIOException e) {
                plan.auditFailed("the audit file " + audit.file().toAbsolutePath() + " cannot be written ("
                        + failureText.describe(e.getCause()) + ")");
            }
        }
        LOG.error("Account {}: not in the audit file {}: {}", plan.getAccountId(), audit.file().toAbsolutePath(),
                entries.stream().map(entry -> entry.registration().id() + " " + entry.action().label() + " " + entry.outcome())
                        .collect(Collectors.joining("; ")));
        return false;
    }
}
