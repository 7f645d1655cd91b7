package io.warpsentinel.state;

import io.warpsentinel.finding.Reason;

/**
 * The findings of a completed scan as its published report lists them: saving the state reads
 * this scan's new findings from there, one at a time, instead of holding them in memory. The
 * report implements it; the state only declares what it needs.
 */
public interface PublishedFindings {

    /** A finding as published; empty values are null. */
    record Finding(String registrationId, Reason reason, String change, String deviceName, String userEmail, String lastSeenAt) {
    }

    /** Receives the published findings one at a time. */
    @FunctionalInterface
    interface Reader {
        void accept(Finding finding) throws Exception;
    }

    void read(Reader reader) throws Exception;
}
