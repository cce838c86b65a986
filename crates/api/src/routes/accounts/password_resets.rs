//! Password resets by email. Asking gives the same answer whether or not the email has an
//! account, so the form cannot be used to find out who has one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web::Json};
use chrono::Duration;
use trellis_wire::{CompletePasswordReset, PasswordResetRequested, RequestPasswordReset};
use validator::Validate;

use super::check_password;
use crate::auth;
use crate::db::{audit, outbox, password_resets, sign_ins, users};
use crate::error::ApiError;
use crate::routes::{BodyErrors, State};

/// At most this many reset emails per account per hour (the rest are silently not sent).
const RESETS_PER_HOUR: i64 = 3;

/// Emails a one-time link to reset the password, valid for an hour, when the address has an
/// active account. The answer is the same either way.
#[utoipa::path(
    operation_id = "create_password_reset",
    tag = "accounts",
    responses(
        (status = 202, body = PasswordResetRequested),
        BodyErrors,
    )
)]
#[post("/password-resets")]
pub async fn create_password_reset(
    state: State,
    req: HttpRequest,
    body: Json<RequestPasswordReset>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let clock = state.clock;
    let origin = state.net.public_origin(&req);
    let email = body.into_inner().email.trim().to_lowercase();
    state
        .db
        .tx(move |conn| {
            let Some(login) = users::login_by_email(conn, &email)? else { return Ok(()) };
            let now = clock.now();
            if login.deactivated_at.is_some()
                || password_resets::recent(conn, &login.id, now - Duration::hours(1))? >= RESETS_PER_HOUR
            {
                return Ok(());
            }
            let token = auth::random_token();
            let expires = now + Duration::minutes(auth::RESET_TTL_MINUTES);
            password_resets::insert(conn, &login.id, &auth::token_hash(&token), expires, now)?;
            let (_, name) = users::profile(conn, crate::db::facts::uuid(&login.id)?)?;
            let link = format!("{origin}/reset-password#token={token}");
            let at = format!("{} UTC on {}", expires.format("%H:%M"), expires.format("%-d %B %Y"));
            outbox::enqueue(conn, &crate::mail::templates::password_reset(&email, &name, &link, &at), now)?;
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: None,
                    action: "password_reset.requested",
                    subject_kind: "user",
                    subject_id: &login.id,
                    organisation_id: None,
                    school_id: None,
                    detail: serde_json::json!({}),
                },
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Accepted().json(PasswordResetRequested {
        message: "If that email address has a Trellis account, we have sent it a link to reset the password. The link works once, for an hour.".into(),
    }))
}

/// Sets a new password from a reset link. Every sign-in of the account ends; the owner is told by email.
#[utoipa::path(
    operation_id = "complete_password_reset",
    tag = "accounts",
    responses(
        (status = 204, description = "Password changed; sign in with it"),
        (status = 404, description = "`unknown_reset`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`reset_used` or `reset_expired`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/password-resets/complete")]
pub async fn complete_password_reset(
    state: State,
    body: Json<CompletePasswordReset>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let clock = state.clock;
    let CompletePasswordReset { token, password } = body.into_inner();
    let hash = auth::token_hash(&token);
    let h = hash.clone();
    let (reset_id, user_id, email) = state
        .db
        .run(move |conn| {
            let (id, user, expires, used) = password_resets::by_token_hash(conn, &h)?
                .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "unknown_reset", "this reset link is not valid"))?;
            if used.is_some() {
                return Err(ApiError::new(StatusCode::GONE, "reset_used", "this reset link has been used already"));
            }
            if expires < clock.now() {
                return Err(ApiError::new(
                    StatusCode::GONE,
                    "reset_expired",
                    "this reset link has expired; ask for a new one",
                ));
            }
            let (email, _) = users::profile(conn, crate::db::facts::uuid(&user)?)?;
            Ok((id, user, email))
        })
        .await?;
    check_password(&password, &email, "password")?;
    let new_hash =
        actix_web::web::block(move || auth::hash_password(&password)).await.map_err(ApiError::internal)??;
    state
        .db
        .tx(move |conn| {
            let now = clock.now();
            if !password_resets::claim(conn, &reset_id, now)? {
                return Err(ApiError::new(StatusCode::GONE, "reset_used", "this reset link has been used already"));
            }
            users::set_password(conn, &user_id, &new_hash, now)?;
            sign_ins::revoke_all_of_user(conn, &user_id, now)?;
            let (_, name) = users::profile(conn, crate::db::facts::uuid(&user_id)?)?;
            outbox::enqueue(conn, &crate::mail::templates::password_changed(&email, &name), now)?;
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: Some(&user_id),
                    action: "password.changed",
                    subject_kind: "user",
                    subject_id: &user_id,
                    organisation_id: None,
                    school_id: None,
                    detail: serde_json::json!({"via": "reset"}),
                },
                now,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
