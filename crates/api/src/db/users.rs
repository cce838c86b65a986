//! User accounts: the sign-in lookup and the profile.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::Role;
use trellis_domain::ids::UserId;

use crate::db::DbConn;
use crate::db::schema::users;
use crate::error::ApiError;
use crate::paging::new_id;

/// The user's id and password hash, by (lower-cased) email.
pub fn login_by_email(conn: &mut DbConn, email: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(users::table.filter(users::email.eq(email)).select((users::id, users::password_hash)).first(conn).optional()?)
}

/// (email, display name)
pub fn profile(conn: &mut DbConn, id: UserId) -> Result<(String, String), ApiError> {
    Ok(users::table.find(id.to_string()).select((users::email, users::display_name)).first(conn)?)
}

pub fn email_taken(conn: &mut DbConn, email: &str) -> Result<bool, ApiError> {
    let n: i64 = users::table.filter(users::email.eq(email)).count().get_result(conn)?;
    Ok(n > 0)
}

/// A user account to create (its password already hashed).
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub person_id: Option<&'a str>,
    pub organisation_id: Option<&'a str>,
    pub school_id: Option<&'a str>,
}

pub fn insert(conn: &mut DbConn, user: &NewUser, now: NaiveDateTime) -> Result<String, ApiError> {
    let id = new_id();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(user.email),
            users::password_hash.eq(user.password_hash),
            users::display_name.eq(user.display_name),
            users::role.eq(user.role.as_str()),
            users::person_id.eq(user.person_id),
            users::organisation_id.eq(user.organisation_id),
            users::school_id.eq(user.school_id),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}
