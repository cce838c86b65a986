-- The 360 diagnostic. Who was asked and what was answered are kept apart: raters (with their
-- links and unsent drafts) in one set of tables, submitted answers in `diagnostic_responses`,
-- which holds the round and the rater's group only — no rater id, no time, and a random id — so
-- no query can join an answer back to the person who gave it.
CREATE TABLE diagnostic_rounds (
    id TEXT PRIMARY KEY NOT NULL,
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    -- baseline or end
    round TEXT NOT NULL,
    -- What the round rates and its anonymity threshold, as the programme said when it opened.
    items TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    closes_on DATE NOT NULL,
    opened_by TEXT REFERENCES users (id),
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    closed_by TEXT REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (enrolment_id, round)
);

CREATE TABLE diagnostic_raters (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES diagnostic_rounds (id),
    rater_group TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    -- invited, started, answered or declined
    status TEXT NOT NULL,
    decline_reason TEXT,
    invited_at TIMESTAMP NOT NULL,
    -- The reminder before the closing date (one per rater).
    reminded_at TIMESTAMP,
    UNIQUE (round_id, email)
);

-- A rater's links: only the SHA-256 of each secret. A reminder adds one; both work until the
-- rater answers or declines, or the link expires.
CREATE TABLE diagnostic_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    rater_id TEXT NOT NULL REFERENCES diagnostic_raters (id),
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX diagnostic_links_rater_id ON diagnostic_links (rater_id);

-- Answers saved to come back to; deleted when the rater submits.
CREATE TABLE diagnostic_drafts (
    rater_id TEXT PRIMARY KEY NOT NULL REFERENCES diagnostic_raters (id),
    answers TEXT NOT NULL,
    saved_at TIMESTAMP NOT NULL
);

-- The participant's own review (theirs, so kept with the round).
CREATE TABLE diagnostic_self_reviews (
    round_id TEXT PRIMARY KEY NOT NULL REFERENCES diagnostic_rounds (id),
    answers TEXT NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP
);

CREATE TABLE diagnostic_responses (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES diagnostic_rounds (id),
    rater_group TEXT NOT NULL,
    answers TEXT NOT NULL
);
CREATE INDEX diagnostic_responses_round_id ON diagnostic_responses (round_id);
