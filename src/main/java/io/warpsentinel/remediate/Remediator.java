package io.warpsentinel.remediate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.classify.Exclusions;
import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.cloudflare.CloudflareApiException;
import io.warpsentinel.cloudflare.RegistrationCalls;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.finding.Remediation;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.remediate.RegistrationCall.Kind;
import io.warpsentinel.remediate.RemediationPlan.Candidate;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.state.AccountState;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * before the write, and skipped if it was seen since the stale cutoff or is gone; writes with
 * the write token only, in calls of at most 100 ids; every outcome in the audit file before the
 * run goes on. A dry run does all of it but the writes.
 */
public final class Remediator {

    private static final Logger LOG = LoggerFactory.getLogger("remediate");

    private final RemediateSettings settings;
    private final Exclusions exclusions;
    private final RegistrationCalls calls;
    private final AuditLog audit;
    private final FailureText failureText;
    private final ScanMetrics metrics;
    private final Clock clock;
    private final String writeAuthorization;

    /**
     * @param exclusions applied again to what the re-check answers: a device renamed into an
     *                   exclusion since the listing is left alone
     * @throws SettingException when remediation is on and its audit file cannot be appended to:
     *                          nothing may be done without its line
     */
    public Remediator(RemediateSettings settings, Exclusions exclusions, RegistrationCalls calls, PrivateFiles files,
                      FailureText failureText, ScanMetrics metrics, Clock clock) {
        this.settings = settings;
        this.exclusions = exclusions;
        this.calls = calls;
        this.audit = new AuditLog(settings.auditFile(), files);
        if (settings.enabled() && !audit.looksWritable()) {
            throw new SettingException("sentinel.remediate.audit-file " + settings.auditFile().toAbsolutePath()
                    + " cannot be written, and nothing is ever revoked or deleted without its line in it");
        }
        this.failureText = failureText;
        this.metrics = metrics;
        this.clock = clock;
        this.writeAuthorization = "Bearer " + settings.writeToken();
    }

    /** The account's plan, fed by the pages as they stream through; null when remediation is off. */
    public RemediationPlan plan(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("accountId") String accountId) {
        return settings.enabled() ? new RemediationPlan(accountId, run.getStartedAt(), run.getStaleBefore(), settings) : null;
    }

    /**
     * The scan is complete and its reports published: the candidates to re-check, longest unseen
     * first, or none when too many are due (halt-above, logged as an error).
     */
    public List<RegistrationCall> rechecks(@ExchangeProperty("plan") RemediationPlan plan) {
        audit.check();
        List<Candidate> chosen = plan.choose();
        if (plan.getHalted() != null) {
            LOG.error("Account {}: remediation halted: {}", plan.getAccountId(), plan.getHalted());
        }
        return chosen.stream().map(candidate -> new RegistrationCall(Kind.RECHECK, settings.action(), List.of(candidate))).toList();
    }

    /** The request: method and URL, and for a write its token (the read token, set before, stays on the reads). */
    public void prepare(@ExchangeProperty("call") RegistrationCall call, @ExchangeProperty("accountId") String accountId, Exchange exchange) {
        var message = exchange.getMessage();
        if (call.isWrite()) {
            List<String> ids = call.candidates().stream().map(Candidate::id).toList();
            boolean revoke = call.action() == Action.REVOKE;
            message.setHeader(Exchange.HTTP_METHOD, revoke ? "POST" : "DELETE");
            message.setHeader(Exchange.HTTP_URI, calls.bulk(accountId, revoke ? "revoke" : "", ids));
            message.setHeader("Authorization", writeAuthorization);
        } else {
            message.setHeader(Exchange.HTTP_METHOD, "GET");
            message.setHeader(Exchange.HTTP_URI, calls.one(accountId, call.first().id(), exclusions.needsPolicy()));
        }
        message.setBody(call.isWrite() ? "" : null);
    }

