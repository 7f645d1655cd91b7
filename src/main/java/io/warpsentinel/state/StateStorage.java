package io.warpsentinel.state;

import java.time.Instant;
import java.util.List;

/**
 * Where the finding state lives: a file per account by default ({@link FileStateStorage}), or
 * PostgreSQL to share it between instances ({@link PostgresStateStorage}). Both keep, per
 * account, the start of its last complete scan, how many registrations it listed, one
 * {@link StoredFinding} per open finding and one {@link StoredRemoval} per registration
 * warp-sentinel removed and still remembers. A store only reads and writes them: what a row holds
 * after a scan is the {@link CompletedScan}'s to say, the same for both.
 */
interface StateStorage {

    /**
     * What the account's last complete scan left: a null {@code previousScan} and no findings for
     * an account never saved; {@code registrations} is how many it listed, -1 when not known (a
     * state saved by an older version); {@code removals} few (at most max-per-run a run).
     */
    record Stored(Instant previousScan, long registrations, FindingIndex findings, List<StoredRemoval> removals) {
    }

    /** Receives stored rows one at a time. */
    @FunctionalInterface
    interface Rows<R> {
        void accept(R row) throws Exception;
    }

    Stored load(String accountId) throws Exception;

    /** Reads the account's stored findings back whole, names included (for the gone section). */
    void read(String accountId, Rows<StoredFinding> rows) throws Exception;

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
