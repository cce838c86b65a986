-- Portable types so one diesel schema.rs serves SQLite and PostgreSQL: ids are UUID text,
-- instants TIMESTAMP (UTC), dates DATE, flags BOOLEAN. Keep this file and its postgres twin in step.
CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('trust', 'alliance', 'local_authority', 'provider')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE hubs (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    -- Not a foreign key: schools reference hubs, and SQLite cannot add the cycle's second edge later.
    -- The API checks it names a school.
    host_school_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE schools (
    id TEXT PRIMARY KEY NOT NULL,
    urn TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phase TEXT NOT NULL,
    trust_id TEXT REFERENCES organisations (id),
    hub_id TEXT REFERENCES hubs (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX schools_trust_id ON schools (trust_id);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES schools (id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    email TEXT,
    staff_role TEXT NOT NULL,
    mis_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (school_id, mis_id)
);
CREATE INDEX people_school_id ON people (school_id, id);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    person_id TEXT REFERENCES people (id),
    organisation_id TEXT REFERENCES organisations (id),
    school_id TEXT REFERENCES schools (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A sign-in: access tokens name their session, so revoking it ends them all at once.
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
    -- SHA-256 of the token: tokens are 256 random bits, so a fast hash suffices; the token itself is never stored.
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    -- argon2id PHC string: client secrets may be chosen by people, so they get a slow hash.
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    trust_id TEXT REFERENCES organisations (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE api_client_schools (
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    school_id TEXT NOT NULL REFERENCES schools (id),
    PRIMARY KEY (client_id, school_id)
);

CREATE TABLE programmes (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES organisations (id),
    definition TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE cohorts (
    id TEXT PRIMARY KEY NOT NULL,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    name TEXT NOT NULL,
    induction_date DATE NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    hub_id TEXT REFERENCES hubs (id),
    host_school_id TEXT REFERENCES schools (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE cohort_facilitators (
    cohort_id TEXT NOT NULL REFERENCES cohorts (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (cohort_id, person_id)
);

CREATE TABLE enrolments (
    id TEXT PRIMARY KEY NOT NULL,
    cohort_id TEXT NOT NULL REFERENCES cohorts (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    status TEXT NOT NULL,
    deferred_from TEXT,
    withdrawal_reason TEXT,
    withdrawal_details TEXT,
    coach_person_id TEXT REFERENCES people (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (cohort_id, person_id)
);
CREATE INDEX enrolments_person_id ON enrolments (person_id);

-- Every lifecycle move, kept: withdrawal and deferral never delete history.
CREATE TABLE enrolment_events (
    id TEXT PRIMARY KEY NOT NULL,
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    transition TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX enrolment_events_enrolment_id ON enrolment_events (enrolment_id);
