-- When the account was last used (a sign-in, a token refresh, a request from a tablet or a browser,
-- recorded at most every few minutes), for the office's list of people. NULL until the first use.
ALTER TABLE users ADD COLUMN last_active_at BIGINT;
