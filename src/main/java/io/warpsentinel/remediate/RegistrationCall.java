package io.warpsentinel.remediate;

import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.remediate.RemediationPlan.Candidate;
import java.util.List;

/**
 * One request of a remediation, retried as a whole like a page: the re-check of a candidate just
 * before the write, a write (revoke or delete) of up to 100 candidates, or the check of one
 * candidate after a write failed, to learn whether Cloudflare applied it anyway.
 */
public record RegistrationCall(Kind kind, Action action, List<Candidate> candidates) {

    public enum Kind { RECHECK, WRITE, CONFIRM }

    public Candidate first() {
        return candidates.get(0);
    }

    public boolean isWrite() {
        return kind == Kind.WRITE;
    }

    /** How log lines name it: "the revoke of 48 registrations". */
    @Override
    public String toString() {
        return switch (kind) {
            case RECHECK -> "the re-check of registration " + first().id();
            case WRITE -> "the " + action.label() + " of " + candidates.size() + " registration" + (candidates.size() == 1 ? "" : "s");
            case CONFIRM -> "the check of registration " + first().id() + " after a failed " + action.label();
        };
    }
}
