package io.warpsentinel.finding;

import java.util.Arrays;
import java.util.List;

/**
 * Why a registration is (or is not) in a report. A reason is data: everything that reports,
 * counts or names reasons (the CSV and JSON, the HTML counts, the wording, the e-mail, the
 * webhooks, the metrics, the run history) iterates over {@link #findings()}, so a new reason is a
 * new constant here, and its rule in the classifier.
 *
 * <p>Declared in the order reports show them: a new reason goes last, so that the JSON summary's
 * keys and the wording's counts before it keep their places for existing readers. Which reason
 * wins when several rules match is the classifier's order of checks
 * ({@code classify.Rules}: invalid, revoked, superseded, never-used, stale), not this order.
 */
public enum Reason {
    /** Not a finding: counted in {@code scanned}, never listed. */
    CURRENT("current", "seen within the stale-after window and not revoked"),
    STALE("stale", "not seen for longer than the stale-after window"),
    /** {@code revoked_at} is set, whatever {@code last_seen_at} says. */
    REVOKED("revoked", "revoked, yet still registered"),
    /** Reported, never dropped: a record that cannot be judged is as suspect as a stale one. */
    INVALID("invalid", "a record that cannot be judged: last seen missing or not a timestamp, or the record unreadable"),
    /** Another registration of the same device and user, not revoked, was last seen long enough after it: enrolled again. */
    SUPERSEDED("superseded", "replaced: the same device enrolled again for the same user"),
    /** Last seen within moments of its enrolment, long ago: it never connected after enrolling. */
    NEVER_USED("never-used", "never used: not seen again after it was enrolled");

    private static final List<Reason> FINDINGS = Arrays.stream(values()).filter(Reason::isFinding).toList();

    private final String label;
    private final String description;

    Reason(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public boolean isFinding() {
        return this != CURRENT;
    }

    /** The reasons that make a registration a finding, in the order reports show them. */
    public static List<Reason> findings() {
        return FINDINGS;
    }

    /** What reports print: the CSV's and JSON's {@code reason}, the summary's key, the metrics' label. */
    public String label() {
        return label;
    }

    /** What the reason means, in a few words for a person (the device's owner): "not seen for longer than the stale-after window". */
    public String description() {
        return description;
    }

    /** The reason a report printed as {@code label}. */
    public static Reason ofLabel(String label) {
        for (Reason reason : values()) {
            if (reason.label.equals(label)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("No reason is labelled " + label);
    }
}
