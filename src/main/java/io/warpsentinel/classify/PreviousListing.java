package io.warpsentinel.classify;

/** What the account's last complete scan listed, as far as classification cares: how many registrations, to size its index once. */
public interface PreviousListing {

    /** How many registrations the last complete scan listed; -1 when not known. */
    long getPreviousRegistrations();
}
