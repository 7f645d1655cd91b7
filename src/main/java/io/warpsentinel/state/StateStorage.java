package io.warpsentinel.state;

import java.time.Instant;

/**
 * Where the finding state lives: a file per account by default ({@link FileStateStorage}), or
 * PostgreSQL to share it between instances ({@link PostgresStateStorage}). Both keep, per
 * account, the start of its last complete scan and one record per open finding: its id, reason,
 * since when, when it was last alerted and noticed, and its device name, user and last-seen time.
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
    interface StoredReader {
        void accept(String registrationId, String deviceName, String userEmail, String lastSeenAt) throws Exception;
    }

    Stored load(String accountId) throws Exception;

    /** Reads the account's stored findings back, with their names (for the gone section). */
    void read(String accountId, StoredReader reader) throws Exception;

    /**
     * Replaces the account's state with this completed scan's, all or nothing: the previous
     * findings as the scan judged them, and the new ones its published report lists.
     *
     * @param alerted whether the findings due an alert were delivered to every alert channel
     * @return false, changing nothing, when a scan that started later already saved the state
     */
    boolean save(AccountState state, PublishedFindings published, boolean alerted) throws Exception;

    /** Where the state is, for messages: never a password. */
    String location();
}
