package io.warpsentinel.cluster;

import io.warpsentinel.state.StateDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TimeZone;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.spi.OperableTrigger;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Camel's Quartz component into a member of the cluster: Quartz's JDBC job store
 * (JobStoreTX, clustered) on the shared database, through the same connection pool as the
 * finding state. Every instance names the same scheduler; each names itself by its instance id.
 */
public final class QuartzCluster {

    /** The scheduler every instance shares, as Quartz's tables name it. */
    static final String SCHEDULER = "warp-sentinel";
    private static final String DATA_SOURCE = "warp-sentinel";
    private static final Logger LOG = LoggerFactory.getLogger(QuartzCluster.class);

    private QuartzCluster() {
    }

    /** @param misfireGrace how late a firing may still start ({@link Scheduling#misfireGrace}) */
    public static void install(CamelContext camel, ClusterSettings settings, StateDatabase database, String instanceId,
                               Duration misfireGrace) {
        // Quartz asks its DBConnectionManager for connections by name; this one hands out the pool's
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return database.connection();
            }

            @Override
            public void shutdown() {
                // the pool is the state store's too; it is closed when Camel has stopped
            }

            @Override
            public void initialize() {
                // the pool exists already
            }
        });
        QuartzComponent quartz = camel.getComponent("quartz", QuartzComponent.class);
        // the same scheduler name on every instance: Camel would add its context's name
        quartz.setPrefixInstanceName(false);
        Map<String, String> properties = Scheduling.properties(misfireGrace);
        properties.putAll(Map.of(
                "org.quartz.scheduler.instanceName", SCHEDULER,
                "org.quartz.scheduler.instanceId", instanceId,
                "org.quartz.jobStore.class", JobStoreTX.class.getName(),
                "org.quartz.jobStore.driverDelegateClass", PostgreSQLDelegate.class.getName(),
                "org.quartz.jobStore.dataSource", DATA_SOURCE,
                "org.quartz.jobStore.isClustered", "true",
                "org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.checkInInterval().toMillis())));
        quartz.setProperties(properties);
        camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    refreshStoredTriggers(camel);
                }
                // A stopping instance takes no more firings: Camel stops the routes before Quartz, and a
                // firing taken in between would find no route, end as done, and its scan be lost.
                if (event instanceof CamelEvent.CamelContextStoppingEvent && quartz.getScheduler() != null) {
                    quartz.getScheduler().standby();
                }
            }
        });
    }

    /**
     * The cluster's trigger outlives its instances in the database, and Camel keeps the one it
     * finds there unless its cron expression changed: a time zone (sentinel.time-zone) or misfire
     * instruction set since, by the operator or an upgrade, would never apply. Such a trigger is
     * replaced by one with the route's; its next firing is computed anew.
     */
    static void refreshStoredTriggers(CamelContext camel) throws SchedulerException {
        for (Route route : camel.getRoutes()) {
            if (!(route.getEndpoint() instanceof QuartzEndpoint endpoint) || endpoint.getCron() == null) {
                continue;
            }
            Scheduler scheduler = endpoint.getComponent().getScheduler();
            if (!(scheduler.getTrigger(endpoint.getTriggerKey()) instanceof CronTrigger stored)) {
                continue;
            }
            Map<String, Object> wanted = endpoint.getTriggerParameters();
            TimeZone timeZone = TimeZone.getTimeZone(String.valueOf(wanted.getOrDefault("timeZone", TimeZone.getDefault().getID())));
            // without one, Camel's cron trigger fires once now after a misfire
            int misfireInstruction = Integer.parseInt(String.valueOf(wanted.getOrDefault("misfireInstruction",
                    CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW)));
            if (stored.getTimeZone().getID().equals(timeZone.getID()) && stored.getMisfireInstruction() == misfireInstruction) {
                continue;
            }
            OperableTrigger replacement = (OperableTrigger) stored.getTriggerBuilder()
                    .withSchedule(CronScheduleBuilder.cronSchedule(stored.getCronExpression()).inTimeZone(timeZone)).startNow().build();
            replacement.setMisfireInstruction(misfireInstruction);
            LOG.info("The cluster's stored trigger {} had time zone {} and misfire instruction {}: replaced by the route's, {} and {}",
                    stored.getKey(), stored.getTimeZone().getID(), stored.getMisfireInstruction(), timeZone.getID(), misfireInstruction);
            scheduler.rescheduleJob(stored.getKey(), replacement);
        }
    }
}
