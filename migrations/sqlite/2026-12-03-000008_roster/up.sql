-- Roster sync (OneRoster `status=tobedeleted`): a leaver keeps their row and history; the day
-- they left is recorded, and their open enrolments are flagged for the school's leads to review.
ALTER TABLE people ADD COLUMN left_on DATE;
ALTER TABLE enrolments ADD COLUMN left_school_on DATE;
