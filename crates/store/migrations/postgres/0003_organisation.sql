-- Institutions, their allocated FTE per school year, pools and their members, dated cover grants.
-- School years are the calendar year they start in (2026 = 2026/27); days are ISO dates (TEXT); numbers
-- are BIGINT on both backends.
CREATE TABLE institutions (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('school', 'day_care')),
    region TEXT NOT NULL,
    systemic_year_levels BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (provider_id, name)
);

CREATE TABLE institution_fte (
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    school_year BIGINT NOT NULL,
    -- Hundredths of a full-time equivalent: 3.3 FTE is 330.
    fte_hundredths BIGINT NOT NULL,
    PRIMARY KEY (institution_id, school_year)
);

-- One provider's companions at one institution in one school year: the unit of visibility and sync.
CREATE TABLE pools (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    school_year BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (institution_id, school_year)
);

CREATE TABLE pool_members (
    pool_id TEXT NOT NULL REFERENCES pools (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    contract_minutes_per_week BIGINT NOT NULL,
    PRIMARY KEY (pool_id, user_id)
);
CREATE INDEX pool_members_by_user ON pool_members (user_id);

-- A companion covering for an absent colleague sees that pool from first_day to last_day.
CREATE TABLE cover_grants (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    granted_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX cover_grants_by_user ON cover_grants (user_id, last_day);
