DROP TABLE partnership_offers;
DROP TABLE partnership_visits;
DROP TABLE partnership_matches;
DROP TABLE partnership_needs;
DROP TABLE partnership_round_schools;
DROP TABLE partnership_rounds;
ALTER TABLE schools DROP COLUMN longitude;
ALTER TABLE schools DROP COLUMN latitude;
