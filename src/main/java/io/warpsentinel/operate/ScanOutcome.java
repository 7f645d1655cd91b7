package io.warpsentinel.operate;

/**
 * How an account's scan ended, as the run history records it ({@code outcome}) and the report
 * index shows it. Only a complete scan published a report that the next one compares with.
 */
public enum ScanOutcome {
    /** Walked to the last page, reports published, finding state saved. */
    COMPLETE("complete"),
    /**
     * Walked to the last page, but listing far fewer registrations than the last complete scan
     * ({@code sentinel.max-shrink}): nothing published, the finding state as it was.
     */
    WITHHELD("withheld"),
    /** Stopped before its end (no report), or failed after publishing (the finding state could not be saved). */
    FAILED("failed");

    private final String label;

    ScanOutcome(String label) {
        this.label = label;
    }

    /** The run history's {@code outcome}. */
    public String label() {
        return label;
    }

    /**
     * The outcome of a history entry: its {@code outcome}, or for an entry written before there was
     * one, complete or failed by its {@code complete} flag.
     */
    static ScanOutcome of(String label, boolean complete) {
        for (ScanOutcome outcome : values()) {
            if (outcome.label.equals(label)) {
                return outcome;
            }
        }
        return complete ? COMPLETE : FAILED;
    }
}
