//! Pull feeds for trust dashboards and MIS CPD modules: progress per enrolment across every cohort
//! in the caller's scope, its summary by school and programme, each person's CPD record, and a
//! CSV export of every list the dashboard shows; and the DfE Lead Provider API's participant and
//! outcome views over the same scope.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod cpd;
pub mod participants;
pub mod progress;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(progress::list_progress)
        .service(progress::get_progress_summary)
        .service(progress::export_progress)
        .service(progress::export_progress_summary)
        .service(cpd::list_cpd_records)
        .service(cpd::get_cpd_record)
        // The fixed path before the templated one, which would take `outcomes` for an id.
        .service(participants::list_participant_outcomes)
        .service(participants::list_participants)
        .service(participants::get_participant);
}
