-- A person belongs to a school (staff and governors) or to an organisation (a provider's coaches,
-- facilitators and assessors, who work for no school).
ALTER TABLE people ALTER COLUMN school_id DROP NOT NULL;
ALTER TABLE people ADD COLUMN organisation_id TEXT REFERENCES organisations (id);
ALTER TABLE people ADD CONSTRAINT people_school_or_organisation
    CHECK ((school_id IS NULL) <> (organisation_id IS NULL));
CREATE INDEX people_organisation_id ON people (organisation_id, id);
-- Invitations and accounts find a school's person by email.
CREATE INDEX people_school_email ON people (school_id, email);
