package io.warpsentinel.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL database of {@code sentinel.state.jdbc-url}: one connection pool for everything
 * this process does there (the finding state, Quartz's cluster), and its schema brought up to
 * date by the versioned migrations in {@code db/migration} before the first connection is
 * handed out. Nothing connects before that: an instance whose database is down still starts,
 * and its scans fail (readiness DOWN) until the database is back.
 */
public final class StateDatabase implements AutoCloseable {

    /** Flyway's own table; a name of ours, so it never meets another application's history in a shared schema. */
    static final String HISTORY_TABLE = "warp_sentinel_schema_history";

    private final String url;
    private final HikariDataSource pool;
    private volatile boolean migrated;

    /** @param connections the most connections open at once (accounts scanned side by side, Quartz's threads) */
    public StateDatabase(String url, String username, String password, int connections) {
        this.url = url;
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
     * without migrations has tables but no history: it is baselined at version 0 and every
     * migration runs, each written to find its tables already there.
     */
    private synchronized void migrate() throws SQLException {
        if (migrated) {
            return;
        }
        try {
            Flyway.configure(StateDatabase.class.getClassLoader()).dataSource(pool).locations("classpath:db/migration")
                    .table(HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0").load().migrate();
        } catch (FlywayException e) {
            throw new SQLException("The database schema could not be brought up to date: " + e.getMessage(), e);
        }
        migrated = true;
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
