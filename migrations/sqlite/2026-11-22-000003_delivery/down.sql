DROP TABLE calendar_feeds;
DROP TABLE coaching_sessions;
ALTER TABLE enrolments DROP COLUMN coach_statement;
DROP TABLE attendance;
DROP TABLE sessions;
DROP TABLE learning_group_members;
DROP TABLE learning_groups;
