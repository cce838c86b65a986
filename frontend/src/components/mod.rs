//! Parts of screens that more than one page shows, or that hold a screen's own state: each takes
//! ids or loaded values, loads what it needs itself, and knows no page.

pub mod attendance;
pub mod certificate;
pub mod checklist;
pub mod coach_form;
pub mod coaching_log;
pub mod complete_form;
pub mod diagnostic;
pub mod draft_editor;
pub mod entry_editor;
pub mod evidence_files;
pub mod groups;
pub mod invite_form;
pub mod my_enrolments;
pub mod new_cohort;
pub mod new_programme;
pub mod nominate;
pub mod outline;
pub mod person_form;
pub mod project_log;
pub mod rating_form;
pub mod school_form;
pub mod session_form;
pub mod start_project;
pub mod submission_form;
pub mod subscribe;
pub mod timetable;
pub mod withdraw_form;
