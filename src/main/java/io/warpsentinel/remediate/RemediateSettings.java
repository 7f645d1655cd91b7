package io.warpsentinel.remediate;

import static io.warpsentinel.settings.SettingGroup.REMEDIATION;

import io.warpsentinel.cloudflare.CloudflareSettings;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.settings.SettingsSource;
import io.warpsentinel.state.StateSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What warp-sentinel may do to stale registrations after a complete scan, and how carefully. */
public record RemediateSettings(Action action, Set<Reason> reasons, boolean dryRun, int maxPerRun, Duration minOpen,
                                Duration lastDeviceAfter, double haltAbove, Path auditFile, String writeToken, String ownerNotice,
                                Duration deleteAfter) {

    /** The reasons remediation may act on: not invalid (a record nobody can judge), and revoked only by a delete. */
    private static final Set<Reason> ACTIONABLE = EnumSet.of(Reason.STALE, Reason.SUPERSEDED, Reason.NEVER_USED);

    public static final Setting<String> ACTION = REMEDIATION.choice("sentinel.remediate.action", "none",
            "`none`: report only; `revoke`: revoke stale active registrations (undo with unrevoke); `delete`: delete stale "
                    + "registrations, and revoked ones not seen since the stale cutoff (cannot be undone); `revoke-then-delete`: revoke "
                    + "stale active registrations, and delete those warp-sentinel revoked at least sentinel.remediate.delete-after ago "
                    + "and not seen since (never one revoked by someone else). Only after a complete scan whose reports are published; "
                    + "excluded registrations never, and never twice the same.", "none", "revoke", "delete", "revoke-then-delete");
    public static final Setting<Set<Reason>> REASONS = REMEDIATION.of("sentinel.remediate.reasons", "stale,superseded,never-used",
            "reasons of " + ACTIONABLE.stream().map(Reason::label).toList() + ", comma-separated",
            "The findings acted on, by reason; delete also takes revoked registrations not seen since the stale cutoff, and "
                    + "revoke-then-delete those it revoked itself. Invalid records are never acted on.", RemediateSettings::reasons);
    public static final Setting<Boolean> DRY_RUN = REMEDIATION.flag("sentinel.remediate.dry-run", "true",
            "`true`: everything happens (selection, re-check, audit lines, report section, messages) but the write calls; "
                    + "each audit line says \"dry_run\": true.");
    public static final Setting<Integer> MAX_PER_RUN = REMEDIATION.count("sentinel.remediate.max-per-run", "50", 1,
            "Most registrations acted on per account and run, the longest unseen first; the rest wait for the next run.");
    public static final Setting<Duration> MIN_OPEN = REMEDIATION.of("sentinel.remediate.min-open", "P7D",
            "an ISO-8601 duration such as P7D, or PT0S",
            "Act only on a finding open (in the finding state) at least this long, so people were alerted first; a finding seen "
                    + "for the first time is never acted on unless this is PT0S.", RemediateSettings::notNegative);
    public static final Setting<Duration> LAST_DEVICE_AFTER = REMEDIATION.of("sentinel.remediate.last-device-after", "P90D",
            "an ISO-8601 duration such as P90D, or PT0S",
            "A registration that is its user's most recently seen one (the same user.id, across all of the user's registrations "
                    + "in the scan) is acted on only once it has been unseen for longer than this, so a person away for weeks keeps "
                    + "a device to come back to; the user's other registrations as usual. Registrations without a user (service "
                    + "tokens) are not kept by it. PT0S: no such rule.", RemediateSettings::notNegative);
    public static final Setting<Double> HALT_ABOVE = REMEDIATION.fraction("sentinel.remediate.halt-above", "0.25",
            "When the candidates (findings the action applies to, excluded ones left out, before min-open, the last-device rule "
                    + "and the cap) are more than this share of the account's scanned registrations the action could apply to (not "
                    + "excluded; for revoke, not revoked either), act on none and say so loudly (ERROR log, report, alert, metric, "
                    + "run-once exit status 1): a wrong clock, a wrong stale-after or an API change must never wipe out a fleet.");
    public static final Setting<String> AUDIT_FILE = REMEDIATION.required("sentinel.remediate.audit-file",
            "{{sentinel.report.dir}}/actions.jsonl",
            "Append-only JSON lines, one per planned or performed action (dry runs included): time, run, account, registration, "
                    + "device, user, last seen, reason, action, dry_run, outcome. Never rewritten or truncated; one that cannot be "
                    + "written stops the start.");
    public static final Setting<Duration> DELETE_AFTER = REMEDIATION.of("sentinel.remediate.delete-after", "P14D",
            "an ISO-8601 duration such as P14D, or PT0S",
            "With action revoke-then-delete: how long after warp-sentinel revoked a registration it deletes it, if it was not seen "
                    + "since (people have that long to object and have it unrevoked); it must be shorter than "
                    + "sentinel.state.keep-removals, which is how long the revoke is remembered.", RemediateSettings::notNegative);
    public static final Setting<String> OWNER_NOTICE = REMEDIATION.text("sentinel.remediate.owner-notice", "",
            "Added to the owner notice of a user whose registrations were revoked or deleted (not in a dry run), which they then "
                    + "get even if no other notice is due; {action} (revoked or deleted) and {devices} (one line each) are "
                    + "replaced; empty: notices do not mention actions. Needs sentinel.owner-notice.enabled.");

    public static final List<Setting<?>> ALL = List.of(ACTION, REASONS, DRY_RUN, MAX_PER_RUN, MIN_OPEN, LAST_DEVICE_AFTER, HALT_ABOVE, DELETE_AFTER,
            AUDIT_FILE, OWNER_NOTICE);

    public static RemediateSettings read(SettingsSource source) {
        Action action = Action.of(ACTION.read(source));
        boolean dryRun = DRY_RUN.read(source);
        Duration deleteAfter = DELETE_AFTER.read(source);
        Duration keepRemovals = StateSettings.KEEP_REMOVALS.read(source);
        if (action == Action.REVOKE_THEN_DELETE && deleteAfter.compareTo(keepRemovals) >= 0) {
            throw new SettingException("sentinel.remediate.delete-after (" + text(deleteAfter) + ") must be shorter than "
                    + "sentinel.state.keep-removals (" + text(keepRemovals) + "): revoke-then-delete deletes only what the finding state still "
                    + "remembers revoking");
        }
        String writeToken = CloudflareSettings.API_WRITE_TOKEN.read(source);
        if (action != Action.NONE && !dryRun && writeToken.isEmpty()) {
            throw new SettingException("cloudflare.api-write-token is not set, and sentinel.remediate.action=" + action.label()
                    + " with sentinel.remediate.dry-run=false needs it: export CLOUDFLARE_API_WRITE_TOKEN=<an API token with "
                    + "'Zero Trust Write' permission>, or keep the dry run");
        }
        return new RemediateSettings(action, REASONS.read(source), dryRun, MAX_PER_RUN.read(source), MIN_OPEN.read(source),
                LAST_DEVICE_AFTER.read(source), HALT_ABOVE.read(source), Path.of(AUDIT_FILE.read(source)), writeToken,
                OWNER_NOTICE.read(source), deleteAfter);
    }

    /** Whether a user's most recently seen registration is kept until unseen for longer than {@code last-device-after}. */
    public boolean keepsLastDevices() {
        return !lastDeviceAfter.isZero();
    }

    /**
     * What the action does to a finding of this reason: {@link Action#REVOKE}, {@link Action#DELETE},
     * or null when it does not apply. One of {@code reasons} is revoked or deleted; a revoked one is
     * deleted by {@code delete}, and by {@code revoke-then-delete} only when warp-sentinel revoked it.
     *
     * @param revokedByUs whether warp-sentinel's own revoke of it stands
     */
    public Action stageFor(Reason reason, boolean revokedByUs) {
        return switch (action) {
            case NONE -> null;
            case REVOKE -> reasons.contains(reason) ? Action.REVOKE : null;
            case DELETE -> reasons.contains(reason) || reason == Reason.REVOKED ? Action.DELETE : null;
            case REVOKE_THEN_DELETE -> reason == Reason.REVOKED ? (revokedByUs ? Action.DELETE : null)
                    : reasons.contains(reason) ? Action.REVOKE : null;
        };
    }

    private static Set<Reason> reasons(String value) {
        Set<Reason> reasons = EnumSet.noneOf(Reason.class);
        for (String label : value.split(",")) {
            if (label.isBlank()) {
                continue;
            }
            Reason reason = Reason.findings().stream().filter(r -> r.label().equalsIgnoreCase(label.strip())).findFirst()
                    .filter(ACTIONABLE::contains).orElseThrow(IllegalArgumentException::new);
            reasons.add(reason);
        }
        return Set.copyOf(reasons.isEmpty() ? EnumSet.noneOf(Reason.class) : reasons);
    }

    /** delete-after as people write it: whole days as days (P14D, where Duration would say PT336H). */
    public String deleteAfterText() {
        return text(deleteAfter);
    }

    private static String text(Duration duration) {
        return duration.toSeconds() % 86_400 == 0 && duration.getNano() == 0 && !duration.isZero() ? "P" + duration.toDays() + "D"
                : duration.toString();
    }

    public boolean enabled() {
        return action != Action.NONE;
    }

    private static Duration notNegative(String value) {
        try {
            Duration duration = Duration.parse(value);
            if (!duration.isNegative()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported by the setting, with its name
        }
        throw new IllegalArgumentException();
    }

    /** Never printed: the write token is a secret. */
    @Override
    public String toString() {
        return "RemediateSettings[" + action.label() + (dryRun ? ", dry run" : "") + "]";
    }
}
