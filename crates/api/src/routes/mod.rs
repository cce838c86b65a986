//! HTTP handlers, by feature then resource: `routes/<feature>/<resource>.rs`, each feature's
//! `mod.rs` with one `configure`. [`register`] is the one list of what is served, used by the
//! server and by [`crate::startup::openapi`] alike, so the document cannot miss a route. A handler
//! parses its input, loads and authorises what it acts on (`db/`, `facts.rs`), does the work and
//! responds; no feature reaches into another's module (`e2e/tests/invariants.rs`).

use actix_web::web::Data;
use trellis_wire::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

pub mod accounts;
pub mod assessment;
pub mod certificates;
pub mod coaching;
pub mod cohorts;
pub mod dashboards;
pub mod delivery;
pub mod diagnostics;
pub mod directory;
pub mod evaluation;
pub mod identity;
pub mod mail;
pub mod partnerships;
pub mod portfolio;
pub mod programmes;
pub mod projects;
pub mod roster;
pub mod self_assessment;
pub mod service;
pub mod webhooks;

pub type State = Data<AppState>;

/// The domain's faults as one 422, coded by the first (each listed with its own code); nothing
/// when there are none.
pub fn refuse(faults: Vec<trellis_domain::cohort::FieldFault>) -> Result<(), crate::error::ApiError> {
    let Some(code) = faults.first().map(|f| f.code) else { return Ok(()) };
    Err(crate::error::ApiError::invalid(code, faults.into_iter().map(trellis_wire::FieldError::from).collect()))
}

/// Every route: the API under `/api/v1`, and what other software fetches from outside it (calendar
/// feeds, the signing keys, the OneRoster read).
pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .configure(service::configure)
            .configure(identity::configure)
            .configure(accounts::configure)
            .configure(mail::configure)
            .configure(directory::configure)
            .configure(programmes::configure)
            .configure(cohorts::configure)
            .configure(delivery::configure)
            .configure(coaching::configure)
            .configure(projects::configure)
            .configure(portfolio::configure)
            .configure(assessment::configure)
            .configure(certificates::configure)
            .configure(diagnostics::configure)
            .configure(roster::configure)
            .configure(dashboards::configure)
            .configure(webhooks::configure)
            .configure(partnerships::configure)
            .configure(self_assessment::configure)
            .configure(evaluation::configure),
    )
    .configure(delivery::configure_public)
    .configure(certificates::configure_public)
    .configure(roster::configure_public);
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
    /// A machine client over its requests-per-minute limit (`rate_limited`); see `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
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
    /// A machine client over its requests-per-minute limit (`rate_limited`); see `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
}

/// Errors any JSON body can bring, signed in or not.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // documentation only
pub enum BodyErrors {
    /// Malformed JSON (`malformed_json`) or an unknown field (`unknown_field`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// The body exceeds the size limit (`payload_too_large`).
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body is not JSON (`unsupported_media_type`).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// Fields failed validation, listed in `errors` with a code each (a password's: `password_too_short`, `password_too_common`, …).
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}
