package io.warpsentinel;

import static io.warpsentinel.settings.SettingGroup.CAMEL;
import static io.warpsentinel.settings.SettingGroup.DEMO;
import static io.warpsentinel.settings.SettingGroup.OPERATING;

import io.warpsentinel.settings.Setting;
import java.util.List;

/** Camel's own settings whose defaults this application chooses, and the switches read before any setting. */
final class CamelSettings {

    /** The route files in the jar, in routes/. */
    static final String ROUTES = String.join(",",
            "classpath:routes/classify-registrations.camel.yaml",
            "classpath:routes/cloudflare-call.camel.yaml",
            "classpath:routes/deliver-owner-notices.camel.yaml",
            "classpath:routes/deliver-reports.camel.yaml",
            "classpath:routes/error-handling.camel.yaml",
            "classpath:routes/fetch-page.camel.yaml",
            "classpath:routes/look-up-devices.camel.yaml",
            "classpath:routes/push-metrics.camel.yaml",
            "classpath:routes/remediate.camel.yaml",
            "classpath:routes/scan-account.camel.yaml",
            "classpath:routes/scan-accounts.camel.yaml",
            "classpath:routes/trigger.camel.yaml",
            "classpath:routes/validate.camel.yaml");

    static final List<Setting<?>> ALL = List.of(
            CAMEL.text("camel.main.name", "warp-sentinel", "Name of the Camel context, shown in Camel's own log lines."),
            // Each file named, not classpath:routes/*.camel.yaml: a pattern makes Camel read the whole
            // fat jar twice at start-up (0.5 s); RouteFilesTest keeps this list equal to routes/.
            CAMEL.text("camel.main.routes-include-pattern", ROUTES,
                    "Where the routes are read from; point it at your own copy to change routing without rebuilding, e.g. "
                            + "`file:/etc/warp-sentinel/routes/*.camel.yaml` (docs/architecture.md)."),
            CAMEL.flag("camel.main.stream-caching-enabled", "false",
                    "Camel does not copy each message body into memory first: every body is read once, by the bean that receives it."),
            CAMEL.flag("camel.main.jmx-enabled", "false", "JMX stays off: health and metrics are served over HTTP, and JMX costs start-up time."),
            CAMEL.flag("camel.main.auto-configuration-log-summary", "false",
                    "Camel's start-up list of every setting's value stays off: its masking misses secrets such as the token."),
            CAMEL.count("camel.main.shutdown-timeout", "30", 1, "Seconds a stop waits for a running scan to finish; past it the scan "
                    + "is abandoned and leaves no report (its hidden temporary files are removed when that account is next scanned); "
                    + "a run-once process stopped this way exits non-zero."),
            OPERATING.documented("sentinel.config", "", "A properties file of settings, layered over the built-in defaults: "
                    + "built-in defaults < this file < environment variables < -D. Set it as SENTINEL_CONFIG or -Dsentinel.config. "
                    + "It must be a regular file of at most 1 MiB, in UTF-8, each key in it once: anything else stops the start "
                    + "(exit status 2), naming the line."),
            OPERATING.documented("LOG_FORMAT", "text", "`json`: one JSON object per log line, for log shippers. Read before the "
                    + "settings (environment or -D), so not in application.properties."),
            OPERATING.documented("LOG_LEVEL", "INFO", "Level of warp-sentinel's own lines (`DEBUG`: every step); secrets stay "
                    + "redacted at any level. Read before the settings (environment or -D), so not in application.properties."),
            OPERATING.documented("LOG_CAMEL", "WARN", "Level of Camel's and its HTTP server's lines: `INFO` shows Camel starting "
                    + "and stopping each route, `DEBUG` everything. Read before the settings (environment or -D)."),
            DEMO.documented("camel.main.profile", "", "`demo` loads application-demo.properties: the demo on, run once, two demo accounts."));

    private CamelSettings() {
    }
}
