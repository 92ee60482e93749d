-- One row that describes this database. The epoch identifies this copy of the data: it changes when
-- the database is restored from a backup, and every sync cursor carries it (see shared DESIGN.md).
CREATE TABLE server_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    created_at TEXT NOT NULL
);
