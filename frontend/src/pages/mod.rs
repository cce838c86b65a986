//! The screens, one per route. A page reads its route, loads through [`crate::api`] and lays out
//! components and ui pieces; no page uses another page.

pub mod accept_invitation;
pub mod accounts;
pub mod assessments;
pub mod clients;
pub mod cohort;
pub mod cohorts;
pub mod dashboard;
pub mod diagnostic_report;
pub mod enrolment;
pub mod evaluation;
pub mod expectations;
pub mod home;
pub mod not_found;
pub mod outbox;
pub mod partnership_need;
pub mod partnerships;
pub mod person;
pub mod portfolio;
pub mod posters;
pub mod profile;
pub mod programme;
pub mod programmes;
pub mod project;
pub mod rate;
pub mod register;
pub mod reset_password;
pub mod school;
pub mod school_expectations;
pub mod schools;
pub mod self_review;
pub mod sign_in;
pub mod submission;
pub mod verification;
pub mod verify;
