//! Password resets: one-time links (only their SHA-256 is kept) that expire.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::password_resets;
use crate::error::ApiError;
use crate::paging::new_id;

/// Stores a reset for the user; earlier unused ones stop working.
pub fn insert(
    conn: &mut DbConn,
    user: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(
        password_resets::table.filter(password_resets::user_id.eq(user)).filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?;
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::id.eq(new_id()),
            password_resets::user_id.eq(user),
            password_resets::token_hash.eq(token_hash),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// (reset id, user id, expires at, used at)
pub type ResetRow = (String, String, NaiveDateTime, Option<NaiveDateTime>);

pub fn by_token_hash(conn: &mut DbConn, hash: &str) -> Result<Option<ResetRow>, ApiError> {
    Ok(password_resets::table
        .filter(password_resets::token_hash.eq(hash))
        .select((password_resets::id, password_resets::user_id, password_resets::expires_at, password_resets::used_at))
        .first(conn)
        .optional()?)
}

/// Uses the reset; false when it was used (or expired) meanwhile.
pub fn claim(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<bool, ApiError> {
    let n = diesel::update(
        password_resets::table
            .find(id)
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(now)),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Resets asked for this user since `since` (to limit how many emails one address can be sent).
pub fn recent(conn: &mut DbConn, user: &str, since: NaiveDateTime) -> Result<i64, ApiError> {
    Ok(password_resets::table
        .filter(password_resets::user_id.eq(user))
        .filter(password_resets::created_at.ge(since))
        .count()
        .get_result(conn)?)
}
