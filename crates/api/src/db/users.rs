//! User accounts: the sign-in lookup and the profile.

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::schema::users;
use crate::error::ApiError;

/// The user's id and password hash, by (lower-cased) email.
pub fn login_by_email(conn: &mut DbConn, email: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(users::table.filter(users::email.eq(email)).select((users::id, users::password_hash)).first(conn).optional()?)
}

/// (email, display name)
pub fn profile(conn: &mut DbConn, id: Uuid) -> Result<(String, String), ApiError> {
    Ok(users::table.find(id.to_string()).select((users::email, users::display_name)).first(conn)?)
}
