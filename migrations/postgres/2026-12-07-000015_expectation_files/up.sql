-- Evidence files behind a rating of trust expectations: held by one side's assessment of a school
-- for a term, against one statement; the bytes are the file store's, by content hash, like a
-- portfolio's evidence.
CREATE TABLE expectation_files (
    id TEXT PRIMARY KEY NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES expectation_assessments (id),
    statement_id TEXT NOT NULL REFERENCES expectation_statements (id),
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX expectation_files_assessment ON expectation_files (assessment_id);
CREATE INDEX expectation_files_sha256 ON expectation_files (sha256);
