package io.warpsentinel.report;

import static io.warpsentinel.settings.SettingGroup.REPORTS;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingGroup;
import io.warpsentinel.settings.SettingsSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/** Where the reports go and what they hold. */
public record ReportSettings(Path dir, int htmlMaxRows, int messageMaxRows, boolean csvFormulaGuard, Duration keep, ZoneId timeZone) {

    public static final Setting<String> DIR = REPORTS.required("sentinel.report.dir", "reports",
            "Folder the CSV, JSON and HTML reports are written to (created if missing); relative paths start at the working directory.");
    public static final Setting<Integer> HTML_MAX_ROWS = REPORTS.count("sentinel.report.html-max-rows", "50000", 1,
            "Findings the HTML report file holds, which its filter and sort work on: all of them up to this many; past it, the "
                    + "first in the reading order (new ones first, then most days since seen), and the page says so and points to "
                    + "the CSV. The CSV and JSON have them all.");
    public static final Setting<Integer> MESSAGE_MAX_ROWS = REPORTS.count("sentinel.report.message-max-rows", "200", 1,
            "Findings an e-mail lists (its page and its text) and the most a chat message lists (new ones first, then most days "
                    + "since seen), and the entries every page lists of the recovered, gone and excluded registrations; the report "
                    + "files have them all.");
    public static final Setting<Boolean> CSV_FORMULA_GUARD = REPORTS.flag("sentinel.report.csv-formula-guard", "true",
            "`true`: a CSV cell that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage "
                    + "return) gets a leading `'`, as OWASP advises; the JSON report keeps every value as received.");

    public static final Setting<Duration> KEEP = REPORTS.optionalDuration("sentinel.report.keep", "P90D",
            "Report files (CSV, JSON, HTML) older than this are removed after each complete scan of their account; empty: keep "
                    + "them all. The run history, the finding state and the dead letters are never removed.");

    public static final Setting<ZoneId> TIME_ZONE = SettingGroup.SCAN.of("sentinel.time-zone", "UTC",
            "a time zone such as UTC or Europe/Berlin", "Time zone of sentinel.schedule, and of the dates the HTML report shows.",
            ZoneId::of);

    public static final List<Setting<?>> ALL = List.of(DIR, HTML_MAX_ROWS, MESSAGE_MAX_ROWS, CSV_FORMULA_GUARD, KEEP, TIME_ZONE);

    public static ReportSettings read(SettingsSource source) {
        return new ReportSettings(Path.of(DIR.read(source)), HTML_MAX_ROWS.read(source), MESSAGE_MAX_ROWS.read(source),
                CSV_FORMULA_GUARD.read(source), KEEP.read(source), TIME_ZONE.read(source));
    }
}
