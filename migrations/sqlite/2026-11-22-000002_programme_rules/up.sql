-- Programme rules: presets, per-organisation term dates, report drafts.
ALTER TABLE programmes ADD COLUMN preset_key TEXT;

-- JSON TermCalendar: real term dates overriding the defaults, for schools of this trust.
ALTER TABLE organisations ADD COLUMN term_calendar TEXT;

-- A participant's working draft of their final report: the word count is the domain's, stored
-- with the text so lists need not recount.
CREATE TABLE report_drafts (
    enrolment_id TEXT PRIMARY KEY NOT NULL REFERENCES enrolments (id),
    body TEXT NOT NULL,
    words BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
