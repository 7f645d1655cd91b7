package io.warpsentinel.finding;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code sentinel.remediate.*} did to one account's stale registrations after a complete
 * scan, or would have done in a dry run: what the reports, messages, metrics and run history
 * say of it.
 *
 * @param candidates how many findings the action applies to (excluded ones left out), before
 *                   {@code min-open}, the last-device rule and the cap: what {@code halt-above} is judged on
 * @param waiting    candidates not open long enough yet ({@code min-open}): acted on later
 * @param keptLastDevice candidates each its user's most recently seen registration, unseen for no longer than
 *                   {@code last-device-after}: acted on once unseen for longer (counted here, not in {@code waiting})
 * @param overCap    candidates past {@code max-per-run}: they wait for the next run
 * @param halted     why nothing was acted on ({@code halt-above}), or null
 * @param actions    one entry per candidate acted on or skipped, longest unseen first
 * @param kept       the longest unseen of the {@code keptLastDevice} candidates, at most {@code max-per-run}, longest unseen first
 * @param undo       the URL of Cloudflare's call that undoes the first 100 revokes of this run (POST it with a write token);
 *                   null when nothing was revoked
 * @param deleteAfter {@code sentinel.remediate.delete-after} as people write it (P14D) when the action is
 *                   {@link Action#REVOKE_THEN_DELETE}, else null
 */
public record Remediation(Action action, boolean dryRun, long candidates, long waiting, long keptLastDevice, long overCap, String halted,
                          List<Entry> actions, List<Kept> kept, String undo, String deleteAfter) {

    /**
     * {@code sentinel.remediate.action}, and what was done to one registration: an entry's action,
     * the audit line's, the metrics' label and the finding state's are {@link #REVOKE} or
     * {@link #DELETE}. {@link #REVOKE_THEN_DELETE} is a run's only: it revokes, and later deletes
     * what it revoked; each registration is revoked or deleted, its stage. The label is what
     * reports and the audit file print.
     */
    public enum Action {
        NONE, REVOKE, DELETE, REVOKE_THEN_DELETE;

        /** "revoke", "delete", "revoke-then-delete". */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** From its {@link #label}; null or empty is {@link #NONE}. */
        public static Action of(String label) {
            return label == null || label.isEmpty() ? NONE : valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        /** Past tense, for people: "revoked", "deleted", "revoked or deleted". */
        public String done() {
            return switch (this) {
                case NONE -> "left alone";
                case REVOKE -> "revoked";
                case DELETE -> "deleted";
                case REVOKE_THEN_DELETE -> "revoked or deleted";
            };
        }

        /** The writes a run of this action makes, in the order they go: revoke-then-delete deletes what it revoked earlier first. */
        public List<Action> stages() {
            return switch (this) {
                case NONE -> List.of();
                case REVOKE, DELETE -> List.of(this);
                case REVOKE_THEN_DELETE -> List.of(DELETE, REVOKE);
            };
        }
    }

    /** What became of one registration: what the audit file, the reports and the metrics say. */
    public enum Outcome {
        /** Audit file only: the write call for it is about to go out (a write-ahead line, forced to disk first). */
        PENDING("pending", null),
        /** Audit file only: its write call was answered 429, 5xx or 408 (not applied); sent again unless the retries ran out. */
        ERROR("error", null),
        DONE("done", "done"),
        SEEN_AGAIN("skipped: seen again", "skipped_seen_again"),
        GONE("skipped: gone", "skipped_gone"),
        SKIPPED("skipped", "skipped_other"),
        FAILED("failed", "failed");

        private final String label;
        private final String metric;

        Outcome(String label, String metric) {
            this.label = label;
            this.metric = metric;
        }

        /** How the audit file and the reports print it, before any detail: "skipped: gone", "failed". */
        public String label() {
            return label;
        }

        /** The {@code outcome} label of the remediation metric (a dry run's DONE is "dry_run"). */
        public String metric(boolean dryRun) {
            return this == DONE && dryRun ? "dry_run" : metric;
        }
    }

    /**
     * One registration acted on (or, in a dry run, that would have been), or in the audit file an
     * attempt at it ({@link Outcome#PENDING}, {@link Outcome#ERROR}).
     *
     * @param kind   what became of it
     * @param detail why, for people (Cloudflare's error, the exclusion rule), or null
     */
    public record Entry(Instant at, Registration registration, Reason reason, Action action, boolean dryRun, Outcome kind,
                        String detail) {

        /** The outcome as printed: "done", "skipped: excluded (device-name)", "failed: Cloudflare answered HTTP 500...". */
        public String outcome() {
            return detail == null ? kind.label() : kind.label() + ": " + detail;
        }

        /** The entry as the audit file, the JSON report's {@code actions} and the json webhook write it. */
        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("time", at.toString());
            fields.put("registration_id", registration.id());
            fields.put("device_name", registration.deviceName());
            fields.put("user_email", registration.userEmail());
            fields.put("last_seen_at", registration.lastSeenAt());
            fields.put("reason", reason.label());
            fields.put("action", action.label());
            fields.put("dry_run", dryRun);
            fields.put("outcome", outcome());
            return fields;
        }

        public boolean isDone() {
            return kind == Outcome.DONE;
        }

        public boolean isFailed() {
            return kind == Outcome.FAILED;
        }
    }

    /**
     * A candidate not acted on because it is its user's most recently seen registration
     * ({@code sentinel.remediate.last-device-after}); no audit line, as nothing is done to it.
     *
     * @param until it is acted on (if still a finding) once unseen past this instant
     */
    public record Kept(Registration registration, Reason reason, Instant until) {

        /** What the reports say of it. */
        public static final String OUTCOME = "kept: the user's last device";

        /** The entry as the JSON report's {@code kept_last_device} writes it. */
        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("registration_id", registration.id());
            fields.put("device_name", registration.deviceName());
            fields.put("user_email", registration.userEmail());
            fields.put("last_seen_at", registration.lastSeenAt());
            fields.put("reason", reason.label());
            fields.put("outcome", OUTCOME);
            fields.put("kept_until", until.toString());
            return fields;
        }
    }

    /**
     * What the JSON report's {@code remediation}, the json webhook and the run history say: the
     * action, whether it was a dry run, the counts, and why it halted (null when it did not).
     */
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("action", action.label());
        if (deleteAfter != null) {
            summary.put("delete_after", deleteAfter);
        }
        summary.put("dry_run", dryRun);
        summary.put("candidates", candidates);
        summary.put("waiting_min_open", waiting);
        summary.put("kept_last_device", keptLastDevice);
        summary.put("over_cap", overCap);
        summary.put("done", done());
        summary.put("skipped", skipped());
        summary.put("failed", failed());
        summary.put("halted", halted);
        return summary;
    }

    public boolean isHalted() {
        return halted != null;
    }

    public long done() {
        return actions.stream().filter(Entry::isDone).count();
    }

    /** How many were revoked, or deleted ({@code stage}), or would have been in a dry run. */
    public long done(Action stage) {
        return actions.stream().filter(entry -> entry.isDone() && entry.action() == stage).count();
    }

    public long failed() {
        return actions.stream().filter(Entry::isFailed).count();
    }

    public long skipped() {
        return actions.size() - done() - failed();
    }

    /**
     * What happened, in one line: "Dry run: 48 would be revoked, 2 skipped, 0 failed; 751 more wait for the next runs (…)";
     * revoke-then-delete counts each stage: "3 deleted, 47 revoked, …".
     */
    public String headline() {
        if (isHalted()) {
            return (dryRun ? "Dry run halted: " : "Halted: ") + halted;
        }
        StringBuilder line = new StringBuilder(dryRun ? "Dry run: " : "")
                .append(action.stages().stream().map(stage -> String.format("%,d%s %s", done(stage), dryRun ? " would be" : "", stage.done()))
                        .collect(Collectors.joining(", ")))
                .append(String.format(", %,d skipped, %,d failed", skipped(), failed()));
        if (overCap > 0) {
            line.append(String.format("; %,d more wait for the next runs (sentinel.remediate.max-per-run)", overCap));
        }
        if (waiting > 0) {
            line.append(String.format("; %,d open for less than sentinel.remediate.min-open", waiting));
        }
        if (keptLastDevice > 0) {
            line.append(String.format("; %,d %s (sentinel.remediate.last-device-after)", keptLastDevice, Kept.OUTCOME));
        }
        return line.toString();
    }
}
