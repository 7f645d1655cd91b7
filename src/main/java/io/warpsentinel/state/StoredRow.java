package io.warpsentinel.state;

import java.util.List;

/**
 * A row both stores keep for an account, one per registration: an open finding
 * ({@link StoredFinding}) or a removal ({@link StoredRemoval}). Each kind declares its
 * {@link Column}s once, in the order both stores write them; what a row holds after a scan is
 * the {@link AccountState}'s to say, and a store only maps the columns to its format (a JSON
 * line's fields, a table's columns) and back.
 */
interface StoredRow {

    /** The registration the row is about: its key within the account. */
    String registrationId();

    /** The value of a {@link Kind#TEXT} column, null when empty. */
    String text(Column column);

    /** The value of a {@link Kind#EPOCH_MILLIS} column, {@link TrackedFinding#NEVER} when empty. */
    long epochMillis(Column column);

    /** How a store holds a column: text, or a time in epoch milliseconds. Either may be empty (null in both stores). */
    enum Kind { TEXT, EPOCH_MILLIS }

    /** A column: its name is the JSON line's field and the table's column alike. */
    interface Column {
        String storedName();

        Kind kind();
    }

    /** A stored row's values as a store reads them, column by column. */
    interface Values {
        /** The column's text, null when empty. */
        String text(Column column) throws Exception;

        /** The column's time, {@link TrackedFinding#NEVER} when empty. */
        long epochMillis(Column column) throws Exception;
    }

    /**
     * A kind of row, as both stores keep it, and where its rules are.
     *
     * @param table   its PostgreSQL table (with {@code account_id} and the columns, keyed by account and registration)
     * @param line    the value of the {@code "row"} field that marks its lines in the file store; null for none (the
     *                finding lines, as every version wrote them)
     * @param columns its columns, in the order both stores write them; the first is the registration id
     * @param reader  a row from its stored values; one that cannot be used fails the load
     * @param after   what a completed scan makes of a stored row
     * @param news    the rows of this kind a completed scan adds
     */
    record Type<R extends StoredRow>(String table, String line, List<Column> columns, Reader<R> reader, After<R> after, New<R> news) {

        interface Reader<R> {
            R read(Values values) throws Exception;
        }

        /** The row a stored one becomes: the same or a changed one to keep, or null when it leaves the state. */
        interface After<R> {
            R after(CompletedScan scan, R stored);
        }

        interface New<R> {
            void read(CompletedScan scan, StateStorage.Rows<R> rows) throws Exception;
        }
    }
}
