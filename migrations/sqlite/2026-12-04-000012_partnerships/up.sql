-- School-to-school partnerships (seed 003). Schools gain coordinates, so matching can rank staff
-- by the straight-line distance between schools. A round is organised by a trust for some of its
-- schools; each school posts needs; one colleague from another school is matched to a need (the
-- need's primary key on the match makes a second match impossible); the colleague's visits are
-- logged; the findings and action plan are written up on the match and acknowledged by the host.
ALTER TABLE schools ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE schools ADD COLUMN longitude DOUBLE PRECISION;
CREATE TABLE partnership_rounds (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    -- open, postponed
    status TEXT NOT NULL,
    restart_on DATE,
    postponement_reason TEXT,
    -- When the board was last sent to the participating schools.
    circulated_at TIMESTAMP,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX partnership_rounds_organisation ON partnership_rounds (organisation_id);
CREATE TABLE partnership_round_schools (
    round_id TEXT NOT NULL REFERENCES partnership_rounds (id),
    school_id TEXT NOT NULL REFERENCES schools (id),
    PRIMARY KEY (round_id, school_id)
);
CREATE INDEX partnership_round_schools_school ON partnership_round_schools (school_id);
CREATE TABLE partnership_needs (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES partnership_rounds (id),
    school_id TEXT NOT NULL REFERENCES schools (id),
    area TEXT NOT NULL,
    area_detail TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    -- open, matched, reported, acknowledged
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX partnership_needs_round ON partnership_needs (round_id);
CREATE TABLE partnership_matches (
    need_id TEXT PRIMARY KEY NOT NULL REFERENCES partnership_needs (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    school_id TEXT NOT NULL REFERENCES schools (id),
    matched_by TEXT NOT NULL,
    matched_at TIMESTAMP NOT NULL,
    findings TEXT,
    action_plan TEXT,
    presented_on DATE,
    presented_to_governors BOOLEAN NOT NULL,
    reported_at TIMESTAMP,
    acknowledged_at TIMESTAMP,
    acknowledged_by TEXT
);
CREATE INDEX partnership_matches_person ON partnership_matches (person_id);
CREATE TABLE partnership_visits (
    id TEXT PRIMARY KEY NOT NULL,
    need_id TEXT NOT NULL REFERENCES partnership_needs (id),
    visited_on DATE NOT NULL,
    -- Ways of collecting data, space-separated.
    data_collection TEXT NOT NULL,
    notes TEXT NOT NULL,
    logged_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX partnership_visits_need ON partnership_visits (need_id);
-- Staff who put themselves forward for an area in a round (ranked first when matching).
CREATE TABLE partnership_offers (
    round_id TEXT NOT NULL REFERENCES partnership_rounds (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    area TEXT NOT NULL,
    PRIMARY KEY (round_id, person_id, area)
);
