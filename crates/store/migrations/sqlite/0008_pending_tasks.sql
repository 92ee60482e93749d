-- One-time data tasks the server runs at its next start, in Rust (what they do to a record is decided
-- by the domain crate, the same on both databases); a task's row is removed when it is done.
CREATE TABLE pending_tasks (
    name TEXT PRIMARY KEY
);
-- Records deleted before tombstones were stripped still hold their text.
INSERT INTO pending_tasks (name) VALUES ('strip_tombstones');
