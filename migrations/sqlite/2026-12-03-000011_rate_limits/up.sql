-- Per-client rate limits, counted in the database so every API node sees the same count: one row
-- per client per minute (the fixed window the limit applies to; rows older than ten minutes are
-- removed as new ones start) and one per client per day (the usage counters managers read).
ALTER TABLE api_clients ADD COLUMN rate_limit_per_minute INTEGER;
CREATE TABLE client_usage_minutes (
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    window_start TIMESTAMP NOT NULL,
    requests INTEGER NOT NULL,
    PRIMARY KEY (client_id, window_start)
);
CREATE TABLE client_usage_days (
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    day DATE NOT NULL,
    requests INTEGER NOT NULL,
    refused INTEGER NOT NULL,
    PRIMARY KEY (client_id, day)
);
