ALTER TABLE enrolment_events DROP COLUMN note;
DROP TABLE outbox_attempts;
DROP TABLE outbox;
ALTER TABLE api_clients DROP COLUMN last_used_at;
ALTER TABLE api_clients DROP COLUMN secret_rotated_at;
ALTER TABLE api_clients DROP COLUMN created_by;
DROP TABLE audit_events;
DROP TABLE password_resets;
DROP TABLE invitations;
DROP TABLE refresh_tokens;
DROP TABLE auth_sessions;
ALTER TABLE users DROP COLUMN deactivated_at;
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'participant';
ALTER TABLE users ADD COLUMN organisation_id TEXT REFERENCES organisations (id);
ALTER TABLE users ADD COLUMN school_id TEXT REFERENCES schools (id);
-- Each user keeps the first role they were given.
UPDATE users SET
    role = (SELECT r.role FROM user_roles r WHERE r.user_id = users.id ORDER BY r.created_at, r.id LIMIT 1),
    organisation_id = (SELECT r.organisation_id FROM user_roles r WHERE r.user_id = users.id ORDER BY r.created_at, r.id LIMIT 1),
    school_id = (SELECT r.school_id FROM user_roles r WHERE r.user_id = users.id ORDER BY r.created_at, r.id LIMIT 1);
DROP TABLE user_roles;
CREATE TABLE auth_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES auth_sessions (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
