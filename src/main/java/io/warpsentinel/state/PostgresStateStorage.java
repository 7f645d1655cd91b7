package io.warpsentinel.state;

import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation.Action;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * The shared store: two tables in PostgreSQL (created by the migrations, see {@link StateDatabase}). A save runs in one
 * transaction and writes only what changed (new findings, findings that recovered or went,
 * findings alerted or noticed this time), so a daily scan of a stable fleet writes a few rows.
 * The account's row is locked for the save, so instances sharing the store take turns.
 */
final class PostgresStateStorage implements StateStorage {

    private static final int BATCH = 1000;

    private final StateDatabase database;

    PostgresStateStorage(StateDatabase database) {
        this.database = database;
    }

    @Override
    public Stored load(String accountId) throws SQLException {
        try (Connection connection = connect()) {
            // PostgreSQL streams a result set only inside a transaction
            connection.setAutoCommit(false);
            Instant previousScan = null;
            long registrations = -1;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT last_complete_scan, registrations FROM warp_sentinel_scan WHERE account_id = ?")) {
                query.setString(1, accountId);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        previousScan = Instant.ofEpochMilli(row.getLong(1));
                        registrations = row.getLong(2);
                        if (row.wasNull()) {
                            registrations = -1;
                        }
                    }
                }
            }
            FindingIndex findings;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM warp_sentinel_finding WHERE account_id = ?")) {
                count.setString(1, accountId);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    findings = new FindingIndex(row.getInt(1)); // sized once, not grown
                }
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT registration_id, reason, finding_since, alerted_at, "
                    + "owner_noticed_at, acted, acted_at FROM warp_sentinel_finding WHERE account_id = ?")) {
                query.setString(1, accountId);
                query.setFetchSize(BATCH);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        findings.put(row.getString(1), Reason.valueOf(row.getString(2)), row.getLong(3), epochMillis(row, 4),
                                epochMillis(row, 5), Action.of(row.getString(6)), epochMillis(row, 7));
                    }
                }
            }
            connection.commit();
            return new Stored(previousScan, registrations, findings);
        }
    }

    @Override
    public void read(String accountId, StoredReader reader) throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            read(connection, accountId, reader);
            connection.commit();
        }
    }

    /** Streams the account's stored findings (inside the connection's transaction). */
    private static void read(Connection connection, String accountId, StoredReader reader) throws Exception {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT registration_id, device_name, user_email, last_seen_at FROM warp_sentinel_finding WHERE account_id = ?")) {
            query.setString(1, accountId);
            query.setFetchSize(BATCH);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    reader.accept(row.getString(1), row.getString(2), row.getString(3), row.getString(4));
                }
            }
        }
    }

    @Override
    public boolean save(AccountState state, PublishedFindings published, boolean alerted) throws Exception {
        long scan = state.getScanStartedAt().toEpochMilli();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                if (!claim(connection, state.getAccountId(), scan, state.getScanned())) {
                    connection.rollback();
                    return false;
                }
                write(connection, state, published, alerted, scan);
                connection.commit();
                return true;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Locks the account's row and records this scan as its last complete one, unless a later scan already is. */
    private static boolean claim(Connection connection, String accountId, long scan, long registrations) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO warp_sentinel_scan (account_id, last_complete_scan, "
                + "registrations) VALUES (?, ?, ?) ON CONFLICT (account_id) DO NOTHING")) {
            insert.setString(1, accountId);
            insert.setLong(2, scan);
            insert.setLong(3, registrations);
            if (insert.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT last_complete_scan FROM warp_sentinel_scan WHERE account_id = ? FOR UPDATE")) {
            query.setString(1, accountId);
            try (ResultSet row = query.executeQuery()) {
                if (row.next() && row.getLong(1) > scan) {
                    return false;
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE warp_sentinel_scan SET last_complete_scan = ?, registrations = ? WHERE account_id = ?")) {
            update.setLong(1, scan);
            update.setLong(2, registrations);
            update.setString(3, accountId);
            update.executeUpdate();
        }
        return true;
    }

    private static void write(Connection connection, AccountState state, PublishedFindings published, boolean alerted, long scan)
            throws Exception {
        String accountId = state.getAccountId();
        try (PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM warp_sentinel_finding WHERE account_id = ? AND registration_id = ?");
             // DO NOTHING: a registration listed twice in one scan, or saved meanwhile by another instance
             PreparedStatement insert = connection.prepareStatement("INSERT INTO warp_sentinel_finding (account_id, registration_id, "
                     + "reason, finding_since, alerted_at, owner_noticed_at, device_name, user_email, last_seen_at, acted, acted_at) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, registration_id) DO NOTHING");
             PreparedStatement update = connection.prepareStatement("UPDATE warp_sentinel_finding SET reason = ?, alerted_at = ?, "
                     + "owner_noticed_at = ?, acted = ?, acted_at = ? WHERE account_id = ? AND registration_id = ?")) {
            Batches batches = new Batches(delete, insert, update);
            // the ids of the findings that leave (recovered, gone, now excluded) are in the store, not in memory
            read(connection, accountId, (id, deviceName, userEmail, lastSeenAt) -> {
                if (state.leaves(id)) {
                    delete.setString(1, accountId);
                    delete.setString(2, id);
                    batches.add(delete);
                }
            });
            FindingIndex previous = state.previous();
            published.read(finding -> {
                String id = finding.registrationId();
                if (id == null) {
                    return;
                }
                if (Change.NEW.label().equals(finding.change())) {
                    insert.setString(1, accountId);
                    insert.setString(2, id);
                    insert.setString(3, finding.reason().name());
                    insert.setLong(4, scan);
                    setEpochMillis(insert, 5, alerted ? scan : TrackedFinding.NEVER);
                    setEpochMillis(insert, 6, state.ownerNoticedAt(id));
                    insert.setString(7, finding.deviceName());
                    insert.setString(8, finding.userEmail());
                    insert.setString(9, finding.lastSeenAt());
                    Action acted = state.actedOnNew(id);
                    insert.setString(10, acted == Action.NONE ? null : acted.label());
                    setEpochMillis(insert, 11, acted == Action.NONE ? TrackedFinding.NEVER : scan);
                    batches.add(insert);
                    return;
                }
                int slot = state.stillOpen(id);
                if (slot >= 0 && (previous.changed(slot) || alerted && previous.alertDue(slot))) {
                    update.setString(1, previous.reason(slot).name());
                    setEpochMillis(update, 2, state.alertedAtAfter(slot, alerted));
                    setEpochMillis(update, 3, previous.ownerNoticedAt(slot));
                    update.setString(4, previous.acted(slot) == Action.NONE ? null : previous.acted(slot).label());
                    setEpochMillis(update, 5, previous.actedAt(slot));
                    update.setString(6, accountId);
                    update.setString(7, id);
                    batches.add(update);
                }
            });
            batches.flush();
        }
    }

    /** JDBC batches of the three statements, run in a fixed order (deletes first) whenever one fills up. */
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
        return database.connection();
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

    @Override
    public String location() {
        return database.location();
    }
}
