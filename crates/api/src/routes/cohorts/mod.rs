//! Cohorts: a programme's run, its enrolments and their lifecycle, progress against the rules,
//! and the participant's report draft.

use utoipa_actix_web::service_config::ServiceConfig;

#[allow(clippy::module_inception)] // the feature's main resource bears its name
pub mod cohorts;
pub mod enrolments;
pub mod progress;
pub mod report_drafts;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(progress::get_enrolment_progress)
        .service(progress::get_cohort_progress)
        .service(report_drafts::get_report_draft)
        .service(report_drafts::update_report_draft)
        .service(cohorts::list_cohorts)
        .service(cohorts::create_cohort)
        .service(cohorts::get_cohort)
        .service(enrolments::list_enrolments)
        .service(enrolments::create_enrolment)
        .service(enrolments::list_my_enrolments)
        .service(enrolments::get_enrolment)
        .service(enrolments::approve_enrolment)
        .service(enrolments::activate_enrolment)
        .service(enrolments::defer_enrolment)
        .service(enrolments::resume_enrolment)
        .service(enrolments::withdraw_enrolment)
        .service(enrolments::complete_enrolment);
}
