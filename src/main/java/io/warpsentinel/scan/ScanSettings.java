package io.warpsentinel.scan;

import static io.warpsentinel.settings.SettingGroup.SCAN;

import io.warpsentinel.report.ReportSettings;
import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.time.ZoneId;
import java.util.List;
import org.quartz.CronExpression;

/** When scans run, and when a complete scan is trusted enough to publish. */
public record ScanSettings(String schedule, ZoneId timeZone, boolean once, boolean validate, double maxShrink, boolean acceptShrink,
                           int parallelAccounts) {

    // Quartz would take an unknown time zone for GMT without a word, and report a bad cron
    // expression only as a route start-up failure: both are checked here, by name.
    public static final Setting<String> SCHEDULE = SCAN.of("sentinel.schedule", "0 0 6 * * ?",
            "a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 6 * * ?')",
            "When scheduled scans run, one at a time. A firing held up by the scan before it for more than half the "
                    + "schedule's shortest interval (at most a minute) is skipped, not run late.", value -> {
                if (!CronExpression.isValidExpression(value)) {
                    throw new IllegalArgumentException();
                }
                return value;
            });
    public static final Setting<Boolean> ONCE = SCAN.flag("sentinel.once", "false",
            "`true`: scan once at start-up, write the reports and exit (0 = every account reported, 1 = not, 2 = a setting is wrong).");
    public static final Setting<Double> MAX_SHRINK = SCAN.fraction("sentinel.max-shrink", "0.5",
            "A scan that lists more than this share fewer registrations than the account's last complete scan is withheld as "
                    + "suspect: no report, the finding state unchanged, an ERROR naming both counts, the account failed (run-once "
                    + "exits 1, readiness DOWN). An empty answer from a faulty API is never an all-clear.");
    public static final Setting<Boolean> ACCEPT_SHRINK = SCAN.flag("sentinel.accept-shrink", "false",
            "`true`: accept a scan past sentinel.max-shrink, in this run only (the first run of the process); set it once, "
                    + "when the fleet really shrank.");

    public static final Setting<Integer> PARALLEL_ACCOUNTS = SCAN.count("sentinel.parallel-accounts", "4", 1,
            "Accounts scanned side by side in a run (1: one after another). Each keeps its own walk, reports and state; "
                    + "all share cloudflare.rate-limit.requests, so more only helps while the API answers slower than that budget. "
                    + "Memory grows with it: each account being scanned holds its own indexes (about 40 MB for a million "
                    + "registrations), so two accounts of a million at once need more than -Xmx128m.");

    public static final Setting<Boolean> VALIDATE = SCAN.flag("sentinel.validate", "false",
            "`true`: check every setting, that the token can list each account's registrations (one request of one "
                    + "registration each), the SMTP relay (connect, TLS, log in; no mail sent) and that each webhook's host "
                    + "resolves; print a checklist and exit (0 when all is well). Nothing is scanned or written.");

    public static final List<Setting<?>> ALL = List.of(SCHEDULE, ONCE, VALIDATE, MAX_SHRINK, ACCEPT_SHRINK, PARALLEL_ACCOUNTS);

    public static ScanSettings read(SettingsSource source) {
        return new ScanSettings(SCHEDULE.read(source), ReportSettings.TIME_ZONE.read(source), ONCE.read(source), VALIDATE.read(source),
                MAX_SHRINK.read(source), ACCEPT_SHRINK.read(source), PARALLEL_ACCOUNTS.read(source));
    }

    /** What this process does, for its start line. */
    public String mode() {
        return validate ? "validating the configuration" : once ? "one scan, then exit"
                : "a scan on schedule '" + schedule + "' (" + timeZone + ")";
    }
}
