package io.warpsentinel.state;

import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.AccountScan;
import java.time.Duration;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scan route calls to load an account's finding state before its walk and to save it
 * after delivery. A scan changes the state only when it completed: {@link #save} is the route's
 * last step, so a scan that fails anywhere before leaves the state as it was.
 */
public final class StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

    private final StateStorage storage;
    private final AlertPolicy policy;
    private final Duration keepRemovals;

    /**
     * Over any storage: the factories below, and tests that read the storage back.
     *
     * @param keepRemovals how long a removal is remembered after warp-sentinel last acted on its registration
     */
    StateStore(StateStorage storage, AlertPolicy policy, Duration keepRemovals) {
        this.storage = storage;
        this.policy = policy;
        this.keepRemovals = keepRemovals;
    }

    /** The embedded store: one file per account in {@code directory}. */
    public static StateStore inFiles(java.nio.file.Path directory, PrivateFiles files, AlertPolicy policy, Duration keepRemovals) {
        return new StateStore(new FileStateStorage(directory, files), policy, keepRemovals);
    }

    /** The shared store: tables in a PostgreSQL database. */
    public static StateStore inPostgres(StateDatabase database, AlertPolicy policy, Duration keepRemovals) {
        return new StateStore(new PostgresStateStorage(database), policy, keepRemovals);
    }

    /** Adds the account's findings at its last complete scan, ready to compare this scan with. */
    public AccountState load(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        String accountId = scan.getAccountId();
        StateStorage.Stored stored = attempt("read", () -> storage.load(accountId));
        return scan.put(AccountState.class, new AccountState(accountId, stored.previousScan(), stored.registrations(),
                scan.getRun().getStartedAt(), policy, stored.findings(), (account, rows) -> attempt("read", () -> {
                    storage.read(account, rows);
                    return null;
                }), stored.removals(), keepRemovals));
    }

    /**
     * Saves a completed scan. The findings due an alert count as alerted only when every alert
     * channel delivered; otherwise the next scan alerts them again.
     */
    public void save(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty("channels") List<?> channels) {
        AccountState state = scan.get(AccountState.class);
        PublishedFindings published = scan.get(PublishedFindings.class);
        boolean alerted = state.alertsDelivered(channels == null ? 0 : channels.size());
        if (!attempt("save", () -> storage.save(new CompletedScan(state, published, alerted)))) {
            LOG.warn("Account {}: the finding state already holds a scan that started later; this scan's changes are not saved",
                    state.getAccountId());
        }
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private <T> T attempt(String verb, Work<T> work) {
        try {
            return work.run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not " + verb + " the finding state in " + storage.location()
                    + " (sentinel.state.*): " + e.getMessage(), e);
        }
    }
}
