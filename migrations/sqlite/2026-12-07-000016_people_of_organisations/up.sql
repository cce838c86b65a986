-- A person belongs to a school (staff and governors) or to an organisation (a provider's coaches,
-- facilitators and assessors, who work for no school). SQLite's documented table rebuild: the
-- other tables' references name `people` and find the new table.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE people_new (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT REFERENCES schools (id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    email TEXT,
    staff_role TEXT NOT NULL,
    mis_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    left_on DATE,
    organisation_id TEXT REFERENCES organisations (id),
    UNIQUE (school_id, mis_id),
    CHECK ((school_id IS NULL) <> (organisation_id IS NULL))
);
INSERT INTO people_new (id, school_id, given_name, family_name, email, staff_role, mis_id, created_at, updated_at, left_on)
    SELECT id, school_id, given_name, family_name, email, staff_role, mis_id, created_at, updated_at, left_on FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
CREATE INDEX people_school_id ON people (school_id, id);
CREATE INDEX people_organisation_id ON people (organisation_id, id);
-- Invitations and accounts find a school's person by email.
CREATE INDEX people_school_email ON people (school_id, email);
COMMIT;
PRAGMA foreign_keys = ON;
