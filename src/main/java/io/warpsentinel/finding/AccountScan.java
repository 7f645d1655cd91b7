package io.warpsentinel.finding;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One account's scan in one run: everything the routes of that scan hand from step to step, as
 * the one exchange property {@value #PROPERTY}. The run and the account are fixed; each step
 * adds the part it makes (its walk, its finding state, its report, its remediation plan, its
 * published summary: docs/architecture.md lists which step sets which part), and a later step
 * asks for a part by its class. One property, because the split over a page copies the
 * exchange's properties into every registration's message: one reference instead of one per part.
 */
public final class AccountScan {

    public static final String PROPERTY = "scan";

    private final ScanRun run;
    private final String accountId;
    // added one step at a time, read by both branches of a page turn at once
    private final Map<Class<?>, Object> parts = new ConcurrentHashMap<>(16);

    public AccountScan(ScanRun run, String accountId) {
        this.run = run;
        this.accountId = accountId;
    }

    public ScanRun getRun() {
        return run;
    }

    public String getAccountId() {
        return accountId;
    }

    /**
     * Adds the part of this type, or replaces it (the published summary gains the remediation's
     * outcome); null removes it. Returns the part.
     */
    public <T> T put(Class<T> type, T part) {
        if (part == null) {
            parts.remove(type);
        } else {
            parts.put(type, part);
        }
        return part;
    }

    /** The part of this type, which an earlier step must have added. */
    public <T> T get(Class<T> type) {
        T part = find(type);
        if (part == null) {
            throw new IllegalStateException("The scan of account " + accountId + " has no " + type.getSimpleName() + " yet");
        }
        return part;
    }

    /**
     * The part of this type, or null: not made yet, or not at all (no remediation plan when
     * remediation is off). A type a part was not added as (an interface of a lower package, such
     * as the state's view of the published report) finds the part that is one.
     */
    public <T> T find(Class<T> type) {
        Object part = parts.get(type);
        if (part == null) {
            part = parts.values().stream().filter(type::isInstance).findFirst().orElse(null);
        }
        return type.cast(part);
    }

    @Override
    public String toString() {
        return "AccountScan[" + accountId + ", " + run.getStartedAt() + "]";
    }
}
