-- Idempotency-Key (Stripe's semantics): a POST's key, per caller, with what the request was (a
-- SHA-256 of method, path, query, content type and body) and, once answered, the answer, so a
-- retry gets the same response. Kept 24 hours. The key itself is stored only as a SHA-256.
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    -- NULL while the first request runs; it holds the key until locked_until.
    status INTEGER,
    content_type TEXT,
    etag TEXT,
    location TEXT,
    body BYTEA,
    created_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, key_hash)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
