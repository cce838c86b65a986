-- Trust expectations (seed 002). A trust keeps a framework: themes, each with statements. A
-- statement that was rated is retired rather than deleted when the trust edits the framework, so
-- past terms read as they were. Each term each school's leads rate every statement (the school's
-- side) and the trust's admins rate it too (the trust's side); a side is a draft until submitted.
-- Support is allocated to a school in a term and reviewed each term after.
CREATE TABLE expectation_themes (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    retired_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX expectation_themes_organisation ON expectation_themes (organisation_id);
CREATE TABLE expectation_statements (
    id TEXT PRIMARY KEY NOT NULL,
    theme_id TEXT NOT NULL REFERENCES expectation_themes (id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    retired_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX expectation_statements_theme ON expectation_statements (theme_id);
CREATE TABLE expectation_assessments (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES schools (id),
    -- 2026-autumn, 2027-spring, …
    term TEXT NOT NULL,
    -- school, trust
    side TEXT NOT NULL,
    submitted_at TIMESTAMP,
    submitted_by TEXT,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (school_id, term, side)
);
CREATE TABLE expectation_ratings (
    assessment_id TEXT NOT NULL REFERENCES expectation_assessments (id),
    statement_id TEXT NOT NULL REFERENCES expectation_statements (id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    evidence TEXT NOT NULL,
    PRIMARY KEY (assessment_id, statement_id)
);
CREATE TABLE expectation_support (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES schools (id),
    -- The term it was allocated in; reviews follow each term from then.
    term TEXT NOT NULL,
    what TEXT NOT NULL,
    provided_by TEXT NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX expectation_support_school ON expectation_support (school_id);
CREATE TABLE expectation_support_reviews (
    support_id TEXT NOT NULL REFERENCES expectation_support (id),
    term TEXT NOT NULL,
    hours_used DOUBLE PRECISION NOT NULL,
    impact TEXT NOT NULL,
    -- continue, complete, stop
    decision TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    reviewed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (support_id, term)
);
