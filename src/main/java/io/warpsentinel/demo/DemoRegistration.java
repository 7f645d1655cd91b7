package io.warpsentinel.demo;

/**
 * One registration as a {@link DemoFleet} lists it on its day; instants in epoch seconds.
 *
 * @param device  the slot of its physical device (the anchor of its group)
 * @param user    a user's number, or {@link #NO_USER}, {@link #NULL_USER}, or a service token's
 *                user ({@link #token})
 * @param revoked when it was revoked, or {@link #NOT_REVOKED}
 */
record DemoRegistration(int index, String id, DemoCase kind, long created, long lastSeen, long revoked, int device, int user) {

    static final long NOT_REVOKED = Long.MIN_VALUE;
    /** No {@code user} field at all. */
    static final int NO_USER = -1;
    /** {@code "user": null}. */
    static final int NULL_USER = -2;

    /** The user of service token {@code number}: an e-mail starting {@code non_identity@}. */
    static int token(int number) {
        return -3 - number;
    }

    boolean isRevoked() {
        return revoked != NOT_REVOKED;
    }

    /** Revoked at {@code at}: a revoked registration cannot connect, so it is last seen by then at the latest. */
    DemoRegistration revokedAt(long at) {
        return new DemoRegistration(index, id, kind, created, Math.min(lastSeen, at), at, device, user);
    }
}
