DROP TABLE evaluation_reports;
DROP TABLE evaluation_interviews;
