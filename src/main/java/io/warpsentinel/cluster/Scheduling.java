package io.warpsentinel.cluster;

import java.text.ParseException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.TimeZone;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.CronExpression;
import org.quartz.simpl.RAMJobStore;
import org.quartz.simpl.SimpleThreadPool;

/**
 * Quartz's scheduler of the scheduled scan, alone in memory ({@link #installAlone}) or as a
 * cluster member ({@link QuartzCluster}): one thread, and how late a firing may still start.
 *
 * <p>A firing that came due while the scan before it still ran (or, in a cluster, while a dead
 * instance still held the trigger) is late. Quartz runs every late firing within its misfire
 * threshold, a minute by default, back to back: on a schedule shorter than that, a long scan or a
 * failover was followed by a burst of scans, each with its report and alerts. With the threshold
 * below the schedule's shortest interval and the trigger's misfire instruction "do nothing"
 * ({@code routes/trigger.camel.yaml}), at most the firing of the current interval starts late, and
 * the others are skipped; a scan cut short by a dead instance runs again all the same (it asked
 * for recovery), as the one catch-up.
 */
public final class Scheduling {

    /** Quartz's own default: no schedule needs a firing more than a minute late. */
    static final Duration LONGEST_GRACE = Duration.ofMinutes(1);
    /** Firings of the schedule looked at for its shortest interval. */
    private static final int FIRINGS = 1_000;

    private Scheduling() {
    }

    /**
     * How late a firing of {@code schedule} may still start: half the shortest interval between
     * two of its next firings, at most a minute.
     */
    public static Duration misfireGrace(String schedule, ZoneId timeZone) {
        CronExpression cron;
        try {
            cron = new CronExpression(schedule);
        } catch (ParseException e) {
            throw new IllegalArgumentException("Not a cron expression: " + schedule, e);
        }
        cron.setTimeZone(TimeZone.getTimeZone(timeZone));
        long shortest = LONGEST_GRACE.toMillis() * 2;
        Date firing = cron.getNextValidTimeAfter(new Date());
        for (int i = 0; i < FIRINGS && firing != null && shortest > 1_000; i++) {
            Date next = cron.getNextValidTimeAfter(firing);
            if (next != null) {
                shortest = Math.min(shortest, next.getTime() - firing.getTime());
            }
            firing = next;
        }
        return Duration.ofMillis(shortest / 2);
    }

    /** An instance alone: its scheduler in memory. */
    public static void installAlone(CamelContext camel, Duration misfireGrace) {
        Map<String, String> properties = properties(misfireGrace);
        properties.put("org.quartz.jobStore.class", RAMJobStore.class.getName());
        camel.getComponent("quartz", QuartzComponent.class).setProperties(properties);
    }

    /** What every scheduler of this process has, alone or clustered. */
    static Map<String, String> properties(Duration misfireGrace) {
        Map<String, String> properties = new HashMap<>();
        properties.put("org.quartz.scheduler.skipUpdateCheck", "true");
        // one scan at a time: the trigger is stateful
        properties.put("org.quartz.threadPool.class", SimpleThreadPool.class.getName());
        properties.put("org.quartz.threadPool.threadCount", "1");
        properties.put("org.quartz.jobStore.misfireThreshold", String.valueOf(Math.max(1, misfireGrace.toMillis())));
        return properties;
    }
}
