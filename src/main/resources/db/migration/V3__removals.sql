-- The registrations warp-sentinel revoked or deleted, remembered beyond their findings
-- (docs/state.md): the device and user, to tell a registration of the same device and user
-- enrolled again after the removal, and when it revoked and when it deleted (revoke-then-delete
-- does both). Times are epoch milliseconds, as the file store keeps them. IF NOT EXISTS: a
-- database reset by hand may have kept the table while dropping the migration history.
CREATE TABLE IF NOT EXISTS warp_sentinel_removal (
    account_id      VARCHAR(64) NOT NULL,
    registration_id VARCHAR     NOT NULL,
    device_id       VARCHAR,
    user_id         VARCHAR,
    revoked_at      BIGINT,
    deleted_at      BIGINT,
    PRIMARY KEY (account_id, registration_id)
);
