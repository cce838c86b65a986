DROP TABLE certificate_evidence;
DROP TABLE certificates;
DROP TABLE assessment_outcomes;
DROP TABLE assessment_judgements;
DROP TABLE assessment_documents;
DROP TABLE assessment_releases;
DROP TABLE assessment_verifications;
DROP TABLE assessment_submissions;
