PRAGMA foreign_keys = OFF;
BEGIN;
DELETE FROM people WHERE school_id IS NULL;
CREATE TABLE people_old (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES schools (id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    email TEXT,
    staff_role TEXT NOT NULL,
    mis_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    left_on DATE,
    UNIQUE (school_id, mis_id)
);
INSERT INTO people_old (id, school_id, given_name, family_name, email, staff_role, mis_id, created_at, updated_at, left_on)
    SELECT id, school_id, given_name, family_name, email, staff_role, mis_id, created_at, updated_at, left_on FROM people;
DROP TABLE people;
ALTER TABLE people_old RENAME TO people;
CREATE INDEX people_school_id ON people (school_id, id);
COMMIT;
PRAGMA foreign_keys = ON;
