package io.warpsentinel.classify;

import io.warpsentinel.finding.Device;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one account's stale-after windows did, for the report's policy section: how many
 * registrations each window judged (stale or current) and found stale, how many registrations
 * carry each profile that has a window (none: a typo, named in a WARN), and how many registrations
 * a platform's window could have judged otherwise were judged by {@code sentinel.stale-after},
 * their platform unknown. Counted by the account's {@link Judge} on each registration's final
 * verdict: a few longs per window, whatever the fleet.
 */
public final class JudgedWindows {

    /**
     * One window's part.
     *
     * @param staleBefore registrations it judges are stale when last seen strictly before this instant of the run
     * @param carriedBy   for a profile's window, how many registrations carry the profile; 0 for the others
     */
    public record Use(StaleWindows.Window window, Instant staleBefore, long judged, long stale, long carriedBy) {
    }

    private final Rules rules;
    private final long[] judged;
    private final long[] stale;
    private final long[] carriedBy;
    private long platformUnknown;

    JudgedWindows(Rules rules) {
        this.rules = rules;
        int windows = rules.windows().all().size();
        judged = new long[windows];
        stale = new long[windows];
        carriedBy = new long[windows];
    }

    /** A registration of the listing, whatever its verdict: counted under its profile's window, if it has one. */
    void listed(Registration registration) {
        StaleWindows.Window profile = rules.windows().profileOf(registration);
        if (profile != null) {
            carriedBy[profile.index()]++;
        }
    }

    /** A registration's final verdict, on its device (null when unknown). */
    void judged(Verdict verdict, Device device) {
        if (verdict.staleAfter() == null) {
            return; // invalid, revoked, superseded or never used: no window judged it
        }
        Registration registration = verdict.registration();
        int window = rules.windowOf(registration, device).index();
        judged[window]++;
        if (verdict.reason() == Reason.STALE) {
            stale[window]++;
        }
        if (device == null && rules.windows().hasPlatforms() && rules.platformMatters(registration)) {
            platformUnknown++;
        }
    }

    /** What the windows did so far: once the account's registrations are all judged, what its report says. */
    public Summary summary() {
        List<Use> uses = new ArrayList<>();
        for (StaleWindows.Window window : rules.windows().all()) {
            int i = window.index();
            uses.add(new Use(window, rules.staleBefore(window), judged[i], stale[i], carriedBy[i]));
        }
        return new Summary(List.copyOf(uses), platformUnknown);
    }

    /**
     * What an account's stale-after windows did.
     *
     * @param uses            each window's part, in the order of {@link StaleWindows#all()}: the default first
     * @param platformUnknown how many registrations a platform's window could have judged otherwise (stale by one
     *                        window their device may get, current by another) were judged by
     *                        {@code sentinel.stale-after}: their device's details unavailable, or the device not in
     *                        Cloudflare's inventory
     */
    public record Summary(List<Use> uses, long platformUnknown) {

        /** The profiles with a window that no registration of the listing carries. */
        public List<String> unmatchedProfiles() {
            return uses.stream().filter(use -> use.window().rule() == StaleWindows.Rule.PROFILE && use.carriedBy() == 0)
                    .map(use -> use.window().name()).toList();
        }

        /** Whether a window of this kind is configured. */
        public boolean has(StaleWindows.Rule rule) {
            return uses.stream().anyMatch(use -> use.window().rule() == rule);
        }
    }
}
