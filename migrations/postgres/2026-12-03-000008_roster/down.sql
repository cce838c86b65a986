ALTER TABLE enrolments DROP COLUMN left_school_on;
ALTER TABLE people DROP COLUMN left_on;
