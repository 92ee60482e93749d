-- Guardians are records of their own now (kind guardian: a name, a contact, their children), most of
-- them without an account: consent forms come on paper. This table is the index of who has custody of
-- which child, rewritten from the guardian record on each of its writes; a parent who signs in has the
-- id of their guardian record, so the links of parents' accounts carry over as they are.
CREATE TABLE guardian_children (
    guardian_id TEXT NOT NULL,
    child_id TEXT NOT NULL,
    PRIMARY KEY (guardian_id, child_id)
);
INSERT INTO guardian_children (guardian_id, child_id) SELECT parent_id, child_id FROM guardians;
DROP TABLE guardians;
CREATE INDEX guardian_children_by_child ON guardian_children (child_id);
-- Every custodian named so far (a parent's account, or an id made up for a paper form) becomes a
-- guardian record with that id, listing the children it declared for.
INSERT INTO pending_tasks (name) VALUES ('adopt_custodians');
