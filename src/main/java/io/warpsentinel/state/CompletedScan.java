package io.warpsentinel.state;

/**
 * A completed scan as a store saves it, in rows: the account's new last complete scan, what
 * becomes of each stored row, and the new rows that join them. The rules are the
 * {@link AccountState}'s: for a finding still open, a new finding, a removal kept or changed and a
 * new removal; the stores only map the rows they are given, so both hold the same state after
 * the same scans.
 *
 * @param published the scan's published report: its new findings are read from there, not held
 * @param alerted   whether the findings due an alert were delivered to every alert channel
 */
record CompletedScan(AccountState state, PublishedFindings published, boolean alerted) {

    String accountId() {
        return state.getAccountId();
    }

    /** When the scan started (epoch milliseconds): the account's last complete scan once saved. */
    long startedAt() {
        return state.getScanStartedAt().toEpochMilli();
    }

    /** How many registrations the scan listed, excluded ones included. */
    long registrations() {
        return state.getScanned();
    }

    /** Whether a scan that started later already saved the state (another instance): then this one changes nothing. */
    boolean startedBefore(long storedLastCompleteScan) {
        return storedLastCompleteScan > startedAt();
    }

    /** The row a stored finding becomes: the same or a changed one to keep, or null when it leaves the state. */
    StoredFinding after(StoredFinding stored) {
        return state.afterScan(stored, alerted);
    }

    /** The row a stored removal becomes: the same or a changed one to keep, or null when it is forgotten. */
    StoredRemoval after(StoredRemoval stored) {
        return state.afterScan(stored);
    }

    /** The scan's new findings as rows, in the published report's order. */
    void readNewFindings(StateStorage.Rows<StoredFinding> rows) throws Exception {
        published.read(finding -> {
            StoredFinding row = state.newFinding(finding, alerted);
            if (row != null) {
                rows.accept(row);
            }
        });
    }

    /** The removals the scan's remediation made of registrations the state did not remember yet. */
    void readNewRemovals(StateStorage.Rows<StoredRemoval> rows) throws Exception {
        for (StoredRemoval removal : state.newRemovals()) {
            rows.accept(removal);
        }
    }
}
