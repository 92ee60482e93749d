-- What each tablet last reported holding per person signed in on it: counts of the changes the server
-- does not have for good and when the oldest was made — never what they are. Sent with a sync's pull;
-- the office shows it so that a team lead knows which tablet holds unsynced work before revoking it.
CREATE TABLE device_reports (
    device_id TEXT NOT NULL REFERENCES devices (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    -- Changes in the tablet's outbox (not yet answered by the server).
    unsent BIGINT NOT NULL,
    -- Changes refused or answered with a conflict, waiting under "Zu klären".
    unresolved BIGINT NOT NULL,
    oldest_at BIGINT,
    app_version TEXT NOT NULL,
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, user_id)
);
