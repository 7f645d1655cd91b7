package io.warpsentinel.state;

import io.warpsentinel.classify.Reason;
import io.warpsentinel.report.AccountReport;
import io.warpsentinel.scan.ScanRun;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each account's findings are kept between complete scans: two small tables reached by
 * JDBC, in the embedded H2 database under {@code sentinel.state.dir} by default, or in PostgreSQL
 * ({@code sentinel.state.jdbc-url}) so several instances share it. The same SQL serves both.
 *
 * <p>A scan changes the state only when it completed: {@link #save} runs after its reports are
 * published and delivered, in one transaction (a crash leaves the previous state whole). It
 * writes only what changed: new findings (read back from the published CSV), findings that
 * recovered or went, and findings alerted or noticed this time. A scan older than the one that saved the state last never overwrites it.
 */
public final class StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final int BATCH = 1000;

    private final String url;
    private final String username;
    private final String password;
    private final AlertPolicy policy;
    private volatile boolean schemaReady;

    public StateStore(String url, String username, String password, AlertPolicy policy) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.policy = policy;
    }

    /** The account's findings at its last complete scan, ready to compare this scan with. */
    public AccountState load(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("accountId") String accountId) {
        try (Connection connection = connect()) {
            // PostgreSQL streams a result set only inside a transaction
            connection.setAutoCommit(false);
            Instant previousScan = null;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT last_complete_scan FROM warp_sentinel_scan WHERE account_id = ?")) {
                query.setString(1, accountId);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        previousScan = Instant.ofEpochMilli(row.getLong(1));
                    }
                }
            }
            Map<String, TrackedFinding> findings = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT registration_id, reason, finding_since, alerted_at, "
                    + "owner_noticed_at FROM warp_sentinel_finding WHERE account_id = ?")) {
                query.setString(1, accountId);
                query.setFetchSize(BATCH);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        findings.put(row.getString(1), new TrackedFinding(row.getString(1), Reason.valueOf(row.getString(2)),
                                row.getLong(3), epochMillis(row, 4), epochMillis(row, 5)));
                    }
                }
            }
            connection.commit();
            return new AccountState(accountId, previousScan, run.getStartedAt(), policy, findings, this::describeGone);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** The names and last-seen time the store kept for findings the API no longer lists. */
    private void describeGone(String accountId, Map<String, TrackedFinding> gone) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT registration_id, device_name, user_email, last_seen_at FROM warp_sentinel_finding WHERE account_id = ?")) {
                query.setString(1, accountId);
                query.setFetchSize(BATCH);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        TrackedFinding finding = gone.get(row.getString(1));
                        if (finding != null) {
                            finding.describe(row.getString(2), row.getString(3), row.getString(4));
                        }
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /**
     * Saves a completed scan: its new findings as the published CSV lists them, and what changed
     * about the previous ones. The due findings count as alerted only when every alert channel
     * delivered; otherwise the next scan alerts them again.
     */
    public void save(@ExchangeProperty("state") AccountState state, @ExchangeProperty("report") AccountReport report,
                     @ExchangeProperty("channels") List<?> channels) {
        boolean alerted = state.alertsDelivered(channels == null ? 0 : channels.size());
        Instant scan = state.getScanStartedAt();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                if (!claim(connection, state.getAccountId(), scan)) {
                    connection.rollback();
                    LOG.warn("Account {}: the finding state already holds a later scan; this scan's changes are not saved",
                            state.getAccountId());
                    return;
                }
                write(connection, state, report, alerted, scan.toEpochMilli());
                connection.commit();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("save", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not read back the published report " + report.getCsvFile() + ": " + e, e);
        }
    }

    /** Locks the account's row and records this scan as its last complete one, unless a later scan already is. */
    private static boolean claim(Connection connection, String accountId, Instant scan) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT last_complete_scan FROM warp_sentinel_scan WHERE account_id = ? FOR UPDATE")) {
            query.setString(1, accountId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO warp_sentinel_scan (account_id, last_complete_scan) VALUES (?, ?)")) {
                        insert.setString(1, accountId);
                        insert.setLong(2, scan.toEpochMilli());
                        insert.executeUpdate();
                    }
                    return true;
                }
                if (row.getLong(1) > scan.toEpochMilli()) {
                    return false;
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE warp_sentinel_scan SET last_complete_scan = ? WHERE account_id = ?")) {
            update.setLong(1, scan.toEpochMilli());
            update.setString(2, accountId);
            update.executeUpdate();
        }
        return true;
    }

    private static void write(Connection connection, AccountState state, AccountReport report, boolean alerted, long scan)
            throws Exception {
        String accountId = state.getAccountId();
        try (PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM warp_sentinel_finding WHERE account_id = ? AND registration_id = ?");
             // "if absent": another instance sharing the store may have saved it meanwhile
             PreparedStatement insert = connection.prepareStatement("INSERT INTO warp_sentinel_finding (account_id, registration_id, "
                     + "reason, finding_since, alerted_at, owner_noticed_at, device_name, user_email, last_seen_at) "
                     + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                     + "(SELECT 1 FROM warp_sentinel_finding WHERE account_id = ? AND registration_id = ?)");
             PreparedStatement update = connection.prepareStatement("UPDATE warp_sentinel_finding SET reason = ?, alerted_at = ?, "
                     + "owner_noticed_at = ? WHERE account_id = ? AND registration_id = ?")) {
            Batches batches = new Batches(delete, insert, update);
            for (String id : state.dropped()) {
                delete.setString(1, accountId);
                delete.setString(2, id);
                batches.add(delete);
            }
            for (TrackedFinding finding : state.previousFindings()) {
                if (finding.change == Change.RECOVERED || finding.change == Change.GONE) {
                    delete.setString(1, accountId);
                    delete.setString(2, finding.registrationId);
                    batches.add(delete);
                } else if (finding.changed || alerted && finding.alertDue) {
                    update.setString(1, finding.reason.name());
                    setEpochMillis(update, 2, alerted && finding.alertDue ? scan : finding.alertedAt);
                    setEpochMillis(update, 3, finding.ownerNoticedAt);
                    update.setString(4, accountId);
                    update.setString(5, finding.registrationId);
                    batches.add(update);
                }
            }
            report.readPublishedFindings(finding -> {
                if (!Change.NEW.label().equals(finding.change()) || finding.registrationId() == null) {
                    return;
                }
                insert.setString(1, accountId);
                insert.setString(2, finding.registrationId());
                insert.setString(3, finding.reason().name());
                insert.setLong(4, scan);
                setEpochMillis(insert, 5, alerted ? scan : TrackedFinding.NEVER);
                setEpochMillis(insert, 6, state.ownerNoticedNew(finding.registrationId()) ? scan : TrackedFinding.NEVER);
                insert.setString(7, finding.deviceName());
                insert.setString(8, finding.userEmail());
                insert.setString(9, finding.lastSeenAt());
                insert.setString(10, accountId);
                insert.setString(11, finding.registrationId());
                batches.add(insert);
            });
            batches.flush();
        }
    }

    /** JDBC batches of the three statements, run in a fixed order (deletes before inserts) whenever one fills up. */
    private record Batches(PreparedStatement delete, PreparedStatement insert, PreparedStatement update, int[] pending) {
        Batches(PreparedStatement delete, PreparedStatement insert, PreparedStatement update) {
            this(delete, insert, update, new int[1]);
        }

        void add(PreparedStatement statement) throws SQLException {
            statement.addBatch();
            if (++pending[0] >= BATCH) {
                flush();
            }
        }

        void flush() throws SQLException {
            delete.executeBatch();
            insert.executeBatch();
            update.executeBatch();
            pending[0] = 0;
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, username, password);
        if (!schemaReady) {
            createSchema(connection);
        }
        return connection;
    }

    private synchronized void createSchema(Connection connection) throws SQLException {
        if (schemaReady) {
            return;
        }
        // Times are epoch milliseconds: one type that H2 and PostgreSQL store and compare alike.
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS warp_sentinel_scan (account_id VARCHAR(64) PRIMARY KEY, "
                    + "last_complete_scan BIGINT NOT NULL)");
            ddl.execute("CREATE TABLE IF NOT EXISTS warp_sentinel_finding (account_id VARCHAR(64) NOT NULL, "
                    + "registration_id VARCHAR NOT NULL, reason VARCHAR(16) NOT NULL, finding_since BIGINT NOT NULL, "
                    + "alerted_at BIGINT, owner_noticed_at BIGINT, device_name VARCHAR, user_email VARCHAR, last_seen_at VARCHAR, "
                    + "PRIMARY KEY (account_id, registration_id))");
        }
        schemaReady = true;
    }

    private static long epochMillis(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? TrackedFinding.NEVER : value;
    }

    private static void setEpochMillis(PreparedStatement statement, int index, long value) throws SQLException {
        if (value == TrackedFinding.NEVER) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private IllegalStateException failure(String verb, SQLException e) {
        // H2's file lock: another process holds the embedded store
        String hint = url.startsWith("jdbc:h2:") && String.valueOf(e.getMessage()).contains("already in use")
                ? " The embedded store serves one process at a time: share the state through PostgreSQL (sentinel.state.jdbc-url)."
                : "";
        return new IllegalStateException("Could not " + verb + " the finding state in " + location() + " (sentinel.state.*): "
                + e.getMessage() + hint, e);
    }

    /** The store's URL without its parameters, which may carry a password. */
    String location() {
        int parameters = url.indexOf(url.startsWith("jdbc:h2:") ? ';' : '?');
        return parameters < 0 ? url : url.substring(0, parameters);
    }
}
