DROP TABLE report_drafts;
ALTER TABLE organisations DROP COLUMN term_calendar;
ALTER TABLE programmes DROP COLUMN preset_key;
