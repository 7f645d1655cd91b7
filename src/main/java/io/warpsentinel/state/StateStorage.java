package io.warpsentinel.state;

import java.time.Instant;

/**
 * Where the finding state lives: a file per account by default ({@link FileStateStorage}), or
 * PostgreSQL to share it between instances ({@link PostgresStateStorage}). Both keep, per
 * account, the start of its last complete scan, how many registrations it listed, and one
 * {@link StoredFinding} per open finding. A store only reads and writes them: what a row holds
 * after a scan is the {@link CompletedScan}'s to say, the same for both.
 */
interface StateStorage {

    /**
     * What the account's last complete scan left: a null {@code previousScan} and no findings for
     * an account never saved; {@code registrations} is how many it listed, -1 when not known (a
     * state saved by an older version).
     */
    record Stored(Instant previousScan, long registrations, FindingIndex findings) {
    }

    /** Receives stored findings one at a time. */
    @FunctionalInterface
    interface Rows {
        void accept(StoredFinding row) throws Exception;
    }

    Stored load(String accountId) throws Exception;

    /** Reads the account's stored findings back whole, names included (for the gone section). */
    void read(String accountId, Rows rows) throws Exception;

    /**
     * Replaces the account's state with this completed scan's, all or nothing: each stored row
     * as {@link CompletedScan#after} makes it (kept, changed or removed), and the new ones
     * {@link CompletedScan#readNew} gives.
     *
     * @return false, changing nothing, when {@link CompletedScan#startedBefore} the stored last complete scan
     */
    boolean save(CompletedScan scan) throws Exception;

    /** Where the state is, for messages: never a password. */
    String location();
}
