package io.warpsentinel.operate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.apache.camel.CamelContext;

/**
 * The project's own meters, labelled by account (never by anything secret), published by Camel's
 * Micrometer registry at /observe/metrics, or pushed at the end of a run-once scan by
 * {@link MetricsPush} from the registry bound for it. Without either (run-once mode, no push)
 * they go to an in-memory registry that nobody reads.
 */
public final class ScanMetrics {

    private static final String LAST_SUCCESS = "When the account's last complete scan ended (Unix seconds); 0 until it first succeeds";
    private static final String CHANGES =
            "Findings by change against the previous complete scan, and excluded registrations, at the account's last complete scan";

    private final CamelContext camelContext;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public ScanMetrics(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    // Camel creates its registry when it starts, after the beans are wired.
    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            found = camelContext.getRegistry().findSingleByType(MeterRegistry.class);
            registry = found = found != null ? found : new SimpleMeterRegistry();
        }
        return found;
    }

    /** Which instance these meters are of, and whether it is a cluster member: 1, labelled. */
    public void instance(String instanceId, boolean clustered) {
        Gauge.builder("warp.sentinel.instance", () -> 1).description("This process: its instance id, and whether it is a cluster member")
                .tag("instance_id", instanceId).tag("cluster", String.valueOf(clustered)).register(registry());
    }

    public void apiAnswer(String accountId, int httpStatus) {
        Counter.builder("warp.sentinel.api.requests").description("Answers of the Cloudflare API, by HTTP status")
                .tag("account", accountId).tag("status", String.valueOf(httpStatus)).register(registry()).increment();
    }

    /** A page asked again; {@code cause} is rate_limited or transient. */
    public void apiRetry(String accountId, String cause) {
        Counter.builder("warp.sentinel.api.retries").description("Pages asked again after a 429 or a transient fault")
                .tag("account", accountId).tag("cause", cause).register(registry()).increment();
    }

    public void delivery(String accountId, String channel, boolean delivered) {
        deliveries(accountId, channel, delivered).increment();
    }

    private Counter deliveries(String accountId, String channel, boolean delivered) {
        return Counter.builder("warp.sentinel.deliveries").description("Reports handed to a channel, by outcome")
                .tag("account", accountId).tag("channel", label(channel)).tag("outcome", delivered ? "delivered" : "failed")
                .register(registry());
    }

    /** A channel as a label value, without spaces: {@code email}, {@code webhook_soc}, {@code owner_notice}. */
    static String label(String channel) {
        return channel.equals("e-mail") ? "email" : channel.replace(' ', '_');
    }

    /**
     * Published from the start, so alert rules can fire before anything happened: every
     * configured account's last success (from the run history, 0 for never: "no complete scan
     * for a day" fires for an account that never succeeded, and not after every restart of one
     * that did), and its delivery counters at 0 (an increase from 0 is the first failure).
     *
     * @param lastSuccess when the account's last complete scan ended (Unix seconds), 0 for never
     * @param channels    the channels reports are delivered to, as {@link #delivery} names them
     */
    public void accountsConfigured(List<String> accountIds, ToLongFunction<String> lastSuccess, List<String> channels) {
        for (String accountId : accountIds) {
            gauge("warp.sentinel.last.success.timestamp.seconds", LAST_SUCCESS, accountId, null, null).set(lastSuccess.applyAsLong(accountId));
            for (String channel : channels) {
                for (boolean delivered : new boolean[] {true, false}) {
                    deliveries(accountId, channel, delivered);
                }
            }
        }
    }

    /**
     * A scan that ended: its duration; when complete, the fleet's counts by reason (every one,
     * current included: a gauge of the fleet, never counted as findings) and the time of success.
     */
    public void scanEnded(String accountId, Duration duration, boolean complete, Map<Reason, Long> countsByReason,
                          long scanned, long endedAtEpochSeconds) {
        Timer.builder("warp.sentinel.scan.duration").description("Duration of an account's scan")
                .tag("account", accountId).tag("outcome", complete ? "complete" : "failed").register(registry()).record(duration);
        gauge("warp.sentinel.last.scan.complete", "1 when the account's last scan reached its last page, 0 when it failed",
                accountId, null, null).set(complete ? 1 : 0);
        if (!complete) {
            return;
        }
        Counter.builder("warp.sentinel.registrations.scanned").description("Registrations read from the API in complete scans")
                .tag("account", accountId).register(registry()).increment(scanned);
        countsByReason.forEach((reason, count) -> {
            if (reason.isFinding()) {
                Counter.builder("warp.sentinel.findings").description("Findings of complete scans, by reason")
                        .tag("account", accountId).tag("reason", reason.label()).register(registry()).increment(count);
            }
            gauge("warp.sentinel.registrations", "Registrations by classification at the account's last complete scan",
                    accountId, "reason", reason.label()).set(count);
        });
        gauge("warp.sentinel.last.success.timestamp.seconds", LAST_SUCCESS, accountId, null, null).set(endedAtEpochSeconds);
    }

    /** What the account's last complete scan changed, by change (every one), and how many were excluded. */
    public void changes(String accountId, Map<Change, Long> countsByChange, long excluded) {
        countsByChange.forEach((change, count) -> gauge("warp.sentinel.changes", CHANGES, accountId, "change", change.label()).set(count));
        gauge("warp.sentinel.changes", CHANGES, accountId, "change", "excluded").set(excluded);
    }

    /**
     * Registrations enrolled again after warp-sentinel revoked or deleted one of the same device and
     * user, at the account's last complete scan: {@code warp_sentinel_re_enrolled{account}}.
     */
    public void reEnrolled(String accountId, long count) {
        gauge("warp.sentinel.re.enrolled", "Registrations enrolled again after warp-sentinel revoked or deleted one of the same device "
                + "and user, at the account's last complete scan", accountId, null, null).set(count);
    }

    /**
     * One registration acted on by sentinel.remediate: {@code action} revoke or delete,
     * {@code outcome} done, dry_run (would have been done), skipped_seen_again, skipped_gone,
     * skipped_other or failed.
     */
    public void remediation(String accountId, String action, String outcome) {
        Counter.builder("warp.sentinel.remediations").description("Registrations acted on after a complete scan, by action and outcome")
                .tag("account", accountId).tag("action", action).tag("outcome", outcome).register(registry()).increment();
    }

    /** 1 when the account's last remediation acted on nothing because too large a share of the fleet was due (halt-above). */
    public void remediationHalted(String accountId, boolean halted) {
        gauge("warp.sentinel.remediation.halted", "1 when the account's last remediation was halted by sentinel.remediate.halt-above",
                accountId, null, null).set(halted ? 1 : 0);
    }

    private AtomicLong gauge(String name, String description, String accountId, String tag, String value) {
        String key = name + "|" + accountId + "|" + value;
        return gauges.computeIfAbsent(key, k -> {
            AtomicLong gauge = new AtomicLong();
            Gauge.Builder<AtomicLong> builder = Gauge.builder(name, gauge, AtomicLong::doubleValue).description(description)
                    .tag("account", accountId);
            if (tag != null) {
                builder.tag(tag, value);
            }
            builder.register(registry());
            return gauge;
        });
    }
}
