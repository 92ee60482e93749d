-- Pool memberships get an id and dates: a person works in a pool from a first day, and up to a last
-- day once the membership ends. An ended membership stays (the pool's history, and what the person
-- recorded there stays in the pool); a person may join the same pool again after it ended, so at
-- most one membership per person and pool is open. Existing memberships start on their school
-- year's first day (1 August).
CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    contract_minutes_per_week BIGINT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT,
    created_at BIGINT NOT NULL
);
INSERT INTO memberships (id, pool_id, user_id, contract_minutes_per_week, first_day, last_day, created_at)
SELECT gen_random_uuid()::text, m.pool_id, m.user_id, m.contract_minutes_per_week,
       p.school_year::text || '-08-01', NULL, p.created_at
FROM pool_members m JOIN pools p ON p.id = m.pool_id;
DROP TABLE pool_members;
CREATE UNIQUE INDEX memberships_open ON memberships (pool_id, user_id) WHERE last_day IS NULL;
CREATE INDEX memberships_by_user ON memberships (user_id);
