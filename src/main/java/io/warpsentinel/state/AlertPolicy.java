package io.warpsentinel.state;

import io.warpsentinel.classify.Exclusions;
import java.time.Duration;
import java.time.Instant;

/**
 * When a finding is worth telling someone about again.
 *
 * @param onlyNew      alert channels fire only for findings never alerted yet and reminders due,
 *                     instead of on every run ({@code sentinel.alert.only-new})
 * @param remindAfter  how long an open finding stays quiet after an alert or an owner notice;
 *                     null: never remind ({@code sentinel.alert.remind-after})
 * @param ownerNotices collect the stale findings whose owners are due a notice
 * @param neverNoticed users and devices never sent a notice ({@code sentinel.owner-notice.skip-*})
 * @param noticesPerRun how many devices one scan of an account names in owner notices at most
 *                     ({@code sentinel.owner-notice.max-per-run}); the rest wait for the next scan
 * @param listLimit    how many due findings an alert message lists
 */
public record AlertPolicy(boolean onlyNew, Duration remindAfter, boolean ownerNotices, Exclusions neverNoticed, int noticesPerRun,
                          int listLimit) {

    /** Never told, or told long enough ago for a reminder. */
    boolean due(Instant lastTold, Instant now) {
        return lastTold == null || remindAfter != null && !lastTold.plus(remindAfter).isAfter(now);
    }
}
