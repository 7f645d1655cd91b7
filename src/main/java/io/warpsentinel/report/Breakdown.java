package io.warpsentinel.report;

import io.warpsentinel.finding.Verdict;
import java.util.List;
import java.util.function.Function;

/**
 * A way the HTML report breaks the findings down, declared once: its title, what its rows are,
 * and the row a finding counts in. {@link Breakdowns} counts every finding in each while the pages
 * stream, and the page shows each as a table of rows by reason. A new breakdown is one constant.
 */
enum Breakdown {
    /** A histogram: fixed ranges, shown in their order, empty ones too. */
    DAYS_SINCE_SEEN("Days since last seen", "days", v -> daysRange(v.daysSinceSeen()),
            List.of("0–30", "31–60", "61–90", "91–180", "181–365", "over 365"), "last seen unreadable", "no finding has a readable last seen"),
    PLATFORM("Platform and OS version", "platform", v -> v.device() == null ? null : ReportColumn.platform(v.device().deviceType(),
            v.device().osVersion()), null, "no device details", "no finding has its device's details"),
    CLIENT_VERSION("Client version", "client version", v -> v.registration().clientVersion(), null, "not sent",
            "Cloudflare sent no finding's client version"),
    // sent only when the listing asks for it (include=policy)
    PROFILE("Device profile", "profile", v -> v.registration().policyName(), null, "not in the listing",
            "not in the listing: Cloudflare lists device profiles only when asked (include=policy), which warp-sentinel does when a "
                    + "setting needs them");

    final String title;
    final String heading;
    final Function<Verdict, String> value;
    /** The rows of a histogram, in their order; null: the values the findings have, the most frequent first. */
    final List<String> ranges;
    /** The row of the findings without a value. */
    final String notKnown;
    /** What the page says instead of a table when no finding has a value. */
    final String noneKnown;

    Breakdown(String title, String heading, Function<Verdict, String> value, List<String> ranges, String notKnown, String noneKnown) {
        this.title = title;
        this.heading = heading;
        this.value = value;
        this.ranges = ranges;
        this.notKnown = notKnown;
        this.noneKnown = noneKnown;
    }

    /** The range of the histogram a number of days falls in; null when last seen is not known. */
    static String daysRange(Long days) {
        if (days == null) {
            return null;
        }
        int range = days <= 30 ? 0 : days <= 60 ? 1 : days <= 90 ? 2 : days <= 180 ? 3 : days <= 365 ? 4 : 5;
        return DAYS_SINCE_SEEN.ranges.get(range);
    }
}