    /** Cloudflare's answer to the call. */
    public void answer(@ExchangeProperty("plan") RemediationPlan plan, @ExchangeProperty("call") RegistrationCall call,
                       @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus, InputStream body) {
        String accountId = plan.getAccountId();
        metrics.apiAnswer(accountId, httpStatus);
        switch (call.kind()) {
            case RECHECK -> {
                Candidate candidate = call.first();
                String skipped = skipReason(plan, candidate, calls.readOne(accountId, candidate.id(), httpStatus, body));
                if (skipped != null) {
                    record(plan, List.of(candidate), skipped);
                }
            }
            case WRITE -> {
                calls.checkWrite(accountId, call.toString(), httpStatus, body);
                record(plan, call.candidates(), Remediation.DONE);
            }
            case CONFIRM -> {
                Candidate candidate = call.first();
                Registration now = calls.readOne(accountId, candidate.id(), httpStatus, body);
                boolean applied = call.action() == Action.DELETE ? now == null : now != null && candidate.id().equals(now.id())
                        && RegistrationClassifier.parseTimestamp(now.revokedAt()) != null;
                String failure = plan.unconfirmed().remove(candidate.id());
                record(plan, List.of(candidate), applied ? Remediation.DONE : Remediation.FAILED + failure);
            }
        }
    }

    /**
     * Why a candidate must not be acted on after all, judged on what Cloudflare holds now; null
     * when the action still applies.
     */
    private String skipReason(RemediationPlan plan, Candidate candidate, Registration now) {
        if (now == null) {
            return Remediation.GONE;
        }
        if (!candidate.id().equals(now.id())) {
            return Remediation.FAILED + "the re-check answered with registration '" + failureText.clean(String.valueOf(now.id())) + "'";
        }
        String excludedBy = exclusions.ruleFor(now);
        if (excludedBy != null) {
            return "skipped: excluded (" + excludedBy + ")";
        }
        Instant seen = RegistrationClassifier.parseTimestamp(now.lastSeenAt());
        if (seen != null && !seen.isBefore(plan.getStaleBefore()) && (candidate.lastSeen() == null || seen.isAfter(candidate.lastSeen()))) {
            return Remediation.SEEN_AGAIN;
        }
        Reason reason = RegistrationClassifier.judge(now, plan.getRunStartedAt(), plan.getStaleBefore()).reason();
        if (settings.action().appliesTo(reason)) {
            return null;
        }
        return switch (reason) {
            case CURRENT -> Remediation.SEEN_AGAIN;
            case REVOKED -> "skipped: already revoked";
            default -> "skipped: no longer readable as stale (" + reason.label() + ")";
        };
    }

    /** A call failed after its retries. */
    public void callFailed(@ExchangeProperty("plan") RemediationPlan plan, @ExchangeProperty("call") RegistrationCall call,
                           @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        String reason = failureText.describe(cause);
        switch (call.kind()) {
            case RECHECK -> record(plan, call.candidates(), Remediation.FAILED + "the re-check failed: " + reason);
            case WRITE -> {
                if (cause instanceof CloudflareApiException refused && (refused.httpStatus() == 401 || refused.httpStatus() == 403)) {
                    // once: the batches after it are not sent, and their lines say why
                    LOG.error("Account {}: {} was refused, and no more write calls are made this run: {}", plan.getAccountId(), call,
                            reason);
                    plan.writeRefused(reason);
                    record(plan, call.candidates(), Remediation.FAILED + reason);
                } else {
                    // Cloudflare may have applied some ids before failing: each is checked before its outcome is written
                    LOG.warn("Account {}: {} failed: {}; checking each registration", plan.getAccountId(), call, reason);
                    call.candidates().forEach(candidate -> plan.unconfirmed().put(candidate.id(), reason));
                }
            }
            case CONFIRM -> record(plan, call.candidates(), Remediation.FAILED + plan.unconfirmed().remove(call.first().id()));
        }
    }

