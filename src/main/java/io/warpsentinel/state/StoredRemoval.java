package io.warpsentinel.state;

import io.warpsentinel.finding.Remediation.Action;
import java.util.List;

/**
 * A registration that sentinel.remediate revoked or deleted (not in a dry run), as both stores
 * keep it: a JSON line of the file store marked {@code "row":"removal"}, a row of the table
 * {@code warp_sentinel_removal}. It outlives the registration's finding (a deleted registration is
 * gone at the next scan, and its finding with it): its device and user tell a registration of the
 * same device and user enrolled again after the removal, and its times what warp-sentinel did and
 * when, for revoke-then-delete's second stage. How long it is kept is the
 * {@link AccountState}'s rule ({@link AccountState#afterScan(StoredRemoval)}).
 *
 * @param deviceId  the registration's {@code device.id}; null when not known (a removal recorded without it)
 * @param userId    its {@code user.id}; null for none (a service token): the same user is the same id, or both without one
 * @param revokedAt when warp-sentinel revoked it (epoch milliseconds, the start of the scan that did), {@link TrackedFinding#NEVER}
 *                  for never
 * @param deletedAt when warp-sentinel deleted it, or never
 */
record StoredRemoval(String registrationId, String deviceId, String userId, long revokedAt, long deletedAt) implements StoredRow {

    /** The columns, in the order both stores write them. */
    enum Column implements StoredRow.Column {
        REGISTRATION_ID("registration_id", Kind.TEXT),
        DEVICE_ID("device_id", Kind.TEXT),
        USER_ID("user_id", Kind.TEXT),
        REVOKED_AT("revoked_at", Kind.EPOCH_MILLIS),
        DELETED_AT("deleted_at", Kind.EPOCH_MILLIS);

        private final String storedName;
        private final Kind kind;

        Column(String storedName, Kind kind) {
            this.storedName = storedName;
            this.kind = kind;
        }

        @Override
        public String storedName() {
            return storedName;
        }

        @Override
        public Kind kind() {
            return kind;
        }
    }

    static final Type<StoredRemoval> ROWS = new Type<>("warp_sentinel_removal", "removal", List.of(Column.values()), StoredRemoval::read,
            CompletedScan::after, CompletedScan::readNewRemovals);

    /** A row from its stored values; one without its id, or with neither time, fails the load. */
    static StoredRemoval read(Values values) throws Exception {
        String id = values.text(Column.REGISTRATION_ID);
        long revoked = values.epochMillis(Column.REVOKED_AT);
        long deleted = values.epochMillis(Column.DELETED_AT);
        if (id == null || revoked == TrackedFinding.NEVER && deleted == TrackedFinding.NEVER) {
            throw new IllegalStateException("A stored removal lacks its registration_id, or both revoked_at and deleted_at");
        }
        return new StoredRemoval(id, values.text(Column.DEVICE_ID), values.text(Column.USER_ID), revoked, deleted);
    }

    /** The same removal after warp-sentinel did this to the registration at {@code at}. */
    StoredRemoval and(Action action, long at) {
        return action == Action.DELETE ? new StoredRemoval(registrationId, deviceId, userId, revokedAt, at)
                : new StoredRemoval(registrationId, deviceId, userId, at, deletedAt);
    }

    /** When warp-sentinel last acted on it. */
    long lastActedAt() {
        return Math.max(revokedAt, deletedAt);
    }

    @Override
    public String text(StoredRow.Column column) {
        return switch ((Column) column) {
            case REGISTRATION_ID -> registrationId;
            case DEVICE_ID -> deviceId;
            case USER_ID -> userId;
            default -> throw new IllegalArgumentException(column + " is not text");
        };
    }

    @Override
    public long epochMillis(StoredRow.Column column) {
        return switch ((Column) column) {
            case REVOKED_AT -> revokedAt;
            case DELETED_AT -> deletedAt;
            default -> throw new IllegalArgumentException(column + " is not a time");
        };
    }
}
