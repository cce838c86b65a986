-- Work-based projects with their stages, action log, impact measures and presentations; the
-- portfolio's entries, their history, and the evidence files they hold (bytes on disk under the
-- data dir, named by SHA-256; the rows say which entry holds which).
CREATE TABLE projects (
    id TEXT PRIMARY KEY NOT NULL,
    cohort_id TEXT NOT NULL REFERENCES cohorts (id),
    title TEXT NOT NULL,
    focus_area TEXT NOT NULL,
    focus_detail TEXT,
    host_school_id TEXT NOT NULL REFERENCES schools (id),
    sponsor_person_id TEXT REFERENCES people (id),
    tutor_person_id TEXT REFERENCES people (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    -- The optional activity-system worksheet, as JSON.
    worksheet TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX projects_cohort_id ON projects (cohort_id);

-- An enrolment is on at most one project's team.
CREATE TABLE project_members (
    enrolment_id TEXT PRIMARY KEY NOT NULL REFERENCES enrolments (id),
    project_id TEXT NOT NULL REFERENCES projects (id)
);
CREATE INDEX project_members_project_id ON project_members (project_id);

CREATE TABLE project_stages (
    project_id TEXT NOT NULL REFERENCES projects (id),
    stage TEXT NOT NULL,
    completed_on DATE NOT NULL,
    account TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, stage)
);

CREATE TABLE project_actions (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects (id),
    taken_on DATE NOT NULL,
    description TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_actions_project_id ON project_actions (project_id, taken_on);

CREATE TABLE impact_measures (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects (id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    baseline DOUBLE PRECISION NOT NULL,
    baseline_on DATE NOT NULL,
    target DOUBLE PRECISION NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX impact_measures_project_id ON impact_measures (project_id);

-- One reading per measure per day: recording a day again replaces its value.
CREATE TABLE impact_readings (
    measure_id TEXT NOT NULL REFERENCES impact_measures (id),
    taken_on DATE NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (measure_id, taken_on)
);

CREATE TABLE project_presentations (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects (id),
    audience TEXT NOT NULL,
    presented_on DATE NOT NULL,
    next_steps TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_presentations_project_id ON project_presentations (project_id);

CREATE TABLE portfolio_entries (
    id TEXT PRIMARY KEY NOT NULL,
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    words BIGINT NOT NULL,
    -- Reflections: the session reflected on.
    session_id TEXT REFERENCES sessions (id),
    -- Impact posters: the panels and themes, as JSON.
    poster TEXT,
    shared BOOLEAN NOT NULL,
    submitted_at TIMESTAMP,
    verified_at TIMESTAMP,
    verified_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX portfolio_entries_enrolment_id ON portfolio_entries (enrolment_id);
CREATE INDEX portfolio_entries_state ON portfolio_entries (state);

-- Every move an entry made, with who made it and the comments given: nothing is overwritten.
-- Kept after the entry is deleted (a draft only), so the entry id is not a foreign key.
CREATE TABLE portfolio_events (
    id TEXT PRIMARY KEY NOT NULL,
    entry_id TEXT NOT NULL,
    action TEXT NOT NULL,
    comment TEXT,
    by_user_id TEXT NOT NULL REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX portfolio_events_entry_id ON portfolio_events (entry_id, at);

CREATE TABLE evidence_files (
    id TEXT PRIMARY KEY NOT NULL,
    entry_id TEXT NOT NULL REFERENCES portfolio_entries (id),
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_files_entry_id ON evidence_files (entry_id);
CREATE INDEX evidence_files_sha256 ON evidence_files (sha256);
