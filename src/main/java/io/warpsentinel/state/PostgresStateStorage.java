package io.warpsentinel.state;

import io.warpsentinel.state.StoredFinding.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shared store: two tables in PostgreSQL (created by the migrations, see {@link StateDatabase}),
 * a row of {@code warp_sentinel_finding} per {@link StoredFinding}, a table column per
 * {@link Column}. A save runs in one transaction and writes only the rows that changed (new
 * findings, findings that recovered or went, findings alerted or noticed this time), so a daily
 * scan of a stable fleet writes a few rows. The account's row is locked for the save, so
 * instances sharing the store take turns.
 */
final class PostgresStateStorage implements StateStorage {

    private static final int BATCH = 1000;

    private static final List<Column> COLUMNS = List.of(Column.values());
    /** The columns an UPDATE sets: all but the key. */
    private static final List<Column> UPDATED = COLUMNS.stream().filter(column -> column != Column.REGISTRATION_ID).toList();

    private static final String SELECT_FINDINGS = "SELECT " + names(COLUMNS) + " FROM warp_sentinel_finding WHERE account_id = ?";
    // DO NOTHING: a registration listed twice in one scan, or saved meanwhile by another instance
    private static final String INSERT_FINDING = "INSERT INTO warp_sentinel_finding (account_id, " + names(COLUMNS) + ") VALUES (?"
            + ", ?".repeat(COLUMNS.size()) + ") ON CONFLICT (account_id, registration_id) DO NOTHING";
    private static final String UPDATE_FINDING = "UPDATE warp_sentinel_finding SET "
            + UPDATED.stream().map(column -> column.storedName + " = ?").collect(Collectors.joining(", "))
            + " WHERE account_id = ? AND registration_id = ?";

    private final StateDatabase database;

    PostgresStateStorage(StateDatabase database) {
        this.database = database;
    }

    @Override
    public Stored load(String accountId) throws Exception {
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
            read(connection, accountId, findings::put);
            connection.commit();
            return new Stored(previousScan, registrations, findings);
        }
    }

    @Override
    public void read(String accountId, Rows rows) throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            read(connection, accountId, rows);
            connection.commit();
        }
    }

    /** Streams the account's stored findings (inside the connection's transaction). */
    private static void read(Connection connection, String accountId, Rows rows) throws Exception {
        try (PreparedStatement query = connection.prepareStatement(SELECT_FINDINGS)) {
            query.setString(1, accountId);
            query.setFetchSize(BATCH);
            try (ResultSet result = query.executeQuery()) {
                // SELECT_FINDINGS lists the columns in their declared order
                StoredFinding.Values values = new StoredFinding.Values() {
                    @Override
                    public String text(Column column) throws SQLException {
                        return result.getString(column.ordinal() + 1);
                    }

                    @Override
                    public long epochMillis(Column column) throws SQLException {
                        long value = result.getLong(column.ordinal() + 1);
                        return result.wasNull() ? TrackedFinding.NEVER : value;
                    }
                };
                while (result.next()) {
                    rows.accept(StoredFinding.read(values));
                }
            }
        }
    }

    @Override
    public boolean save(CompletedScan scan) throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                if (!claim(connection, scan)) {
                    connection.rollback();
                    return false;
                }
                write(connection, scan);
                connection.commit();
                return true;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Locks the account's row and records this scan as its last complete one, unless a later scan already is. */
    private static boolean claim(Connection connection, CompletedScan scan) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO warp_sentinel_scan (account_id, last_complete_scan, "
                + "registrations) VALUES (?, ?, ?) ON CONFLICT (account_id) DO NOTHING")) {
            insert.setString(1, scan.accountId());
            insert.setLong(2, scan.startedAt());
            insert.setLong(3, scan.registrations());
            if (insert.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT last_complete_scan FROM warp_sentinel_scan WHERE account_id = ? FOR UPDATE")) {
            query.setString(1, scan.accountId());
            try (ResultSet row = query.executeQuery()) {
                if (row.next() && scan.startedBefore(row.getLong(1))) {
                    return false;
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE warp_sentinel_scan SET last_complete_scan = ?, registrations = ? WHERE account_id = ?")) {
            update.setLong(1, scan.startedAt());
            update.setLong(2, scan.registrations());
            update.setString(3, scan.accountId());
            update.executeUpdate();
        }
        return true;
    }

    /** Deletes the rows that leave, updates those that change, inserts the new ones: the rows the scan gives, as they are. */
    private static void write(Connection connection, CompletedScan scan) throws Exception {
        String accountId = scan.accountId();
        try (PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM warp_sentinel_finding WHERE account_id = ? AND registration_id = ?");
             PreparedStatement insert = connection.prepareStatement(INSERT_FINDING);
             PreparedStatement update = connection.prepareStatement(UPDATE_FINDING)) {
            Batches batches = new Batches(delete, insert, update);
            // the stored rows are read back from the store, not held in memory
            read(connection, accountId, stored -> {
                StoredFinding kept = scan.after(stored);
                if (kept == null) {
                    delete.setString(1, accountId);
                    delete.setString(2, stored.registrationId());
                    batches.add(delete);
                } else if (!kept.equals(stored)) {
                    int next = bind(update, 1, kept, UPDATED);
                    update.setString(next, accountId);
                    update.setString(next + 1, stored.registrationId());
                    batches.add(update);
                }
            });
            scan.readNew(row -> {
                insert.setString(1, accountId);
                bind(insert, 2, row, COLUMNS);
                batches.add(insert);
            });
            batches.flush();
        }
    }

    /** Sets the row's values of these columns from parameter {@code first} on; returns the next parameter's index. */
    private static int bind(PreparedStatement statement, int first, StoredFinding row, List<Column> columns) throws SQLException {
        int index = first;
        for (Column column : columns) {
            if (column.kind == StoredFinding.Kind.TEXT) {
                statement.setString(index++, row.text(column));
            } else {
                setEpochMillis(statement, index++, row.epochMillis(column));
            }
        }
        return index;
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

    private static void setEpochMillis(PreparedStatement statement, int index, long value) throws SQLException {
        if (value == TrackedFinding.NEVER) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static String names(List<Column> columns) {
        return columns.stream().map(column -> column.storedName).collect(Collectors.joining(", "));
    }

    @Override
    public String location() {
        return database.location();
    }
}
