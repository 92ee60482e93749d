-- A device proves it is the tablet that registered its id: the SHA-256 of a secret the tablet made at
-- its first start and presented at its first sign-in. Devices registered before this was kept have
-- none; the first secret presented for them is kept from then on.
ALTER TABLE devices ADD COLUMN secret_hash TEXT;
