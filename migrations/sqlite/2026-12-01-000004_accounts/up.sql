-- Accounts: several roles per person, invitations, password resets, deactivation, the audit
-- trail, machine-client administration, and the email outbox.

-- A user holds one or more roles, each with its context (the organisation of a trust admin,
-- facilitator, coach or assessor; the school of a school lead or participant). The role a
-- request acts in is the one its sign-in session chose.
CREATE TABLE user_roles (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id),
    school_id TEXT REFERENCES schools (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX user_roles_user ON user_roles (user_id);
CREATE INDEX user_roles_school ON user_roles (school_id);
CREATE INDEX user_roles_organisation ON user_roles (organisation_id);
-- Each existing user's one role becomes their first role row, with the user's id as its id.
INSERT INTO user_roles (id, user_id, role, organisation_id, school_id, created_at)
    SELECT id, id, role, organisation_id, school_id, created_at FROM users;
ALTER TABLE users DROP COLUMN role;
ALTER TABLE users DROP COLUMN organisation_id;
ALTER TABLE users DROP COLUMN school_id;
-- A deactivated user cannot sign in, and every token they hold stops working at once.
ALTER TABLE users ADD COLUMN deactivated_at TIMESTAMP;

-- Sign-in sessions now carry the role they act in. Sessions are short-lived: the upgrade ends
-- them all (everyone signs in again) rather than guess a role for each.
DROP TABLE refresh_tokens;
DROP TABLE auth_sessions;
CREATE TABLE auth_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    role_id TEXT NOT NULL REFERENCES user_roles (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES auth_sessions (id),
    -- SHA-256 of the token: tokens are 256 random bits, so a fast hash suffices; the token itself is never stored.
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- An invitation to take a role: a one-time link (only its SHA-256 is kept), expiring, single-use.
-- Accepting creates the account (or, for an email that has one, adds the role to it).
CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id),
    school_id TEXT REFERENCES schools (id),
    person_id TEXT REFERENCES people (id),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    accepted_by TEXT REFERENCES users (id),
    revoked_at TIMESTAMP
);
CREATE INDEX invitations_email ON invitations (email);

CREATE TABLE password_resets (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Who changed what, when: written in the transaction that makes the change.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT REFERENCES users (id),
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    -- The trust or provider, and the school, the change belongs to: who may read the event.
    organisation_id TEXT REFERENCES organisations (id),
    school_id TEXT REFERENCES schools (id),
    -- JSON: what changed (never a secret).
    detail TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at, id);

-- Machine clients are registered by trust admins and school leads now: who did it, when the
-- secret last changed, when the client last took a token.
ALTER TABLE api_clients ADD COLUMN created_by TEXT REFERENCES users (id);
ALTER TABLE api_clients ADD COLUMN secret_rotated_at TIMESTAMP;
ALTER TABLE api_clients ADD COLUMN last_used_at TIMESTAMP;

-- Email waiting to go, written in the same transaction as the change that causes it; a worker
-- in each `trellis serve` claims due rows under a lease and sends them.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- Messages that carry a sign-in secret (password resets) are not shown on the outbox page.
    secret BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- pending, sent, failed (gave up after the last retry)
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE TABLE outbox_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL REFERENCES outbox (id),
    at TIMESTAMP NOT NULL,
    node TEXT NOT NULL,
    -- sent or failed
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id);

-- A lifecycle move's note: the reason a facilitator gave for completing an enrolment whose
-- requirements were not all met.
ALTER TABLE enrolment_events ADD COLUMN note TEXT;
