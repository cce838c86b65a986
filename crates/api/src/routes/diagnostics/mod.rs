//! The 360 diagnostic: rounds per enrolment (opened, re-dated and closed by the participant or
//! the cohort's facilitators), raters nominated by group, the participant's self-review, the
//! report (participant and coach only, once a round is closed); in public, the rater's one-time
//! link: open, save and come back, submit once, or decline.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod links;
pub mod rounds;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(rounds::list_enrolment_diagnostic_rounds)
        .service(rounds::create_diagnostic_round)
        .service(rounds::get_diagnostic_round)
        .service(rounds::update_diagnostic_round)
        .service(rounds::close_diagnostic_round)
        .service(rounds::create_diagnostic_raters)
        .service(rounds::delete_diagnostic_rater)
        .service(rounds::get_diagnostic_self_review)
        .service(rounds::update_diagnostic_self_review)
        .service(rounds::get_diagnostic_report)
        .service(links::open_rater_link)
        .service(links::save_rater_answers)
        .service(links::submit_rater_answers)
        .service(links::decline_rater_request);
}
