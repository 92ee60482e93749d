-- Refresh tokens rotate at every use. The one just replaced stays valid for a short grace window, so
-- that a tablet whose answer was lost on flaky Wi-Fi can ask again with it; presented after the window
-- it is a copy in someone else's hands, and the (user, device) session ends.
ALTER TABLE refresh_tokens ADD COLUMN previous_hash TEXT;
ALTER TABLE refresh_tokens ADD COLUMN previous_until BIGINT;
CREATE INDEX refresh_tokens_by_previous ON refresh_tokens (previous_hash);
