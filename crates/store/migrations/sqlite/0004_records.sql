-- Records that travel through sync (time entries, group sessions, observations, children, goals, week
-- reviews, absences, cover grants, consents, audit events), as the domain crate's RecordState in JSON,
-- with the facts the server decides on as indexed columns (see domain::facts). Days are ISO dates,
-- weeks ISO week keys (2026-W48), times Unix milliseconds.
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    -- The provider of the user who created the record; nothing crosses providers.
    provider_id TEXT NOT NULL REFERENCES providers (id),
    -- The pool whose devices receive the record; NULL for records no device pulls (an audit event
    -- about no child).
    pool_id TEXT REFERENCES pools (id),
    -- The pool's change counter at the record's last change (see pool_changes).
    change_number BIGINT,
    version BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL,
    -- The one person the record belongs to: the companion of a time entry, absence, cover grant or
    -- week review; an observation's author; an audit event's actor. NULL for sessions and children.
    subject_user TEXT,
    child_id TEXT,
    first_day TEXT,
    last_day TEXT,
    -- Set on an approved week review: the week of subject_user that is locked.
    lock_week TEXT,
    state TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX records_by_pool_change ON records (pool_id, change_number);
CREATE INDEX records_by_subject ON records (subject_user, kind);
CREATE INDEX records_by_child ON records (child_id, kind);
CREATE INDEX records_by_lock_week ON records (lock_week);

-- One counter per pool, incremented inside the writing transaction. Its row lock orders the writers of
-- a pool, so change numbers become visible in the order they were given out and a puller never skips
-- one (a sequence could hand out 7 before 6 commits).
CREATE TABLE pool_changes (
    pool_id TEXT PRIMARY KEY REFERENCES pools (id),
    last_change BIGINT NOT NULL
);

-- Every mutation the server has answered, keyed by (device, device-wide number): a retried push gets
-- the stored answer instead of applying the change twice. With the mutation itself, this is also the
-- history of every record: who changed what, from which device, when.
CREATE TABLE applied_mutations (
    device_id TEXT NOT NULL,
    number BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    record_id TEXT NOT NULL,
    mutation TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, number)
);
CREATE INDEX applied_mutations_by_record ON applied_mutations (record_id);

-- Parents and the children they have custody of.
CREATE TABLE guardians (
    parent_id TEXT NOT NULL REFERENCES users (id),
    child_id TEXT NOT NULL,
    PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX guardians_by_child ON guardians (child_id);

-- Cover grants are records now (kind cover_grant): they travel to the covering companion's device.
DROP TABLE cover_grants;
