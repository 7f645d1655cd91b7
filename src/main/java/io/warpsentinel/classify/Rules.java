package io.warpsentinel.classify;

import io.warpsentinel.finding.Device;
import io.warpsentinel.finding.Newer;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules that decide what a report lists, for one run: everything is judged against the
 * run's start, so every account of a run uses the same thresholds. In this precedence:
 * <ol>
 *   <li><b>invalid</b>: a record that cannot be judged (no id, {@code last_seen_at} missing,
 *       not a timestamp or more than a day ahead, {@code revoked_at} not a timestamp);</li>
 *   <li><b>revoked</b>: {@code revoked_at} set, whatever {@code last_seen_at} says;</li>
 *   <li><b>superseded</b>: another registration of the same device and the same user (the same
 *       {@code user.id}, or both without one), not revoked, was last seen at least
 *       {@code sentinel.superseded-after} after this one;</li>
 *   <li><b>never-used</b>: last seen within {@code sentinel.never-used-within} of its
 *       {@code created_at}, created more than {@code sentinel.never-used-after} ago;</li>
 *   <li><b>stale</b>: last seen strictly before the start minus its stale-after window (its
 *       profile's, its platform's or the default: {@link StaleWindows}).</li>
 * </ol>
 */
public final class Rules {

    // A clock a little ahead of ours is normal; a device seen days from now is a broken record,
    // and calling it current would keep it out of every report for as long as that lasts.
    static final Duration LATEST_CLOCK_SKEW = Duration.ofDays(1);

    private final Instant now;
    private final StaleWindows windows;
    private final Duration supersededAfter;
    private final Duration neverUsedWithin;
    private final Instant neverUsedCreatedBefore;
    // each window's threshold at this run's start, by its index: a calendar period's length depends on the date
    private final Instant[] staleBefore;
    // the thresholds of the shortest and the longest window a registration without a profile window may get
    private final Instant shortestUnprofiled;
    private final Instant longestUnprofiled;

    public Rules(Instant now, StaleWindows windows, Duration supersededAfter, Duration neverUsedWithin, Duration neverUsedAfter) {
        this.now = now;
        this.windows = windows;
        this.supersededAfter = supersededAfter;
        this.neverUsedWithin = neverUsedWithin;
        this.neverUsedCreatedBefore = now.minus(neverUsedAfter);
        this.staleBefore = windows.all().stream().map(window -> window.staleBefore(now)).toArray(Instant[]::new);
        this.shortestUnprofiled = windows.unprofiled().stream().map(this::staleBefore).max(Instant::compareTo).orElseThrow();
        this.longestUnprofiled = windows.unprofiled().stream().map(this::staleBefore).min(Instant::compareTo).orElseThrow();
    }

    public Instant now() {
        return now;
    }

    /**
     * The verdict on a registration.
     *
     * @param newest the newest registration of its device and user, not revoked (possibly this one),
     *               or null when none is known
     * @param device its device's details from Cloudflare's inventory, or null
     */
    public Verdict judge(Registration registration, Newer newest, Device device) {
        if (registration.defect() != null) {
            return verdict(registration, Reason.INVALID, null, registration.defect(), null, null, device);
        }
        Instant lastSeen = RegistrationClassifier.parseTimestamp(registration.lastSeenAt());
        String lastSeenProblem = lastSeenProblem(registration, lastSeen);
        Long days = lastSeenProblem == null ? Duration.between(lastSeen, now).toDays() : null;
        if (isSet(registration.revokedAt())) {
            return RegistrationClassifier.parseTimestamp(registration.revokedAt()) != null
                    ? verdict(registration, Reason.REVOKED, days, null, null, null, device)
                    : verdict(registration, Reason.INVALID, days, "revoked_at is not an RFC 3339 timestamp", null, null, device);
        }
        if (lastSeenProblem != null) {
            return verdict(registration, Reason.INVALID, null, lastSeenProblem, null, null, device);
        }
        if (newest != null && supersedes(newest.lastSeen(), lastSeen)) {
            return verdict(registration, Reason.SUPERSEDED, days, null, newest, null, device);
        }
        if (isNeverUsed(registration, lastSeen)) {
            return verdict(registration, Reason.NEVER_USED, days, null, null, null, device);
        }
        StaleWindows.Window window = windows.of(registration, device);
        Reason reason = lastSeen.isBefore(staleBefore(window)) ? Reason.STALE : Reason.CURRENT;
        return verdict(registration, reason, days, null, null, window.label(), device);
    }

