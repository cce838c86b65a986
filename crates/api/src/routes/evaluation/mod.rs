//! Programme evaluation (seed 001): a cohort's evaluation report — its statistics, interviews
//! with heads and governors at the interim and end stages, impact posters by theme and the
//! evaluator's narrative — as JSON and CSV, and recording interviews. The cohort's facilitators
//! (those who run it) write and read it: heads' and governors' candid answers go no wider.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod reports;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(reports::get_cohort_evaluation)
        .service(reports::update_cohort_evaluation)
        .service(reports::export_cohort_evaluation)
        .service(reports::create_evaluation_interview);
}
