//! The final assessment: submissions and the coach's verification (`submissions.rs`); assessors,
//! marks, moderation and release (`judging.rs`); the DfE-shaped outcomes.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod judging;
pub mod submissions;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(submissions::list_enrolment_submissions)
        .service(submissions::create_submission)
        .service(submissions::get_submission)
        .service(submissions::withdraw_submission)
        .service(submissions::verify_submission)
        .service(submissions::get_submission_document)
        .service(submissions::list_enrolment_outcomes)
        .service(judging::assign_assessors)
        .service(judging::record_submission_mark)
        .service(judging::record_submission_moderation)
        .service(judging::release_submission)
        .service(judging::list_assessor_queue);
}
