-- Webhooks. A machine client subscribes an HTTPS endpoint to event types; an event is written in
-- the transaction that causes it, with one delivery per subscription that may hear of it (the
-- webhook outbox); each node's webhook worker claims due deliveries under a lease, POSTs them
-- signed the Standard Webhooks way, and records every attempt.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Event types, space-separated.
    events TEXT NOT NULL,
    -- `whsec_` and base64: HMAC-SHA256 needs the secret itself, so it is kept, never shown again.
    secret TEXT NOT NULL,
    -- active, disabled (by its client or after repeated failure), deleted
    status TEXT NOT NULL,
    disabled_reason TEXT,
    -- Failed attempts since the last success, and when the first of them was.
    consecutive_failures INTEGER NOT NULL,
    failing_since TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_subscriptions_client ON webhook_subscriptions (client_id);
CREATE INDEX webhook_subscriptions_status ON webhook_subscriptions (status);
CREATE TABLE webhook_events (
    -- `msg_…`: the `webhook-id` header, the same on every attempt and replay.
    id TEXT PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    -- The JSON body sent, byte for byte.
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    event_id TEXT NOT NULL REFERENCES webhook_events (id),
    created_at TIMESTAMP NOT NULL,
    -- pending, delivered, failed (gave up after the last retry)
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    delivered_at TIMESTAMP,
    last_status_code INTEGER,
    last_error TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);
CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    at TIMESTAMP NOT NULL,
    node TEXT NOT NULL,
    -- delivered, failed
    outcome TEXT NOT NULL,
    status_code INTEGER,
    -- The error, or the start of the endpoint's answer.
    detail TEXT NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, at);
