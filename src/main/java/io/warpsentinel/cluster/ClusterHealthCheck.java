package io.warpsentinel.cluster;

import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.state.StateDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a cluster member, read where the cluster itself keeps it: Quartz's check-in
 * table. UP while this instance's last check-in is recent (it is in the cluster and can reach
 * the database), with the instances the cluster counts alive in the details; DOWN otherwise.
 */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    /** Quartz takes an instance for dead this long after its check-in interval has passed without one. */
    static final Duration QUARTZ_GRACE = Duration.ofMillis(7_500);

    private final StateDatabase database;
    private final String instanceId;
    private final FailureText failureText;
    private final Clock clock;

    public ClusterHealthCheck(StateDatabase database, String instanceId, FailureText failureText, Clock clock) {
        super("warp-sentinel", "cluster");
        this.database = database;
        this.instanceId = instanceId;
        this.failureText = failureText;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("instance", instanceId);
        List<String> alive = new ArrayList<>();
        long ownCheckIn = -1;
        long now = clock.millis();
        try (Connection connection = database.connection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state WHERE sched_name = ?")) {
            query.setString(1, QuartzCluster.SCHEDULER);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    long lastCheckIn = row.getLong(2);
                    if (now - lastCheckIn <= row.getLong(3) + QUARTZ_GRACE.toMillis()) {
                        alive.add(row.getString(1));
                    }
                    if (row.getString(1).equals(instanceId)) {
                        ownCheckIn = lastCheckIn;
                    }
                }
            }
        } catch (SQLException e) {
            builder.message("Instance " + instanceId + " cannot reach the cluster's database: " + failureText.describe(e));
            builder.down();
            return;
        }
        alive.sort(null);
        builder.detail("members", String.join(",", alive));
        if (alive.contains(instanceId)) {
            builder.message("Instance " + instanceId + " is in the cluster of " + alive.size() + ": " + String.join(", ", alive));
            builder.up();
        } else {
            builder.message("Instance " + instanceId + " is not in the cluster: " + (ownCheckIn < 0 ? "it has not checked in yet"
                    : "its last check-in was " + (now - ownCheckIn) / 1000 + " s ago"));
            builder.down();
        }
    }
}
