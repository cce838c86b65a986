//! Identity: who the caller is. Users sign in with a password and hold a rotating refresh token;
//! machine clients (school MIS, dashboards) use OAuth 2.0 client credentials.

use actix_web::HttpResponse;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth;
use crate::error::ApiError;
use crate::throttle::Limit;

pub mod clients;
pub mod me;
pub mod sessions;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sessions::create_session)
        .service(sessions::refresh_session)
        .service(sessions::delete_session)
        .service(clients::create_client_token)
        .service(me::get_me);
}

/// Failed sign-ins in the throttle's window (15 minutes) before an account *from one address* is
/// refused (guessing); before attempts on an account from anywhere (distributed guessing) or from
/// one address on any account (spraying, or a school's NAT) are slowed down — never refused, so a
/// stranger cannot lock anyone out. See [`crate::throttle`].
const FAILURES_PER_ACCOUNT_AND_ADDRESS: u32 = 10;
const FAILURES_BEFORE_SLOWING_AN_ACCOUNT: u32 = 20;
const FAILURES_BEFORE_SLOWING_AN_ADDRESS: u32 = 50;

/// The throttle keys for an attempt on `who` (an email or a client id) from `address`.
fn throttle_keys(kind: &str, who: &str, address: &str) -> Vec<(String, Limit)> {
    vec![
        (format!("{kind}:{who}@{address}"), Limit::Refuse(FAILURES_PER_ACCOUNT_AND_ADDRESS)),
        (format!("{kind}:{who}"), Limit::Slow(FAILURES_BEFORE_SLOWING_AN_ACCOUNT)),
        (format!("addr:{address}"), Limit::Slow(FAILURES_BEFORE_SLOWING_AN_ADDRESS)),
    ]
}

/// Token responses must not be cached (RFC 6749 §5.1).
fn no_store<T: serde::Serialize>(body: &T) -> HttpResponse {
    HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).insert_header(("Pragma", "no-cache")).json(body)
}

/// Verifies `secret` against the stored hash (or a dummy one, so unknown accounts cost the same)
/// on the blocking pool; `Some(what)` when it matches.
async fn slow_check<T: Send + 'static>(secret: String, row: Option<(T, String)>) -> Result<Option<T>, ApiError> {
    actix_web::web::block(move || {
        let ok = auth::verify_password(&secret, row.as_ref().map(|r| r.1.as_str()));
        row.filter(|_| ok).map(|r| r.0)
    })
    .await
    .map_err(ApiError::internal)
}
