DROP TABLE client_usage_days;
DROP TABLE client_usage_minutes;
ALTER TABLE api_clients DROP COLUMN rate_limit_per_minute;
