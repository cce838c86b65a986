//! The portfolio: entries and their verification, evidence files, the verification queue and a
//! cohort's posters.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod entries;
pub mod files;
pub mod queue;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(entries::list_portfolio_entries)
        .service(entries::create_portfolio_entry)
        .service(entries::get_portfolio_entry)
        .service(entries::update_portfolio_entry)
        .service(entries::delete_portfolio_entry)
        .service(entries::submit_portfolio_entry)
        .service(entries::withdraw_portfolio_entry)
        .service(entries::verify_portfolio_entry)
        .service(entries::return_portfolio_entry)
        .service(files::upload_evidence_file)
        .service(files::get_evidence_file)
        .service(files::delete_evidence_file)
        .service(queue::list_verification_queue)
        .service(queue::list_cohort_posters);
}
