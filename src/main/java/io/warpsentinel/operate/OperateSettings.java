package io.warpsentinel.operate;

import static io.warpsentinel.settings.SettingGroup.OPERATING;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an operator reads off the service: Camel's health and metrics (read by Camel, which says
 * where they listen once they do), the run history, and where a run-once process pushes its
 * metrics.
 *
 * @param pushUrl      the Pushgateway's base URL, empty for no push
 * @param pushInstance the push's instance label, empty for this host's name
 */
public record OperateSettings(Path historyFile, String pushUrl, String pushInstance, Duration pushTimeout) {

    public static final Setting<Boolean> MANAGEMENT = OPERATING.flag("camel.management.enabled", "{{!sentinel.once}}",
            "Camel's management HTTP server (/observe/health, /observe/metrics): on for the service, off in run-once mode unless "
                    + "set to true.");
    public static final Setting<Integer> MANAGEMENT_PORT = OPERATING.count("camel.management.port", "9876", 0,
            "Port of the management server (health and metrics).");
    public static final Setting<String> MANAGEMENT_HOST = OPERATING.required("camel.management.host", "0.0.0.0",
            "Address the management server listens on (0.0.0.0: every interface; 127.0.0.1: this host only).");
    public static final Setting<Boolean> HEALTH = OPERATING.flag("camel.management.health-check-enabled", "true",
            "Serve liveness and readiness at /observe/health (readiness is DOWN while an account's last scan failed).");
    public static final Setting<String> HEALTH_EXPOSURE = OPERATING.choice("camel.health.exposure-level", "full",
            "`full`: /observe/health lists every check with its message, such as why an account's last scan failed (no secret is "
                    + "ever in it); `default` lists failing checks only.", "full", "default", "oneline");
    public static final Setting<Boolean> METRICS_ENDPOINT = OPERATING.flag("camel.management.metrics-enabled", "true",
            "Serve Prometheus metrics at /observe/metrics.");
    public static final Setting<Boolean> METRICS = OPERATING.flag("camel.metrics.enabled", "{{!sentinel.once}}",
            "Micrometer metrics, Camel's and warp-sentinel's (warp_sentinel_*): like the management server, off in run-once mode "
                    + "unless set to true (a run-once process exits before a scraper comes: push its metrics with "
                    + "sentinel.metrics.push-url instead).");
    public static final Setting<Boolean> EXCHANGE_TIMERS = OPERATING.flag("camel.metrics.enable-exchange-event-notifier", "false",
            "Camel's per-exchange timers stay off: they would time every split registration.");
    public static final Setting<String> BINDERS = OPERATING.text("camel.metrics.binders", "jvm-memory,jvm-gc,jvm-thread,processor",
            "JVM meters published beside the project's.");
    public static final Setting<String> HISTORY_FILE = OPERATING.required("sentinel.history.file", "{{sentinel.report.dir}}/history.jsonl",
            "Run history: one JSON line per account scan, complete or not; reports compare with the account's previous complete scan in it.");

    public static final Setting<String> PUSH_URL = OPERATING.of("sentinel.metrics.push-url", "", "an http:// or https:// URL, or empty",
            "Run-once mode: at the end of each run, whether it succeeded or not, its warp_sentinel_* metrics are PUT to the "
                    + "Prometheus Pushgateway at this URL (job `warp-sentinel`, grouped by instance), e.g. "
                    + "http://pushgateway.monitoring:9091; credentials as user:password@ go as HTTP basic auth. A push that fails is "
                    + "one WARN and never changes the exit status. A service is scraped at /observe/metrics instead. A secret "
                    + "(the URL may hold a password): set it through the environment.",
            OperateSettings::pushUrl).secret(Setting.Secret.URL);
    public static final Setting<String> PUSH_INSTANCE = OPERATING.of("sentinel.metrics.push-instance", "",
            "letters, digits, '.', '_', ':' and '-', or empty",
            "The pushed metrics' `instance` label, which names their group in the Pushgateway: each push replaces the one "
                    + "before it of the same instance. Keep it the same from run to run (a Kubernetes CronJob's pods change "
                    + "names: set it there); empty: this host's name.",
            OperateSettings::pushInstance);
    public static final Setting<Duration> PUSH_TIMEOUT = OPERATING.duration("sentinel.metrics.push-timeout", "PT10S",
            "Longest time the push may take, connecting included; past it the push is given up with a WARN and the process "
                    + "exits.");

    public static final List<Setting<?>> ALL = List.of(MANAGEMENT, MANAGEMENT_PORT, MANAGEMENT_HOST, HEALTH, HEALTH_EXPOSURE,
            METRICS_ENDPOINT, METRICS, EXCHANGE_TIMERS, BINDERS, PUSH_URL, PUSH_INSTANCE, PUSH_TIMEOUT, HISTORY_FILE);

    // what a Pushgateway takes in a URL path segment without encoding it (a pod's or host's name fits)
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public static OperateSettings read(SettingsSource source) {
        return new OperateSettings(Path.of(HISTORY_FILE.read(source)), PUSH_URL.read(source), PUSH_INSTANCE.read(source),
                PUSH_TIMEOUT.read(source));
    }

    /** The job and instance are added to the URL's path: it names the Pushgateway (and a path prefix before it), nothing more. */
    private static String pushUrl(String value) {
        if (value.isEmpty()) {
            return value;
        }
        URI uri = URI.create(value);
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    private static String pushInstance(String value) {
        if (!value.isEmpty() && !INSTANCE.matcher(value).matches()) {
            throw new IllegalArgumentException();
        }
        return value;
    }
}
