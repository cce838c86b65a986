//! Programmes: their definitions (the rules as data), and the built-in presets.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod presets;
#[allow(clippy::module_inception)] // the feature's main resource bears its name
pub mod programmes;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(programmes::list_programmes)
        .service(programmes::create_programme)
        .service(programmes::get_programme)
        .service(presets::list_programme_presets);
}
