package io.warpsentinel.cluster;

import io.warpsentinel.state.StateDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.simpl.SimpleThreadPool;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Turns Camel's Quartz component into a member of the cluster: Quartz's JDBC job store
 * (JobStoreTX, clustered) on the shared database, through the same connection pool as the
 * finding state. Every instance names the same scheduler; each names itself by its instance id.
 */
public final class QuartzCluster {

    /** The scheduler every instance shares, as Quartz's tables name it. */
    static final String SCHEDULER = "warp-sentinel";
    private static final String DATA_SOURCE = "warp-sentinel";

    private QuartzCluster() {
    }

    public static void install(CamelContext camel, ClusterSettings settings, StateDatabase database, String instanceId) {
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
        quartz.setProperties(Map.ofEntries(
                Map.entry("org.quartz.scheduler.instanceName", SCHEDULER),
                Map.entry("org.quartz.scheduler.instanceId", instanceId),
                Map.entry("org.quartz.scheduler.skipUpdateCheck", "true"),
                // one scan at a time: the trigger is stateful
                Map.entry("org.quartz.threadPool.class", SimpleThreadPool.class.getName()),
                Map.entry("org.quartz.threadPool.threadCount", "1"),
                Map.entry("org.quartz.jobStore.class", JobStoreTX.class.getName()),
                Map.entry("org.quartz.jobStore.driverDelegateClass", PostgreSQLDelegate.class.getName()),
                Map.entry("org.quartz.jobStore.dataSource", DATA_SOURCE),
                Map.entry("org.quartz.jobStore.isClustered", "true"),
                Map.entry("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.checkInInterval().toMillis()))));
        // A stopping instance takes no more firings: Camel stops the routes before Quartz, and a
        // firing taken in between would find no route, end as done, and its scan be lost.
        camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStoppingEvent && quartz.getScheduler() != null) {
                    quartz.getScheduler().standby();
                }
            }
        });
    }
}
