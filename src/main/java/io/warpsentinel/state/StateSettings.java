package io.warpsentinel.state;

import static io.warpsentinel.settings.SettingGroup.ALERTS;
import static io.warpsentinel.settings.SettingGroup.OWNER_NOTICES;
import static io.warpsentinel.settings.SettingGroup.STATE;

import io.warpsentinel.classify.Exclusions;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Where the finding state lives, and when a finding is worth telling someone about again. */
public record StateSettings(Path dir, String jdbcUrl, String username, String password, AlertPolicy policy, Duration keepRemovals) {

    public static final Setting<String> DIR = STATE.required("sentinel.state.dir", "{{sentinel.report.dir}}/state",
            "Folder of the embedded finding state (one <account id>.jsonl file per account); delete it to reset the state.");
    public static final Setting<String> JDBC_URL = STATE.of("sentinel.state.jdbc-url", "",
            "a PostgreSQL URL (jdbc:postgresql://host:5432/database), or empty for the embedded store",
            "Keep the finding state in PostgreSQL instead, shared by several instances, e.g. "
                    + "`jdbc:postgresql://db.example.com:5432/warp_sentinel`; empty: the embedded store in sentinel.state.dir.",
            value -> {
                if (!value.isEmpty() && !value.startsWith("jdbc:postgresql://")) {
                    throw new IllegalArgumentException();
                }
                return value;
            }).secret(Setting.Secret.JDBC_URL);
    public static final Setting<Duration> KEEP_REMOVALS = STATE.duration("sentinel.state.keep-removals", "P90D",
            "How long the finding state remembers a registration warp-sentinel revoked or deleted (its device and user, what it did "
                    + "and when) after its last action on it: a registration of the same device and user created after the action is "
                    + "reported as enrolled again after removal (re_enrolled) for that long, and revoke-then-delete deletes only what it "
                    + "still remembers revoking (so it must be longer than sentinel.remediate.delete-after).");
    public static final Setting<String> USERNAME = STATE.text("sentinel.state.username", "", "Database user for sentinel.state.jdbc-url.");
    public static final Setting<String> PASSWORD = STATE.text("sentinel.state.password", "",
            "Database password; set it through SENTINEL_STATE_PASSWORD, never in a file.").secret(Setting.Secret.WHOLE);
    public static final Setting<Boolean> ONLY_NEW = ALERTS.flag("sentinel.alert.only-new", "false",
            "`true`: e-mail and webhooks fire only when a finding is new or due a reminder (the reports are still written every "
                    + "run); `false`: every run.");
    public static final Setting<Duration> REMIND_AFTER = ALERTS.optionalDuration("sentinel.alert.remind-after", "",
            "After this long an open finding is alerted again, and its owner noticed again, e.g. P7D; empty: never.");
    public static final Setting<Boolean> OWNER_NOTICE = OWNER_NOTICES.flag("sentinel.owner-notice.enabled", "false",
            "`true`: e-mail each user whose own registrations are stale, superseded or never used, once (and again after "
                    + "sentinel.alert.remind-after); never a service token's address.");
    public static final Setting<Integer> NOTICES_PER_RUN = OWNER_NOTICES.count("sentinel.owner-notice.max-per-run", "500", 1,
            "Devices named in owner notices per account and scan at most (a first scan of a neglected fleet must not mail "
                    + "thousands at once); the rest are noticed on the next scans.");
    public static final Setting<List<String>> SKIP_USERS = OWNER_NOTICES.list("sentinel.owner-notice.skip-users", "",
            "Users never notified: e-mail globs, comma-separated.");
    public static final Setting<Pattern> SKIP_DEVICES = OWNER_NOTICES.of("sentinel.owner-notice.skip-devices", "",
            "a regular expression (Java syntax)", "Devices never notified: one regular expression matched against the whole device name.",
            Exclusions::deviceNamePattern);

    public static final List<Setting<?>> ALL = List.of(DIR, JDBC_URL, USERNAME, PASSWORD, KEEP_REMOVALS, ONLY_NEW, REMIND_AFTER, OWNER_NOTICE,
            NOTICES_PER_RUN, SKIP_USERS, SKIP_DEVICES);

    /** @param listLimit how many due findings an alert message lists (sentinel.report.message-max-rows) */
    public static StateSettings read(SettingsSource source, int listLimit) {
        AlertPolicy policy = new AlertPolicy(ONLY_NEW.read(source), REMIND_AFTER.read(source), OWNER_NOTICE.read(source),
                new Exclusions(SKIP_USERS.read(source), SKIP_DEVICES.read(source), List.of(), List.of()), NOTICES_PER_RUN.read(source),
                listLimit);
        return new StateSettings(Path.of(DIR.read(source)), JDBC_URL.read(source), USERNAME.read(source), PASSWORD.read(source), policy,
                KEEP_REMOVALS.read(source));
    }

    /**
     * The database of sentinel.state.jdbc-url, or null for the embedded store.
     *
     * @param clustered the database also holds Quartz's cluster tables
     */
    public StateDatabase database(int connections, boolean clustered) {
        return jdbcUrl.isEmpty() ? null : new StateDatabase(jdbcUrl, username, password, connections, clustered);
    }

    /** The files under sentinel.state.dir, or the PostgreSQL database of sentinel.state.jdbc-url to share the state. */
    public StateStore store(PrivateFiles files, StateDatabase database) {
        return database == null ? StateStore.inFiles(dir, files, policy, keepRemovals) : StateStore.inPostgres(database, policy, keepRemovals);
    }

    /** Never printed: the password is a secret. */
    @Override
    public String toString() {
        return "StateSettings[" + (jdbcUrl.isEmpty() ? dir : "PostgreSQL") + "]";
    }
}
