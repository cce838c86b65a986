//! Projects: the work-based project of one participant or a small team, with its stages, action
//! log, impact measures and the presentations of its outcomes.

use utoipa_actix_web::service_config::ServiceConfig;

#[allow(clippy::module_inception)] // the feature's main resource bears its name
pub mod projects;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(projects::list_projects)
        .service(projects::create_project)
        .service(projects::get_project)
        .service(projects::get_enrolment_project)
        .service(projects::update_project)
        .service(projects::record_project_stage)
        .service(projects::create_project_action)
        .service(projects::create_impact_measure)
        .service(projects::record_impact_reading)
        .service(projects::create_project_presentation);
}
