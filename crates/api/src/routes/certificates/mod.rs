//! Certificates: awarding one when the programme's rules say the enrolment is certifiable,
//! revoking it, the holder's choice of evidence, and the signed Open Badges 3.0 credential; in
//! public, the verify page's data, shared evidence, the issuing keys and the status lists.

use utoipa_actix_web::service_config::ServiceConfig;

#[allow(clippy::module_inception)] // the feature's main resource keeps its name (ARCHITECTURE.md)
pub mod certificates;
pub mod public;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(certificates::issue_certificate)
        .service(certificates::get_enrolment_certificate)
        .service(certificates::get_certificate)
        .service(certificates::revoke_certificate)
        .service(certificates::share_certificate_evidence)
        .service(certificates::get_certificate_credential)
        .service(public::verify_certificate)
        .service(public::get_shared_evidence)
        .service(public::get_status_list);
}

/// Outside `/api/v1`: the issuing keys where verifiers look for them.
pub fn configure_public(cfg: &mut ServiceConfig) {
    cfg.service(public::get_jwks);
}
