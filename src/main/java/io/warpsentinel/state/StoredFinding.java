package io.warpsentinel.state;

import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation.Action;
import java.util.List;

/**
 * One open finding as both stores keep it: a JSON line of the file store, a row of the table
 * {@code warp_sentinel_finding}. What it holds after a scan is decided in one place, the rules
 * of {@link AccountState#afterScan} and {@link AccountState#newFinding}; a store only maps its
 * {@link Column}s to its format and back ({@link StoredRow}). A new column is a component here, a
 * {@link Column}, its value in those rules, and for PostgreSQL a migration that adds it.
 *
 * @param since          when it became a finding (epoch milliseconds)
 * @param alertedAt      when an alert last named it, {@link TrackedFinding#NEVER} for never
 * @param ownerNoticedAt when its owner was last noticed about it, or never
 * @param acted          what sentinel.remediate did to its registration ({@link Action#NONE}: nothing)
 * @param actedAt        when, or never
 * @param deviceName     the device name, user and last-seen time as listed when it became a
 *                       finding: the gone section describes it with them once the API no longer lists it
 */
record StoredFinding(String registrationId, Reason reason, long since, long alertedAt, long ownerNoticedAt, Action acted, long actedAt,
                     String deviceName, String userEmail, String lastSeenAt) implements StoredRow {

    /**
     * The columns, in the order both stores write them. The name is the JSON line's field and the
     * table's column alike: the two stores have always used the same names.
     */
    enum Column implements StoredRow.Column {
        REGISTRATION_ID("registration_id", Kind.TEXT),
        REASON("reason", Kind.TEXT),
        FINDING_SINCE("finding_since", Kind.EPOCH_MILLIS),
        ALERTED_AT("alerted_at", Kind.EPOCH_MILLIS),
        OWNER_NOTICED_AT("owner_noticed_at", Kind.EPOCH_MILLIS),
        ACTED("acted", Kind.TEXT),
        ACTED_AT("acted_at", Kind.EPOCH_MILLIS),
        DEVICE_NAME("device_name", Kind.TEXT),
        USER_EMAIL("user_email", Kind.TEXT),
        LAST_SEEN_AT("last_seen_at", Kind.TEXT);

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

    /** The table {@code warp_sentinel_finding}; the file's finding lines carry no {@code "row"} field. */
    static final Type<StoredFinding> ROWS = new Type<>("warp_sentinel_finding", null, List.of(Column.values()), StoredFinding::read,
            CompletedScan::after, CompletedScan::readNewFindings);

    /** A row from its stored values; a row without its id, reason or start cannot be judged and fails the load. */
    static StoredFinding read(Values values) throws Exception {
        String id = values.text(Column.REGISTRATION_ID);
        String reason = values.text(Column.REASON);
        long since = values.epochMillis(Column.FINDING_SINCE);
        if (id == null || reason == null || since == TrackedFinding.NEVER) {
            throw new IllegalStateException("A stored finding lacks its registration_id, reason or finding_since");
        }
        return new StoredFinding(id, Reason.valueOf(reason), since, values.epochMillis(Column.ALERTED_AT),
                values.epochMillis(Column.OWNER_NOTICED_AT), Action.of(values.text(Column.ACTED)), values.epochMillis(Column.ACTED_AT),
                values.text(Column.DEVICE_NAME), values.text(Column.USER_EMAIL), values.text(Column.LAST_SEEN_AT));
    }

    @Override
    public String text(StoredRow.Column column) {
        return switch ((Column) column) {
            case REGISTRATION_ID -> registrationId;
            case REASON -> reason.name();
            case ACTED -> acted == Action.NONE ? null : acted.label();
            case DEVICE_NAME -> deviceName;
            case USER_EMAIL -> userEmail;
            case LAST_SEEN_AT -> lastSeenAt;
            default -> throw new IllegalArgumentException(column + " is not text");
        };
    }

    @Override
    public long epochMillis(StoredRow.Column column) {
        return switch ((Column) column) {
            case FINDING_SINCE -> since;
            case ALERTED_AT -> alertedAt;
            case OWNER_NOTICED_AT -> ownerNoticedAt;
            case ACTED_AT -> actedAt;
            default -> throw new IllegalArgumentException(column + " is not a time");
        };
    }
}
