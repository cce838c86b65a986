//! HTTP handlers, one module per resource. A handler extracts, authorises, calls the database
//! and the domain, and maps the result; every one is registered through [`configure`] so the
//! OpenAPI document cannot miss a route.

use actix_web::web::Data;
use trellis_wire::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

pub mod auth;
pub mod calendar;
pub mod coaching;
pub mod cohorts;
pub mod enrolments;
pub mod groups;
pub mod health;
pub mod organisations;
pub mod people;
pub mod programmes;
pub mod progress;
pub mod schools;
pub mod sessions;

pub type State = Data<AppState>;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::get_health)
        .service(auth::create_session)
        .service(auth::refresh_session)
        .service(auth::delete_session)
        .service(auth::create_client_token)
        .service(auth::get_me)
        .service(organisations::list_organisations)
        .service(organisations::create_organisation)
        .service(organisations::get_organisation)
        .service(organisations::update_term_calendar)
        .service(organisations::list_hubs)
        .service(organisations::create_hub)
        .service(schools::list_schools)
        .service(schools::create_school)
        .service(schools::get_school)
        .service(people::list_people)
        .service(people::create_person)
        .service(people::get_person)
        .service(programmes::list_programmes)
        .service(programmes::create_programme)
        .service(programmes::get_programme)
        .service(progress::list_programme_presets)
        .service(progress::get_enrolment_progress)
        .service(progress::get_cohort_progress)
        .service(progress::get_report_draft)
        .service(progress::update_report_draft)
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
        .service(enrolments::complete_enrolment)
        .service(sessions::list_sessions)
        .service(sessions::create_session_of_cohort)
        .service(sessions::get_session)
        .service(sessions::update_session)
        .service(sessions::cancel_session)
        .service(sessions::get_attendance)
        .service(sessions::update_attendance)
        .service(sessions::list_attendance)
        .service(coaching::update_coach)
        .service(coaching::list_coaching_sessions)
        .service(coaching::create_coaching_session)
        .service(calendar::create_calendar_feed)
        .service(calendar::list_calendar_feeds)
        .service(calendar::delete_calendar_feed)
        .service(groups::list_groups)
        .service(groups::create_group);
}

/// Errors any authenticated read can return.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // documentation only: the variants describe responses, they are never built
pub enum ReadErrors {
    /// Bad paging parameters (`invalid_limit`, `invalid_cursor`, `invalid_query`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No valid bearer token (`unauthenticated`, `invalid_token`, `token_expired`, `token_revoked`).
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The object does not exist or the caller may not see it (`not_found`).
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// Errors any authenticated write can return.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // documentation only
pub enum WriteErrors {
    /// Malformed JSON (`malformed_json`) or an unknown field (`unknown_field`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No valid bearer token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The caller may see the object but not change it (`forbidden`).
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// A referenced object does not exist or is not visible (`not_found`).
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The change conflicts with current state (`duplicate_urn`, `duplicate_mis_id`, `already_enrolled`, `illegal_transition`, `enrolment_not_active`).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body exceeds the size limit (`payload_too_large`).
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body is not JSON (`unsupported_media_type`).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// Fields failed validation (`validation_failed`, `invalid_urn`, `invalid_body`, …), listed in `errors` with a code each (`blank`, `control_character`, `out_of_range`, `hub_of_another_trust`, …).
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}
