//! Mail: the outbox of messages Trellis sends, for platform admins to see what went (and, with
//! no SMTP server configured, what is waiting).

use utoipa_actix_web::service_config::ServiceConfig;

pub mod outbox;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(outbox::list_outbox);
}
