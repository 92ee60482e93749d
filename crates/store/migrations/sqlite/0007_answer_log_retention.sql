-- The answer log keeps a mutation's full payload only while a device may still send it again (30
-- days, the devices' own log of acknowledged mutations); then the payload is replaced by what it
-- changed (kind, record, operation, field names) and only its fingerprint (SHA-256 of the mutation as
-- sent) still tells a retry from a different mutation under the same (device, number).
ALTER TABLE applied_mutations ADD COLUMN fingerprint TEXT;
ALTER TABLE applied_mutations ADD COLUMN redacted BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX applied_mutations_to_redact ON applied_mutations (redacted, received_at);
