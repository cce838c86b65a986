DROP INDEX people_school_email;
DROP INDEX people_organisation_id;
DELETE FROM people WHERE school_id IS NULL;
ALTER TABLE people DROP CONSTRAINT people_school_or_organisation;
ALTER TABLE people DROP COLUMN organisation_id;
ALTER TABLE people ALTER COLUMN school_id SET NOT NULL;
