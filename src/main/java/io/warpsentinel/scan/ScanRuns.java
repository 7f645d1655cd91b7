package io.warpsentinel.scan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.classify.StalePolicy;
import io.warpsentinel.cloudflare.PageWalk;
import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.operate.ScanHealthCheck;
import io.warpsentinel.operate.ScanHistory;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.operate.ScanOutcome;
import io.warpsentinel.report.ReportSummary;
import io.warpsentinel.report.Wording;
import io.warpsentinel.secrets.FailureText;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scan routes call to start a run and to record how each account's scan ended: in the
 * run (exit status), the run history, the metrics and the readiness check, all from one place.
 */
public final class ScanRuns {

    private static final Logger LOG = LoggerFactory.getLogger(ScanRuns.class);
    private static final Logger SUMMARY = LoggerFactory.getLogger("scan-account");

    private final StalePolicy stalePolicy;
    private final List<String> accountIds;
    private final Clock clock;
    private final FailureText failureText;
    private final ScanHistory history;
    private final ScanMetrics metrics;
    private final ScanHealthCheck health;
    private final boolean once;
    private final String instanceId;

    /**
     * @param once       run-once mode, whose end line is {@link RunOnce}'s
     * @param instanceId this process's name (in a cluster, the instance that ran a scan), in the run history
     */
    public ScanRuns(StalePolicy stalePolicy, List<String> accountIds, Clock clock, FailureText failureText,
                    ScanHistory history, ScanMetrics metrics, ScanHealthCheck health, boolean once, String instanceId) {
        this.stalePolicy = stalePolicy;
        this.accountIds = List.copyOf(accountIds);
        this.clock = clock;
        this.failureText = failureText;
        this.history = history;
        this.metrics = metrics;
        this.health = health;
        this.once = once;
        this.instanceId = instanceId;
    }

    /** The run's scan of one account, which every step of it carries ({@link AccountScan#PROPERTY}). */
    public AccountScan account(@ExchangeProperty("run") ScanRun run, @Body String accountId) {
        return new AccountScan(run, accountId);
    }

    public ScanRun start() {
        Instant startedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new ScanRun(startedAt, stalePolicy.toString(), stalePolicy.staleBefore(startedAt));
    }

    public List<String> accountIds() {
        return accountIds;
    }

    /** The account's reports are published and its state saved: records it everywhere and logs its summary. */
    public void completed(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        ScanRun run = scan.getRun();
        ReportSummary report = scan.get(ReportSummary.class);
        PageWalk walk = scan.get(PageWalk.class);
        Instant ended = clock.instant();
        Duration took = Duration.between(walk.getStartedAt(), ended);
        String duplicates = report.duplicates() == 0 ? ""
                : String.format("; Cloudflare listed %,d registration(s) more than once, each counted once", report.duplicates());
        SUMMARY.info("Account {}: {}; {}{}; {} pages, {} requests, {} retries in {} s", report.accountId(), Wording.headline(report),
                Wording.changeCounts(report), duplicates, walk.getPages(), walk.getRequests(), walk.getRetries(),
                String.format("%.1f", took.toMillis() / 1000.0));
        for (Path file : List.of(report.csvFile(), report.htmlFile(), report.jsonFile())) {
            SUMMARY.info("  {}", file);
        }
        run.succeeded(report.accountId());
        ObjectNode entry = entry(run, report.accountId(), walk, ended, ScanOutcome.COMPLETE);
        report.counts().forEach(entry::put);
        entry.put("report_json", report.jsonFile().toString());
        if (report.remediation() != null) {
            entry.putPOJO("remediation", report.remediation().summary());
        }
        String attention = run.attention(report.accountId());
        if (attention != null) {
            entry.put("attention", attention);
        }
        history.append(entry);
        metrics.scanEnded(report.accountId(), took, true, report.byReason(), report.scanned(), ended.getEpochSecond());
        metrics.changes(report.accountId(), report.byChange(), report.excluded());
        metrics.reEnrolled(report.accountId(), report.reEnrolled());
        health.succeeded(report.accountId(), ended.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** The run is over: a scheduled run's end line (run-once mode has its own, with the exit status). */
    public void finished(@ExchangeProperty("run") ScanRun run) {
        if (once) {
            return;
        }
        if (run.isSuccessful()) {
            LOG.info("Scan finished: every account was scanned and reported");
        } else {
            LOG.warn("Scan finished with problems: {} (reasons logged above)", run.problems());
        }
    }

    /** A channel could not deliver the account's report after its retries: the run fails for it. */
    public void deliveryFailed(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty("channel") String channel,
                               @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        scan.getRun().deliveryFailed(scan.getAccountId(), channel, failureText.describe(cause));
    }

    /**
     * The account's scan did not complete: records it and returns the rest of the line to log,
     * which says whether its reports had been published (only the finding state failed) or not.
     * It never fails itself: the run, and every account after this one, must go on whatever
     * broke (the run history may be the very thing that cannot be written).
     */
    public String failed(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        ScanRun run = scan.getRun();
        String accountId = scan.getAccountId();
        PageWalk walk = scan.find(PageWalk.class);
        ReportSummary published = scan.find(ReportSummary.class);
        Instant ended = clock.instant();
        String reason = failureText.describe(cause);
        run.failed(accountId, reason);
        try {
            ObjectNode entry = entry(run, accountId, walk, ended, withheld(cause) ? ScanOutcome.WITHHELD : ScanOutcome.FAILED);
            entry.put("failure", reason);
            history.append(entry);
        } catch (RuntimeException e) {
            LOG.error("Account {}: its failed scan could not be recorded in the run history: {}", accountId, failureText.describe(e));
        }
        try {
            Duration took = Duration.between(walk == null ? run.getStartedAt() : walk.getStartedAt(), ended);
            metrics.scanEnded(accountId, took, false, Map.of(), 0, ended.getEpochSecond());
        } catch (RuntimeException e) {
            LOG.error("Account {}: its failed scan could not be counted in the metrics: {}", accountId, failureText.describe(e));
        }
        health.failed(accountId, reason);
        return published != null
                ? "failed after publishing its reports (they stay; the next scan compares with the state saved before): " + reason
                : "failed and wrote no report: " + reason;
    }

    /** The shrink guard withheld the scan as suspect (the cause as thrown, or wrapped on its way to the catch). */
    private static boolean withheld(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ShrinkGuard.SuspectScanException) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode entry(ScanRun run, String accountId, PageWalk walk, Instant ended, ScanOutcome outcome) {
        ObjectNode entry = history.newEntry();
        entry.put("account_id", accountId);
        entry.put("run_started_at", run.getStartedAt().toString());
        entry.put("ended_at", ended.truncatedTo(ChronoUnit.MILLIS).toString());
        // kept beside the outcome: jq filters and readers written before it was recorded read this flag
        entry.put("complete", outcome == ScanOutcome.COMPLETE);
        entry.put("outcome", outcome.label());
        entry.put("pages", walk == null ? 0 : walk.getPages());
        entry.put("requests", walk == null ? 0 : walk.getRequests());
        entry.put("retries", walk == null ? 0 : walk.getRetries());
        entry.put("instance", instanceId);
        return entry;
    }
}
