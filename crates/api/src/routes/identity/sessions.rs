//! Users' sign-in sessions: log in, refresh (single-use tokens, reuse ends the session), log out.

use actix_web::{HttpRequest, HttpResponse, post, put, web::Json};
use trellis_domain::authz::Principal;
use trellis_wire::{LoginRequest, Me, RefreshRequest, SwitchRole, TokenPair};
use validator::Validate;

use crate::auth::{self, Bearer};
use crate::db::{roles, sign_ins, users};
use crate::error::ApiError;
use crate::routes::{BodyErrors, ReadErrors, State};
use crate::signin::{issue_pair, no_store, slow_check, start_session, throttle_keys};

fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "the email or password is wrong")
}

/// Signs in with email and password. Returns a 15-minute access token and a single-use refresh token.
#[utoipa::path(
    operation_id = "create_session",
    tag = "identity",
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "Wrong email or password (`invalid_credentials`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this account or address (`too_many_attempts`); see `Retry-After`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or oversized fields", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body is not valid JSON or has an unknown field (`malformed_json`, `unknown_field`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn create_session(
    state: State,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let LoginRequest { email, password } = body.into_inner();
    let email = email.trim().to_lowercase();
    let address = state.net.client_ip(&req).map(|a| a.to_string()).unwrap_or_default();
    let keys = throttle_keys("login", &email, &address);
    let attempt = state.throttle.begin(&keys)?;
    actix_web::rt::time::sleep(attempt.delay()).await;
    // The slow hash check runs on the blocking pool, holding no database connection.
    let row = state.db.run(move |conn| users::login_by_email(conn, &email)).await?;
    let row = row.map(|l| ((l.id, l.deactivated_at), l.password_hash));
    let user = slow_check(password, row).await?;
    let Some((user_id, deactivated)) = user else {
        attempt.failed();
        return Err(invalid_credentials());
    };
    attempt.succeeded();
    state.throttle.clear(&keys[0].0);
    // Told only to someone who knows the password.
    if deactivated.is_some() {
        return Err(ApiError::unauthorized("account_deactivated", "this account has been deactivated"));
    }
    let st = state.clone();
    let pair = state.db.tx(move |conn| start_session(conn, &st, &user_id, None)).await?;
    Ok(no_store(&pair))
}

/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used
/// one again ends the whole session (it was probably stolen).
#[utoipa::path(
    operation_id = "refresh_session",
    tag = "identity",
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or oversized fields", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body is not valid JSON or has an unknown field (`malformed_json`, `unknown_field`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_session(state: State, body: Json<RefreshRequest>) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    body.validate()?;
    let hash = auth::token_hash(&body.refresh_token);
    let st = state.clone();
    let outcome = state
        .db
        .tx(move |conn| {
            let now = clock.now();
            let Some(token) = sign_ins::find_refresh_token(conn, &hash)? else {
                return Ok(Err(ApiError::unauthorized("invalid_refresh_token", "the refresh token is not valid")));
            };
            if token.used_at.is_some() {
                // Reuse: revoke the session, and commit that, before refusing.
                sign_ins::revoke(conn, &token.session_id, now)?;
                return Ok(Err(ApiError::unauthorized(
                    "refresh_token_reused",
                    "this refresh token was already used; the session has been ended",
                )));
            }
            if token.user_deactivated_at.is_some() {
                return Ok(Err(ApiError::unauthorized("account_deactivated", "this account has been deactivated")));
            }
            if token.session_revoked_at.is_some() || token.expires_at < now {
                return Ok(Err(ApiError::unauthorized(
                    "invalid_refresh_token",
                    "the refresh token has expired or been revoked",
                )));
            }
            if !sign_ins::claim_refresh_token(conn, &token.id, now)? {
                return Ok(Err(ApiError::unauthorized("refresh_token_reused", "this refresh token was already used")));
            }
            issue_pair(conn, &st, &token.user_id, &token.session_id, now).map(Ok)
        })
        .await?;
    outcome.map(|pair| no_store(&pair))
}

/// Signs out: ends the session behind the bearer token. Its access and refresh tokens stop working at once.
#[utoipa::path(
    operation_id = "delete_session",
    tag = "identity",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), ReadErrors)
)]
#[post("/auth/logout")]
pub async fn delete_session(state: State, caller: Bearer) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let sid = caller.session_id().ok_or_else(|| {
        ApiError::bad_request("not_a_session", "machine tokens expire on their own; there is no session to end")
    })?;
    state.db.tx_as(caller, move |conn, _caller| sign_ins::revoke(conn, &sid.to_string(), clock.now())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Switches the sign-in to another of the user's roles (a head teacher who also coaches, a
/// facilitator who is also a participant elsewhere). From the next request on, everything is
/// decided as that role, in its context; the tokens stay the same.
#[utoipa::path(
    operation_id = "switch_role",
    tag = "identity",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, body = trellis_wire::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[put("/auth/role")]
pub async fn switch_role(state: State, caller: Bearer, body: Json<SwitchRole>) -> Result<Json<Me>, ApiError> {
    let role_id = body.into_inner().role_id.to_string();
    let sid = caller
        .session_id()
        .ok_or_else(|| ApiError::bad_request("not_a_session", "machine clients hold no roles to switch between"))?;
    let me = state
        .db
        .tx_as(caller, move |conn, caller| {
            let Principal::User(u) = &caller.principal else { return Err(ApiError::forbidden()) };
            let user = u.user_id.to_string();
            if !roles::of_user(conn, &user)?.iter().any(|r| r.id == role_id) {
                return Err(ApiError::field("unknown_role", "role_id", "not one of your roles"));
            }
            sign_ins::set_role(conn, &sid.to_string(), &role_id)?;
            let caller = super::me::reload(conn, &sid.to_string(), &user)?;
            super::me::describe(conn, &caller)
        })
        .await?;
    Ok(Json(me))
}