    /** The window that judges this registration on this device (its verdict's {@code stale_after}, when a window judges it). */
    StaleWindows.Window windowOf(Registration registration, Device device) {
        return windows.of(registration, device);
    }

    /** When this registration on this device (null: unknown) is stale: last seen strictly before this instant of this run, by its own window. */
    public Instant staleBefore(Registration registration, Device device) {
        return staleBefore(windows.of(registration, device));
    }

    /** Registrations the window judges are stale when last seen strictly before this instant of this run. */
    public Instant staleBefore(StaleWindows.Window window) {
        return staleBefore[window.index()];
    }

    public StaleWindows windows() {
        return windows;
    }

    /** Whether a registration not stale by the window the listing knows may be stale on some device (a platform's shorter window). */
    boolean staleOnSomeDevice(Registration registration) {
        Instant lastSeen = RegistrationClassifier.parseTimestamp(registration.lastSeenAt());
        return lastSeen != null && lastSeen.isBefore(windows.profileOf(registration) != null
                ? staleBefore(windows.profileOf(registration)) : shortestUnprofiled);
    }

    /**
     * Whether the platform's window may decide between stale and current: no profile window
     * judges it, and it is stale by the shortest window its device may get but not by the longest.
     */
    boolean platformMatters(Registration registration) {
        if (windows.profileOf(registration) != null) {
            return false;
        }
        Instant lastSeen = RegistrationClassifier.parseTimestamp(registration.lastSeenAt());
        return lastSeen != null && lastSeen.isBefore(shortestUnprofiled) && !lastSeen.isBefore(longestUnprofiled);
    }

    /** Whether a registration last seen at {@code newer} supersedes one of the same device and user last seen at {@code older}. */
    boolean supersedes(Instant newer, Instant older) {
        // compared as instants, not as a Duration between them: asked of every registration set aside, twice
        return !older.plus(supersededAfter).isAfter(newer);
    }

    /**
     * Whether a registration last seen at {@code lastSeen} may be superseded by one listed later:
     * no judged registration is seen after the start plus the clock skew, so one seen within
     * {@code sentinel.superseded-after} of that never is.
     */
    boolean maySomedayBeSuperseded(Instant lastSeen) {
        return supersedes(now.plus(LATEST_CLOCK_SKEW), lastSeen);
    }

    /** Whether this registration can be the newer one that supersedes another: not revoked, judged, of a named device. */
    static boolean canSupersede(Registration registration, Verdict verdict) {
        return NewestRegistrations.applies(registration) && verdict.reason() != Reason.INVALID && verdict.reason() != Reason.REVOKED;
    }

    private boolean isNeverUsed(Registration registration, Instant lastSeen) {
        Instant created = RegistrationClassifier.parseTimestamp(registration.createdAt());
        return created != null && created.isBefore(neverUsedCreatedBefore)
                && !created.isBefore(lastSeen.minus(neverUsedWithin)) && !created.isAfter(lastSeen.plus(neverUsedWithin));
    }

    private String lastSeenProblem(Registration registration, Instant lastSeen) {
        return !isSet(registration.lastSeenAt()) ? "last_seen_at is missing"
                : lastSeen == null ? "last_seen_at is not an RFC 3339 timestamp"
                : lastSeen.isAfter(now.plus(LATEST_CLOCK_SKEW)) ? "last_seen_at is in the future (more than a day after the scan started)"
                : null;
    }

    /** The verdict, its note saying what is wrong with the record and what was repaired in it. */
    private static Verdict verdict(Registration registration, Reason reason, Long days, String problem, Newer supersededBy, String staleAfter,
                                   Device device) {
        String remark = registration.remark();
        String note = problem == null ? remark : remark == null ? problem : problem + "; " + remark;
        return Verdict.judged(registration, reason, days, note, supersededBy, staleAfter, device);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
