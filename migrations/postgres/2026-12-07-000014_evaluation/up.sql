-- Programme evaluation (seed 001): interviews at the interim and end stages with heads and
-- governors of the schools taking part, and the evaluator's own words for the report (its
-- background, the challenges met, the conclusion), one per cohort.
CREATE TABLE evaluation_interviews (
    id TEXT PRIMARY KEY NOT NULL,
    cohort_id TEXT NOT NULL REFERENCES cohorts (id),
    -- interim, end
    stage TEXT NOT NULL,
    -- head, governor
    role TEXT NOT NULL,
    school_id TEXT NOT NULL REFERENCES schools (id),
    interviewee TEXT NOT NULL,
    held_on DATE NOT NULL,
    expected TEXT NOT NULL,
    impact TEXT NOT NULL,
    challenges TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX evaluation_interviews_cohort ON evaluation_interviews (cohort_id);
CREATE TABLE evaluation_reports (
    cohort_id TEXT PRIMARY KEY NOT NULL REFERENCES cohorts (id),
    background TEXT NOT NULL,
    challenges TEXT NOT NULL,
    conclusion TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
