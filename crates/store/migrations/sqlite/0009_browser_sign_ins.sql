-- Sign-ins from a browser that is not a tablet (the office, the parents' pages). The browser holds the
-- token in an HttpOnly cookie; only its SHA-256 is stored. Such a browser is not a device: it keeps no
-- data, never syncs and does not appear among the provider's tablets.
CREATE TABLE browser_sign_ins (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    way TEXT NOT NULL CHECK (way IN ('office', 'parents')),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    -- Absolute end: even a sign-in in constant use ends here.
    ends_at BIGINT NOT NULL
);
CREATE INDEX browser_sign_ins_by_user ON browser_sign_ins (user_id);
