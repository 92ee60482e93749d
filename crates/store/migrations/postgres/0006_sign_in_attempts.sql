-- Sign-in attempts are counted before the password is checked (so parallel guesses count too): each
-- row belongs to one attempt, and a successful attempt removes its rows. Subjects are SHA-256 hashes of
-- "login:…" and "address:…", so a login typed by mistake (a password in the name field) is not kept;
-- rows older than the window are pruned as new attempts arrive.
ALTER TABLE sign_in_failures ADD COLUMN attempt TEXT;
DELETE FROM sign_in_failures;
