//! Trust expectations (seed 002): the trust's framework, each school's termly self-assessment and
//! the trust's assessment of it, the heatmap with the gaps flagged, history by term, and the
//! support allocated to each school and reviewed termly.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod files;
pub mod framework;
pub mod reviews;
pub mod support;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(framework::get_expectation_framework)
        .service(framework::update_expectation_framework)
        .service(framework::get_expectation_heatmap)
        .service(reviews::get_school_expectation_history)
        .service(reviews::get_school_expectations)
        .service(reviews::update_school_expectation_ratings)
        .service(reviews::submit_school_expectations)
        .service(support::list_school_support)
        .service(support::create_school_support)
        .service(support::update_support_review)
        .service(files::upload_expectation_file)
        .service(files::get_expectation_file)
        .service(files::delete_expectation_file);
}

/// A domain refusal as the API's problem: 409 for what the state forbids now, 422 for the body.
pub(crate) fn refused(e: trellis_domain::expectations::ExpectationError) -> crate::error::ApiError {
    use trellis_domain::expectations::ExpectationError as E;
    match (&e, e.field()) {
        (E::Submitted, _) => crate::error::ApiError::conflict(e.code(), e.to_string()),
        (_, Some(field)) => crate::error::ApiError::field(e.code(), &field, e.to_string()),
        (_, None) => {
            crate::error::ApiError::new(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string())
        }
    }
}

/// The 1–4 scale, as the wire shows it.
pub(crate) fn scale() -> Vec<trellis_wire::RatingLevel> {
    trellis_domain::expectations::RATINGS
        .iter()
        .map(|(rating, label)| trellis_wire::RatingLevel { rating: *rating, label: (*label).to_owned() })
        .collect()
}

/// A stored rating (1–4 by the column's check) as the domain's `u8`.
pub(crate) fn level(r: i32) -> u8 {
    u8::try_from(r).unwrap_or(0)
}
