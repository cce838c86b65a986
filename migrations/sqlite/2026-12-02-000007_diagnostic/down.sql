DROP TABLE diagnostic_responses;
DROP TABLE diagnostic_self_reviews;
DROP TABLE diagnostic_drafts;
DROP TABLE diagnostic_links;
DROP TABLE diagnostic_raters;
DROP TABLE diagnostic_rounds;