    /** The candidates the re-check kept, in write calls of at most 100; in a dry run none, each recorded as it would have gone. */
    public List<RegistrationCall> writes(@ExchangeProperty("plan") RemediationPlan plan) {
        List<Candidate> due = plan.stillDue();
        if (settings.dryRun()) {
            record(plan, due, Remediation.DONE);
            return List.of();
        }
        List<RegistrationCall> batches = new ArrayList<>();
        for (int from = 0; from < due.size(); from += RegistrationCalls.MOST_IDS_PER_CALL) {
            batches.add(new RegistrationCall(Kind.WRITE, settings.action(),
                    due.subList(from, Math.min(due.size(), from + RegistrationCalls.MOST_IDS_PER_CALL))));
        }
        return batches;
    }

    /** A write call not sent because an earlier one was refused for want of permission. */
    public void notSent(@ExchangeProperty("plan") RemediationPlan plan, @ExchangeProperty("call") RegistrationCall call) {
        record(plan, call.candidates(), Remediation.FAILED + "not sent after an earlier write was refused: " + plan.getWriteRefused());
    }

    /**
     * Remediation broke off (an Error, the audit file gone): what was done stays recorded, the
     * rest is not done, and the run fails; delivery and the state's save go on.
     */
    public void broke(@ExchangeProperty("plan") RemediationPlan plan, @ExchangeProperty("run") ScanRun run,
                      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        String reason = failureText.describe(cause);
        LOG.error("Account {}: remediation broke off, nothing more is done this run: {}", plan.getAccountId(), reason);
        run.remediationFailed(plan.getAccountId(), "broke off: " + reason);
    }

    /** The registrations of failed writes, each to be fetched again to learn whether the write was applied. */
    public List<RegistrationCall> confirmations(@ExchangeProperty("plan") RemediationPlan plan) {
        return plan.unconfirmed().keySet().stream()
                .map(id -> new RegistrationCall(Kind.CONFIRM, settings.action(), List.of(plan.candidate(id)))).toList();
    }

    /**
     * The remediation is over: the finding state remembers what was done (not in a dry run), the
     * metrics and the run know how it went (halted or failed: run-once exits 1), one line sums it up.
     */
    public Remediation finish(@ExchangeProperty("plan") RemediationPlan plan, @ExchangeProperty("run") ScanRun run,
                              @ExchangeProperty("state") AccountState state) {
        Remediation result = plan.result();
        String accountId = plan.getAccountId();
        if (!result.dryRun()) {
            result.actions().stream().filter(Remediation.Entry::isDone)
                    .forEach(entry -> state.acted(entry.registration().id(), result.action()));
        }
        metrics.remediationHalted(accountId, result.isHalted());
        if (result.isHalted()) {
            run.remediationFailed(accountId, "halted: " + result.halted());
        } else if (result.failed() > 0) {
            run.remediationFailed(accountId, result.failed() + " action(s) failed");
            LOG.error("Account {}: remediation ({}): {}; see {}", accountId, result.action().label(), result.headline(), audit.file());
        } else {
            LOG.info("Account {}: remediation ({}): {}", accountId, result.action().label(), result.headline());
        }
        return result;
    }

    /** The candidates' outcome: kept in the plan, appended to the audit file, counted. */
    private void record(RemediationPlan plan, List<Candidate> candidates, String outcome) {
        Instant now = clock.instant();
        List<ObjectNode> lines = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Remediation.Entry entry = plan.outcome(candidate, outcome, now);
            lines.add(AuditLog.line(plan.getRunStartedAt(), plan.getAccountId(), entry));
            metrics.remediation(plan.getAccountId(), settings.action().label(), metricOutcome(entry));
        }
        audit.append(lines);
    }

    private String metricOutcome(Remediation.Entry entry) {
        if (entry.isDone()) {
            return settings.dryRun() ? "dry_run" : "done";
        }
        if (entry.isFailed()) {
            return "failed";
        }
        return switch (entry.outcome()) {
            case Remediation.SEEN_AGAIN -> "skipped_seen_again";
            case Remediation.GONE -> "skipped_gone";
            default -> "skipped_other";
        };
    }
}
