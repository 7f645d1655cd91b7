-- The shared finding state (docs/state.md): each account's last complete scan, and its open
-- findings. Times are epoch milliseconds, as the file store keeps them. IF NOT EXISTS: a
-- database that warp-sentinel set up before it used migrations already has these tables.
CREATE TABLE IF NOT EXISTS warp_sentinel_scan (
    account_id         VARCHAR(64) PRIMARY KEY,
    last_complete_scan BIGINT NOT NULL
);
-- how many registrations the last complete scan listed (a scan that suddenly lists far fewer is suspect)
ALTER TABLE warp_sentinel_scan ADD COLUMN IF NOT EXISTS registrations BIGINT;

CREATE TABLE IF NOT EXISTS warp_sentinel_finding (
    account_id       VARCHAR(64) NOT NULL,
    registration_id  VARCHAR     NOT NULL,
    reason           VARCHAR(16) NOT NULL,
    finding_since    BIGINT      NOT NULL,
    alerted_at       BIGINT,
    owner_noticed_at BIGINT,
    device_name      VARCHAR,
    user_email       VARCHAR,
    last_seen_at     VARCHAR,
    PRIMARY KEY (account_id, registration_id)
);
-- what sentinel.remediate did to the registration (revoke, delete) and when
ALTER TABLE warp_sentinel_finding ADD COLUMN IF NOT EXISTS acted VARCHAR(16);
ALTER TABLE warp_sentinel_finding ADD COLUMN IF NOT EXISTS acted_at BIGINT;
