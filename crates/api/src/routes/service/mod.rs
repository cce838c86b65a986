//! Service: whether this node is up and its database answers.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod health;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::get_health);
}
