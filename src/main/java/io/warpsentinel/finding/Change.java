package io.warpsentinel.finding;

/**
 * How a registration's finding compares with the account's last complete scan. A change is data
 * like a {@link Reason}: the summary's counts, the wording, the HTML's changes table, the JSON and
 * the metrics iterate over the constants, in the order declared here (a new one goes last).
 */
public enum Change {
    /** A finding now, not at the last complete scan (or there was none). */
    NEW("new", "new"),
    /** A finding now and at the last complete scan: open since {@code finding_since}. */
    STILL("still", "still open"),
    /** A finding at the last complete scan, listed again now and neither stale, revoked nor invalid. */
    RECOVERED("recovered", "recovered"),
    /** A finding at the last complete scan, no longer listed by the API (deleted). */
    GONE("gone", "gone");

    private final String label;
    private final String phrase;

    Change(String label, String phrase) {
        this.label = label;
        this.phrase = phrase;
    }

    /** What reports print: the CSV's and JSON's {@code change}, the summary's key, the metrics' label. */
    public String label() {
        return label;
    }

    /** How a sentence or a heading says it: "40 still open". */
    public String phrase() {
        return phrase;
    }
}
