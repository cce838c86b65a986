//! Coaching: a named coach per enrolment, and the sessions they hold. Notes are private to the
//! coach and the coachee.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod coaches;
pub mod coaching_sessions;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(coaches::update_coach)
        .service(coaches::list_coaches)
        .service(coaching_sessions::list_coaching_sessions)
        .service(coaching_sessions::create_coaching_session);
}
