package io.warpsentinel.state;

import io.warpsentinel.state.StoredRow.Type;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shared store: three tables in PostgreSQL (created by the migrations, see {@link StateDatabase}):
 * the accounts' last complete scans, a row of {@code warp_sentinel_finding} per {@link StoredFinding}
 * and one of {@code warp_sentinel_removal} per {@link StoredRemoval}, a table column per column of
 * the row. A save runs in one transaction and writes only the rows that changed (new findings,
 * findings that recovered or went, findings alerted or noticed this time, removals made or
 * forgotten), so a daily scan of a stable fleet writes a few rows. The account's row is locked for
 * the save, so instances sharing the store take turns.
 */
final class PostgresStateStorage implements StateStorage {

    private static final int BATCH = 1000;

    private static final Table<StoredFinding> FINDINGS = new Table<>(StoredFinding.ROWS);
    private static final Table<StoredRemoval> REMOVALS = new Table<>(StoredRemoval.ROWS);

    private final StateDatabase database;

    PostgresStateStorage(StateDatabase database) {
        this.database = database;
    }

    /** A kind of row's table, and the statements that read and write it, built once from its columns. */
    private static final class Table<R extends StoredRow> {
        final Type<R> type;
        /** The columns an UPDATE sets: all but the key. */
        final List<StoredRow.Column> updated;
        final String select;
        final String count;
        // DO NOTHING: a registration listed twice in one scan, or saved meanwhile by another instance
        final String insert;
        final String update;
        final String delete;

        Table(Type<R> type) {
            this.type = type;
            List<StoredRow.Column> columns = type.columns();
            this.updated = columns.subList(1, columns.size());
            this.select = "SELECT " + names(columns) + " FROM " + type.table() + " WHERE account_id = ?";
            this.count = "SELECT count(*) FROM " + type.table() + " WHERE account_id = ?";
            this.insert = "INSERT INTO " + type.table() + " (account_id, " + names(columns) + ") VALUES (?" + ", ?".repeat(columns.size())
                    + ") ON CONFLICT (account_id, registration_id) DO NOTHING";
            this.update = "UPDATE " + type.table() + " SET " + updated.stream().map(column -> column.storedName() + " = ?")
                    .collect(Collectors.joining(", ")) + " WHERE account_id = ? AND registration_id = ?";
            this.delete = "DELETE FROM " + type.table() + " WHERE account_id = ? AND registration_id = ?";
        }

        /** Streams the account's rows (inside the connection's transaction). */
        void read(Connection connection, String accountId, Rows<R> rows) throws Exception {
            try (PreparedStatement query = connection.prepareStatement(select)) {
                query.setString(1, accountId);
                query.setFetchSize(BATCH);
                try (ResultSet result = query.executeQuery()) {
                    // the SELECT lists the columns in their declared order
                    StoredRow.Values values = new StoredRow.Values() {
                        @Override
                        public String text(StoredRow.Column column) throws SQLException {
                            return result.getString(type.columns().indexOf(column) + 1);
                        }

                        @Override
                        public long epochMillis(StoredRow.Column column) throws SQLException {
                            long value = result.getLong(type.columns().indexOf(column) + 1);
                            return result.wasNull() ? TrackedFinding.NEVER : value;
                        }
                    };
                    while (result.next()) {
                        rows.accept(type.reader().read(values));
                    }
                }
            }
        }

        /** Deletes the rows that leave, updates those that change, inserts the new ones: the rows the scan gives, as they are. */
        void write(Connection connection, CompletedScan scan) throws Exception {
            String accountId = scan.accountId();
            try (PreparedStatement deleting = connection.prepareStatement(delete);
                 PreparedStatement inserting = connection.prepareStatement(insert);
                 PreparedStatement updating = connection.prepareStatement(update)) {
                Batches batches = new Batches(deleting, inserting, updating);
                // the stored rows are read back from the store, not held in memory
                read(connection, accountId, stored -> {
                    R kept = type.after().after(scan, stored);
                    if (kept == null) {
                        deleting.setString(1, accountId);
                        deleting.setString(2, stored.registrationId());
                        batches.add(deleting);
                    } else if (!kept.equals(stored)) {
                        int next = bind(updating, 1, kept, updated);
                        updating.setString(next, accountId);
                        updating.setString(next + 1, stored.registrationId());
                        batches.add(updating);
                    }
                });
                type.news().read(scan, row -> {
                    inserting.setString(1, accountId);
                    bind(inserting, 2, row, type.columns());
                    batches.add(inserting);
                });
                batches.flush();
            }
        }
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
            try (PreparedStatement count = connection.prepareStatement(FINDINGS.count)) {
                count.setString(1, accountId);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    findings = new FindingIndex(row.getInt(1)); // sized once, not grown
                }
            }
            FINDINGS.read(connection, accountId, findings::put);
            List<StoredRemoval> removals = new ArrayList<>();
            REMOVALS.read(connection, accountId, removals::add);
            connection.commit();
            return new Stored(previousScan, registrations, findings, removals);
        }
    }

    @Override
    public void read(String accountId, Rows<StoredFinding> rows) throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            FINDINGS.read(connection, accountId, rows);
            connection.commit();
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
                FINDINGS.write(connection, scan);
                REMOVALS.write(connection, scan);
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

    /** Sets the row's values of these columns from parameter {@code first} on; returns the next parameter's index. */
    private static int bind(PreparedStatement statement, int first, StoredRow row, List<StoredRow.Column> columns) throws SQLException {
        int index = first;
        for (StoredRow.Column column : columns) {
            if (column.kind() == StoredRow.Kind.TEXT) {
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

    private static String names(List<StoredRow.Column> columns) {
        return columns.stream().map(StoredRow.Column::storedName).collect(Collectors.joining(", "));
    }

    @Override
    public String location() {
        return database.location();
    }
}
