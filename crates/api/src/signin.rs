//! Signing in, shared by the features that do it (a password sign-in, accepting an invitation,
//! a password reset): the throttle, the slow password check, and starting a session.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use trellis_wire::TokenPair;

use crate::auth::{self, TokenKind};
use crate::db::facts::uuid;
use crate::db::{DbConn, roles, sign_ins};
use crate::error::ApiError;
use crate::routes::State;
use crate::throttle::Limit;

/// Starts a session in the user's first role (they switch with `PUT /auth/role`) and stores its
/// first refresh token; returns the token pair. An account with no role left cannot sign in.
pub fn start_session(
    conn: &mut DbConn,
    state: &State,
    user_id: &str,
    role_id: Option<&str>,
) -> Result<TokenPair, ApiError> {
    let now = state.clock.now();
    let role = match role_id {
        Some(r) => r.to_owned(),
        None => roles::of_user(conn, user_id)?.into_iter().next().map(|r| r.id).ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "no_roles",
                "this account holds no role any more; ask your administrator",
            )
        })?,
    };
    let session_id = sign_ins::start(conn, user_id, &role, now)?;
    issue_pair(conn, state, user_id, &session_id, now)
}

pub fn issue_pair(
    conn: &mut DbConn,
    state: &State,
    user_id: &str,
    session_id: &str,
    now: NaiveDateTime,
) -> Result<TokenPair, ApiError> {
    let refresh = auth::random_token();
    sign_ins::add_refresh_token(conn, session_id, &auth::token_hash(&refresh), now)?;
    let access =
        state.jwt.issue(uuid(user_id)?, TokenKind::User, Some(uuid(session_id)?), None, auth::ACCESS_TTL_SECS)?;
    Ok(TokenPair {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: auth::ACCESS_TTL_SECS,
        refresh_token: refresh,
    })
}

/// Failed sign-ins in the throttle's window (15 minutes) before an account *from one address* is
/// refused (guessing); before attempts on an account from anywhere (distributed guessing) or from
/// one address on any account (spraying, or a school's NAT) are slowed down — never refused, so a
/// stranger cannot lock anyone out. See [`crate::throttle`].
const FAILURES_PER_ACCOUNT_AND_ADDRESS: u32 = 10;
const FAILURES_BEFORE_SLOWING_AN_ACCOUNT: u32 = 20;
const FAILURES_BEFORE_SLOWING_AN_ADDRESS: u32 = 50;

/// The throttle keys for an attempt on `who` (an email or a client id) from `address`.
pub fn throttle_keys(kind: &str, who: &str, address: &str) -> Vec<(String, Limit)> {
    vec![
        (format!("{kind}:{who}@{address}"), Limit::Refuse(FAILURES_PER_ACCOUNT_AND_ADDRESS)),
        (format!("{kind}:{who}"), Limit::Slow(FAILURES_BEFORE_SLOWING_AN_ACCOUNT)),
        (format!("addr:{address}"), Limit::Slow(FAILURES_BEFORE_SLOWING_AN_ADDRESS)),
    ]
}

/// Token responses must not be cached (RFC 6749 §5.1).
pub fn no_store<T: serde::Serialize>(body: &T) -> HttpResponse {
    HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).insert_header(("Pragma", "no-cache")).json(body)
}

/// Verifies `secret` against the stored hash (or a dummy one, so unknown accounts cost the same)
/// on the blocking pool; `Some(what)` when it matches.
pub async fn slow_check<T: Send + 'static>(secret: String, row: Option<(T, String)>) -> Result<Option<T>, ApiError> {
    actix_web::web::block(move || {
        let ok = auth::verify_password(&secret, row.as_ref().map(|r| r.1.as_str()));
        row.filter(|_| ok).map(|r| r.0)
    })
    .await
    .map_err(ApiError::internal)
}
