//! Delivery: a cohort's sessions and their registers, learning groups, and calendar feeds.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod attendance;
pub mod calendar;
pub mod groups;
pub mod sessions;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sessions::list_sessions)
        .service(sessions::create_session_of_cohort)
        .service(sessions::get_session)
        .service(sessions::update_session)
        .service(sessions::cancel_session)
        .service(attendance::get_attendance)
        .service(attendance::update_attendance)
        .service(attendance::list_attendance)
        .service(calendar::create_calendar_feed)
        .service(calendar::list_calendar_feeds)
        .service(calendar::delete_calendar_feed)
        .service(groups::list_groups)
        .service(groups::create_group);
}

/// Outside `/api/v1`: the feed a calendar app subscribes to, authorised by its secret address.
pub fn configure_public(cfg: &mut ServiceConfig) {
    cfg.service(calendar::get_calendar_feed);
}
