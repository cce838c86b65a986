//! School-to-school partnerships (seed 003): a trust's rounds, the board of needs its schools
//! post, matching a colleague from another school, their visits and the findings presented to the
//! host's senior team, postponement with notices, and the board circulated by email.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod needs;
pub mod rounds;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(rounds::create_partnership_round)
        .service(rounds::list_partnership_rounds)
        .service(rounds::get_partnership_round)
        .service(rounds::postpone_partnership_round)
        .service(rounds::resume_partnership_round)
        .service(rounds::circulate_partnership_round)
        .service(rounds::update_partnership_offer)
        .service(needs::create_partnership_need)
        .service(needs::list_partnership_needs)
        .service(needs::list_my_partnership_needs)
        .service(needs::get_partnership_need)
        .service(needs::list_partnership_suggestions)
        .service(needs::create_partnership_match)
        .service(needs::create_partnership_visit)
        .service(needs::update_partnership_findings)
        .service(needs::acknowledge_partnership_findings);
}

/// A domain refusal as the API's problem: 409 for what the state forbids now, 422 for the body.
pub(crate) fn refused(e: trellis_domain::partnership::PartnershipError) -> crate::error::ApiError {
    use trellis_domain::partnership::PartnershipError as E;
    match (&e, e.field()) {
        (E::Postponed(_) | E::AlreadyMatched | E::NotMatched | E::NotReported, _) | (_, None) => {
            crate::error::ApiError::conflict(e.code(), e.to_string())
        }
        (_, Some(field)) => crate::error::ApiError::field(e.code(), field, e.to_string()),
    }
}

/// Refuses a change (a new need, a match, circulating the board) while the round is postponed.
pub(crate) fn open_round(r: &crate::db::allowed::partnerships::LoadedRound) -> Result<(), crate::error::ApiError> {
    let status: trellis_domain::partnership::RoundStatus =
        r.row.status.parse().map_err(crate::error::ApiError::internal)?;
    trellis_domain::partnership::open_for_changes(status, r.row.restart_on).map_err(refused)
}
