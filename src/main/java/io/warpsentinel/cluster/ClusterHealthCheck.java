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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a cluster member, read where the cluster itself keeps it: Quartz's check-in
 * table. UP while this instance's last check-in is recent (it is in the cluster and can reach
 * the database), with the instances the cluster counts alive in the details; DOWN otherwise.
 * The answer never waits long on the database: during an outage the pool waits its 30 s for a
 * connection, and a probe that waits longer than a readiness probe's timeout is no answer at all.
 */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    /** Quartz takes an instance for dead this long after its check-in interval has passed without one. */
    static final Duration QUARTZ_GRACE = Duration.ofMillis(7_500);
    /** The longest an answer waits for the database; the query runs on, and a later answer reads it. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
    /** A connection that stopped answering mid-query (a lost network) fails after this, so the next query gets another. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final StateDatabase database;
    private final String instanceId;
    private final FailureText failureText;
    private final Clock clock;
    /** One query at a time: calls during an outage wait on the same query, not on threads of their own. */
    private final ExecutorService queries;
    private Future<CheckIns> query;
    private volatile String lastFailure;

    /** The check-in table as one query read it, at {@code at}. */
    private record CheckIns(long at, Map<String, CheckIn> byInstance) {
    }

    /** One instance's last check-in and the interval it checks in at, in milliseconds. */
    private record CheckIn(long last, long interval) {
    }

    public ClusterHealthCheck(StateDatabase database, String instanceId, FailureText failureText, Clock clock, ExecutorService queries) {
        super("warp-sentinel", "cluster");
        this.database = database;
        this.instanceId = instanceId;
        this.failureText = failureText;
        this.clock = clock;
        this.queries = queries;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("instance", instanceId);
        CheckIns checkIns;
        try {
            checkIns = latestQuery().get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            builder.message("Instance " + instanceId + " cannot reach the cluster's database: no answer within "
                    + ANSWER_WITHIN.toSeconds() + " s" + (lastFailure == null ? "" : " (the last failure: " + lastFailure + ")"));
            builder.down();
            return;
        } catch (ExecutionException failed) {
            builder.message("Instance " + instanceId + " cannot reach the cluster's database: " + failureText.describe(failed.getCause()));
            builder.down();
            return;
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            builder.message("Instance " + instanceId + " is stopping");
            builder.down();
            return;
        }
        List<String> alive = new ArrayList<>();
        checkIns.byInstance().forEach((instance, checkIn) -> {
            if (checkIns.at() - checkIn.last() <= checkIn.interval() + QUARTZ_GRACE.toMillis()) {
                alive.add(instance);
            }
        });
        alive.sort(null);
        builder.detail("members", String.join(",", alive));
        if (alive.contains(instanceId)) {
            builder.message("Instance " + instanceId + " is in the cluster of " + alive.size() + ": " + String.join(", ", alive));
            builder.up();
        } else {
            CheckIn own = checkIns.byInstance().get(instanceId);
            builder.message("Instance " + instanceId + " is not in the cluster: " + (own == null ? "it has not checked in yet"
                    : "its last check-in was " + (checkIns.at() - own.last()) / 1000 + " s ago"));
            builder.down();
        }
    }

    /** The query still running from an earlier call, else a new one. */
    private synchronized Future<CheckIns> latestQuery() {
        if (query == null || query.isDone()) {
            query = queries.submit(this::readCheckIns);
        }
        return query;
    }

    /** Quartz's check-in table; a failure is kept for the answers that only see the next query time out. */
    private CheckIns readCheckIns() throws SQLException {
        Map<String, CheckIn> byInstance = new HashMap<>();
        try (Connection connection = database.connection()) {
            connection.setNetworkTimeout(Runnable::run, (int) QUERY_TIMEOUT.toMillis());
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state WHERE sched_name = ?")) {
                select.setString(1, QuartzCluster.SCHEDULER);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        byInstance.put(row.getString(1), new CheckIn(row.getLong(2), row.getLong(3)));
                    }
                }
            }
        } catch (SQLException e) {
            lastFailure = failureText.describe(e);
            throw e;
        }
        lastFailure = null;
        return new CheckIns(clock.millis(), byInstance);
    }
}
