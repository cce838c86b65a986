DROP TABLE expectation_support_reviews;
DROP TABLE expectation_support;
DROP TABLE expectation_ratings;
DROP TABLE expectation_assessments;
DROP TABLE expectation_statements;
DROP TABLE expectation_themes;
