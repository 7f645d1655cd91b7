package io.warpsentinel.report;

import io.warpsentinel.classify.Reason;

/** A finding as the published CSV holds it: what the state store records about a new one. Empty cells are null. */
public record PublishedFinding(String registrationId, Reason reason, String change, String deviceName, String userEmail,
                               String lastSeenAt) {

    /** Receives the published findings one at a time. */
    @FunctionalInterface
    public interface Reader {
        void accept(PublishedFinding finding) throws Exception;
    }
}
