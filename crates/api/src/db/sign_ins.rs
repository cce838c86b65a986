//! Sign-in sessions and their single-use refresh tokens.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::REFRESH_TTL_DAYS;
use crate::db::DbConn;
use crate::db::schema::{auth_sessions, refresh_tokens, users};
use crate::error::ApiError;
use crate::paging::new_id;

/// A refresh token with the session it belongs to.
#[derive(Debug, Queryable)]
pub struct RefreshToken {
    pub id: String,
    pub session_id: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub session_revoked_at: Option<NaiveDateTime>,
    pub user_id: String,
    pub user_deactivated_at: Option<NaiveDateTime>,
}

/// Starts a sign-in session for the user, acting in `role_id`; returns its id.
pub fn start(conn: &mut DbConn, user_id: &str, role_id: &str, now: NaiveDateTime) -> Result<String, ApiError> {
    let id = new_id();
    diesel::insert_into(auth_sessions::table)
        .values((
            auth_sessions::id.eq(&id),
            auth_sessions::user_id.eq(user_id),
            auth_sessions::role_id.eq(role_id),
            auth_sessions::created_at.eq(now),
            auth_sessions::expires_at.eq(now + Duration::days(REFRESH_TTL_DAYS)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Stores a new refresh token (its hash) for the session.
pub fn add_refresh_token(conn: &mut DbConn, session_id: &str, hash: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(hash),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(now + Duration::days(REFRESH_TTL_DAYS)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_refresh_token(conn: &mut DbConn, hash: &str) -> Result<Option<RefreshToken>, ApiError> {
    Ok(refresh_tokens::table
        .inner_join(auth_sessions::table.inner_join(users::table))
        .filter(refresh_tokens::token_hash.eq(hash))
        .select((
            refresh_tokens::id,
            refresh_tokens::session_id,
            refresh_tokens::expires_at,
            refresh_tokens::used_at,
            auth_sessions::revoked_at,
            auth_sessions::user_id,
            users::deactivated_at,
        ))
        .first(conn)
        .optional()?)
}

/// Marks the token used; false when another request used it first.
pub fn claim_refresh_token(conn: &mut DbConn, token_id: &str, now: NaiveDateTime) -> Result<bool, ApiError> {
    let claimed = diesel::update(refresh_tokens::table.find(token_id).filter(refresh_tokens::used_at.is_null()))
        .set(refresh_tokens::used_at.eq(now))
        .execute(conn)?;
    Ok(claimed == 1)
}

/// Ends the session: its access and refresh tokens stop working at once.
pub fn revoke(conn: &mut DbConn, session_id: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(auth_sessions::table.find(session_id)).set(auth_sessions::revoked_at.eq(now)).execute(conn)?;
    Ok(())
}

/// Switches the session to another of its user's roles, from the next request on.
pub fn set_role(conn: &mut DbConn, session_id: &str, role_id: &str) -> Result<(), ApiError> {
    diesel::update(auth_sessions::table.find(session_id)).set(auth_sessions::role_id.eq(role_id)).execute(conn)?;
    Ok(())
}

/// Ends every open session of the user (deactivation, a new password).
pub fn revoke_all_of_user(conn: &mut DbConn, user_id: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(
        auth_sessions::table.filter(auth_sessions::user_id.eq(user_id)).filter(auth_sessions::revoked_at.is_null()),
    )
    .set(auth_sessions::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// The role the session acts in.
pub fn role_of(conn: &mut DbConn, session_id: &str) -> Result<String, ApiError> {
    Ok(auth_sessions::table.find(session_id).select(auth_sessions::role_id).first(conn)?)
}
