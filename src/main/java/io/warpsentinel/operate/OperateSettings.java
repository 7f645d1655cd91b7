package io.warpsentinel.operate;

import static io.warpsentinel.settings.SettingGroup.OPERATING;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.nio.file.Path;
import java.util.List;

/**
 * What an operator reads off the service: Camel's health and metrics (read by Camel, which says
 * where they listen once they do), and the run history.
 */
public record OperateSettings(Path historyFile) {

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
                    + "unless set to true (set both for metrics of a run-once scan).");
    public static final Setting<Boolean> EXCHANGE_TIMERS = OPERATING.flag("camel.metrics.enable-exchange-event-notifier", "false",
            "Camel's per-exchange timers stay off: they would time every split registration.");
    public static final Setting<String> BINDERS = OPERATING.text("camel.metrics.binders", "jvm-memory,jvm-gc,jvm-thread,processor",
            "JVM meters published beside the project's.");
    public static final Setting<String> HISTORY_FILE = OPERATING.required("sentinel.history.file", "{{sentinel.report.dir}}/history.jsonl",
            "Run history: one JSON line per account scan, complete or not; reports compare with the account's previous complete scan in it.");

    public static final List<Setting<?>> ALL = List.of(MANAGEMENT, MANAGEMENT_PORT, MANAGEMENT_HOST, HEALTH, HEALTH_EXPOSURE,
            METRICS_ENDPOINT, METRICS, EXCHANGE_TIMERS, BINDERS, HISTORY_FILE);

    public static OperateSettings read(SettingsSource source) {
        return new OperateSettings(Path.of(HISTORY_FILE.read(source)));
    }
}
