-- Providers, accounts, devices and tokens. Times are Unix milliseconds (BIGINT) on both backends, ids
-- are UUID text: the same columns in SQLite and PostgreSQL (tests/schema.rs compares them).
CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    -- The sign-in name, stored in lower case, unique on this server.
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('companion', 'team_lead', 'admin', 'parent')),
    -- An argon2id hash in PHC string format; never the password.
    password_hash TEXT NOT NULL,
    -- Set when a team lead or admin reset the password: the user has to choose a new one.
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);

-- A tablet or browser profile, registered at the first online sign-in on it.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    -- A revoked device is told to wipe its data at its next contact.
    revoked_at BIGINT
);

-- One refresh token per (user, device); only its SHA-256 is stored.
CREATE TABLE refresh_tokens (
    user_id TEXT NOT NULL REFERENCES users (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

-- Short-lived bearer tokens for /api/v1; only their SHA-256 is stored, so the table can be shared by
-- several server instances and a leaked database holds no usable token.
CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    expires_at BIGINT NOT NULL
);
CREATE INDEX access_tokens_by_user ON access_tokens (user_id);
CREATE INDEX access_tokens_by_device ON access_tokens (device_id);

-- Failed sign-ins per account ("login:…") and per address ("address:…"), for rate limiting that holds
-- across server instances.
CREATE TABLE sign_in_failures (
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_subject ON sign_in_failures (subject, at);
