package io.warpsentinel.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL database of {@code sentinel.state.jdbc-url}: one connection pool for everything
 * this process does there (the finding state, Quartz's cluster), and its schema brought up to
 * date by the versioned migrations in {@code db/migration} (and {@code db/cluster} for a cluster
 * member) before the first connection is handed out: at the first scan, or at a cluster member's
 * start. A single instance whose database is down still starts, and its scans fail (readiness
 * DOWN) until the database is back.
 */
public final class StateDatabase implements AutoCloseable {

    /** Flyway's own table; a name of ours, so it never meets another application's history in a shared schema. */
    static final String HISTORY_TABLE = "warp_sentinel_schema_history";

    /** A migration that failed is not tried again for this long: every connection would run it. */
    private static final long RETRY_MIGRATION_MILLIS = 30_000;

    private final String url;
    private final String[] locations;
    private final HikariDataSource pool;
    private volatile boolean migrated;
    private long failedAt;
    private String failure;

    /**
     * @param connections the most connections open at once (accounts scanned side by side, Quartz's threads)
     * @param clustered   also create Quartz's tables (sentinel.cluster.enabled)
     */
    public StateDatabase(String url, String username, String password, int connections, boolean clustered) {
        this.url = url;
        this.locations = clustered ? new String[] {"classpath:db/migration", "classpath:db/cluster"}
                : new String[] {"classpath:db/migration"};
        HikariConfig config = new HikariConfig();
        config.setPoolName("warp-sentinel");
        config.setJdbcUrl(url);
        if (!username.isEmpty()) {
            config.setUsername(username);
        }
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(connections);
        config.setMinimumIdle(1);
        // start without the database; each use waits at most this long for a connection
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(30_000);
        // the driver sends a batch of inserts as multi-row statements: one round trip per batch
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        pool = new HikariDataSource(config);
    }

    /** A pooled connection (close it to give it back), once the schema is up to date. */
    public Connection connection() throws SQLException {
        if (!migrated) {
            migrate();
        }
        return pool.getConnection();
    }

    /**
     * Runs the migrations not yet applied. A database that an earlier warp-sentinel set up
     * without migrations has tables but no history: it is baselined, at version 1 when its
     * finding-state tables are complete (nothing to alter, so a user who does not own them
     * still can), else at 0 so the first migration adds what is missing.
     */
    private synchronized void migrate() throws SQLException {
        if (migrated) {
            return;
        }
        if (failure != null && System.currentTimeMillis() - failedAt < RETRY_MIGRATION_MILLIS) {
            throw new SQLException(failure);
        }
        try {
            Flyway.configure(StateDatabase.class.getClassLoader()).dataSource(pool).locations(locations).table(HISTORY_TABLE)
                    .baselineOnMigrate(true).baselineVersion(findingTablesComplete() ? "1" : "0")
                    // Quartz's tables stay applied when the cluster is turned off again
                    .ignoreMigrationPatterns("*:missing", "*:future")
                    // the finding state's migrations and the cluster's share one numbering but not one history: a
                    // cluster turned on after V3 gets V2 then, and a cluster's database V3 after its V2
                    .outOfOrder(true).load().migrate();
        } catch (FlywayException | SQLException e) {
            failure = "The database schema could not be brought up to date: " + e.getMessage();
            failedAt = System.currentTimeMillis();
            throw new SQLException(failure, e);
        }
        failure = null;
        migrated = true;
    }

    /** Whether the finding-state tables are there with every column the first migration gives them. */
    private boolean findingTablesComplete() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement query = connection.createStatement();
             ResultSet complete = query.executeQuery("SELECT count(*) = 5 FROM information_schema.columns WHERE table_schema = "
                     + "current_schema() AND (table_name, column_name) IN (('warp_sentinel_scan', 'last_complete_scan'), "
                     + "('warp_sentinel_scan', 'registrations'), ('warp_sentinel_finding', 'finding_since'), "
                     + "('warp_sentinel_finding', 'acted'), ('warp_sentinel_finding', 'acted_at'))")) {
            complete.next();
            return complete.getBoolean(1);
        }
    }

    /** The URL without its parameters, which may carry a password. */
    String location() {
        int parameters = url.indexOf('?');
        return parameters < 0 ? url : url.substring(0, parameters);
    }

    @Override
    public void close() {
        pool.close();
    }
}
