//! Identity: who the caller is. Users sign in with a password and hold a rotating refresh token;
//! machine clients (school MIS, dashboards) use OAuth 2.0 client credentials.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod clients;
pub mod me;
pub mod sessions;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sessions::create_session)
        .service(sessions::refresh_session)
        .service(sessions::delete_session)
        .service(sessions::switch_role)
        .service(clients::create_client_token)
        .service(me::get_me);
}
