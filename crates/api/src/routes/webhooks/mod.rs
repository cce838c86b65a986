//! Webhooks: a machine client's subscriptions, their delivery logs, test messages and replays.
//! Everything here belongs to the calling client alone.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod deliveries;
pub mod subscriptions;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(subscriptions::create_webhook_subscription)
        .service(subscriptions::list_webhook_subscriptions)
        .service(subscriptions::get_webhook_subscription)
        .service(subscriptions::update_webhook_subscription)
        .service(subscriptions::delete_webhook_subscription)
        .service(deliveries::create_webhook_test_event)
        .service(deliveries::list_webhook_deliveries)
        .service(deliveries::get_webhook_delivery)
        .service(deliveries::replay_webhook_delivery);
}
