-- The final assessment: submissions (immutable once made; a withdrawal is recorded on the row),
-- the supporting documents they hold (copies of evidence file rows, so a later change to the
-- portfolio cannot alter what was assessed), every judgement made on them (never overwritten),
-- the outcomes released per enrolment, and certificates with their place in the status list.
CREATE TABLE assessment_submissions (
    id TEXT PRIMARY KEY NOT NULL,
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    -- 1, or 2 after a refer.
    attempt INTEGER NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects (id),
    report TEXT NOT NULL,
    words BIGINT NOT NULL,
    status TEXT NOT NULL,
    submitted_on DATE NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP,
    withdrawal_reason TEXT,
    marker_user_id TEXT REFERENCES users (id),
    moderator_user_id TEXT REFERENCES users (id),
    -- The outcome decided (by the mark, or a moderator who overturned it), once released.
    outcome TEXT,
    -- After a refer: the last day the one resubmission is accepted.
    resubmit_by DATE,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX assessment_submissions_enrolment_id ON assessment_submissions (enrolment_id);
-- One live submission per attempt.
CREATE UNIQUE INDEX assessment_submissions_live_attempt
    ON assessment_submissions (enrolment_id, attempt) WHERE status <> 'withdrawn';
CREATE INDEX assessment_submissions_marker ON assessment_submissions (marker_user_id);
CREATE INDEX assessment_submissions_moderator ON assessment_submissions (moderator_user_id);

-- The coach's verification of the evidence, where the programme requires it: before marking.
CREATE TABLE assessment_verifications (
    submission_id TEXT PRIMARY KEY NOT NULL REFERENCES assessment_submissions (id),
    statement TEXT NOT NULL,
    verified_on DATE NOT NULL,
    verified_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);

-- The release of a submission's outcome to the participant.
CREATE TABLE assessment_releases (
    submission_id TEXT PRIMARY KEY NOT NULL REFERENCES assessment_submissions (id),
    outcome TEXT NOT NULL,
    released_by TEXT NOT NULL REFERENCES users (id),
    released_at TIMESTAMP NOT NULL
);

CREATE TABLE assessment_documents (
    submission_id TEXT NOT NULL REFERENCES assessment_submissions (id),
    position INTEGER NOT NULL,
    filename TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (submission_id, position)
);
CREATE INDEX assessment_documents_sha256 ON assessment_documents (sha256);

CREATE TABLE assessment_judgements (
    id TEXT PRIMARY KEY NOT NULL,
    submission_id TEXT NOT NULL REFERENCES assessment_submissions (id),
    kind TEXT NOT NULL,
    assessor_user_id TEXT NOT NULL REFERENCES users (id),
    outcome TEXT NOT NULL,
    -- A moderation: it agrees with the mark.
    confirms BOOLEAN,
    -- Each criterion's verdict and feedback, as JSON.
    criteria TEXT NOT NULL,
    feedback TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX assessment_judgements_submission_id ON assessment_judgements (submission_id, recorded_at);

-- What the DfE calls an outcome: passed or failed, with the completion date.
CREATE TABLE assessment_outcomes (
    id TEXT PRIMARY KEY NOT NULL,
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    submission_id TEXT NOT NULL REFERENCES assessment_submissions (id),
    state TEXT NOT NULL,
    completion_date DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX assessment_outcomes_enrolment_id ON assessment_outcomes (enrolment_id);
CREATE INDEX assessment_outcomes_created_at ON assessment_outcomes (created_at);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    enrolment_id TEXT NOT NULL UNIQUE REFERENCES enrolments (id),
    holder_name TEXT NOT NULL,
    programme_name TEXT NOT NULL,
    issuer_id TEXT NOT NULL REFERENCES organisations (id),
    issuer_name TEXT NOT NULL,
    issued_on DATE NOT NULL,
    issued_by TEXT NOT NULL REFERENCES users (id),
    -- Its bit in its issuer's revocation status list.
    status_index INTEGER NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by TEXT REFERENCES users (id),
    revocation_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (issuer_id, status_index)
);
CREATE INDEX certificates_updated_at ON certificates (updated_at);

-- The portfolio entries the holder shares as the credential's evidence.
CREATE TABLE certificate_evidence (
    certificate_id TEXT NOT NULL REFERENCES certificates (id),
    entry_id TEXT NOT NULL,
    PRIMARY KEY (certificate_id, entry_id)
);
