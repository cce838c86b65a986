-- Delivery: sessions and registers, learning groups, coaching, calendar feeds.
CREATE TABLE learning_groups (
    id TEXT PRIMARY KEY NOT NULL,
    cohort_id TEXT NOT NULL REFERENCES cohorts (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    facilitator_person_id TEXT REFERENCES people (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX learning_groups_cohort_id ON learning_groups (cohort_id);

CREATE TABLE learning_group_members (
    group_id TEXT NOT NULL REFERENCES learning_groups (id),
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    PRIMARY KEY (group_id, enrolment_id)
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    cohort_id TEXT NOT NULL REFERENCES cohorts (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- UTC; the API speaks Europe/London local time as well.
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    venue_school_id TEXT REFERENCES schools (id),
    venue_text TEXT,
    facilitator_person_id TEXT REFERENCES people (id),
    led_by_enrolment_id TEXT REFERENCES enrolments (id),
    audience TEXT NOT NULL,
    group_id TEXT REFERENCES learning_groups (id),
    cancelled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_cohort_id ON sessions (cohort_id, starts_at);

CREATE TABLE attendance (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    status TEXT NOT NULL,
    -- Half-days credited (2 = a full day), where the register says so; else from the session kind.
    half_days INTEGER,
    minutes INTEGER,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, enrolment_id)
);
CREATE INDEX attendance_enrolment_id ON attendance (enrolment_id);

ALTER TABLE enrolments ADD COLUMN coach_statement TEXT;

CREATE TABLE coaching_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    coach_person_id TEXT NOT NULL REFERENCES people (id),
    held_on DATE NOT NULL,
    minutes INTEGER NOT NULL,
    mode TEXT NOT NULL,
    focus TEXT NOT NULL,
    -- Private to the coach and the coachee: the API never sends it to anyone else.
    notes TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX coaching_sessions_enrolment_id ON coaching_sessions (enrolment_id);

CREATE TABLE calendar_feeds (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    -- SHA-256 of the URL's token; the token itself is shown once, at creation.
    token_hash TEXT NOT NULL UNIQUE,
    cohort_id TEXT REFERENCES cohorts (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
