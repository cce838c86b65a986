//! User accounts: the sign-in lookup, the profile, passwords, deactivation, and the list of
//! accounts a caller manages.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::ids::UserId;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, account};
use crate::db::schema::{schools, user_roles, users};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};

/// What sign-in checks: the user's id, password hash and whether the account is deactivated.
#[derive(Debug, Queryable)]
pub struct Login {
    pub id: String,
    pub password_hash: String,
    pub deactivated_at: Option<NaiveDateTime>,
}

/// The account with this (lower-cased) email.
pub fn login_by_email(conn: &mut DbConn, email: &str) -> Result<Option<Login>, ApiError> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select((users::id, users::password_hash, users::deactivated_at))
        .first(conn)
        .optional()?)
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
    pub person_id: Option<&'a str>,
}

pub fn insert(conn: &mut DbConn, user: &NewUser, now: NaiveDateTime) -> Result<String, ApiError> {
    let id = new_id();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(user.email),
            users::password_hash.eq(user.password_hash),
            users::display_name.eq(user.display_name),
            users::person_id.eq(user.person_id),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The email of the account already linked to this person, if any.
pub fn email_of_person(conn: &mut DbConn, person: &str) -> Result<Option<String>, ApiError> {
    Ok(users::table.filter(users::person_id.eq(person)).select(users::email).first(conn).optional()?)
}

/// Links the account to a person when it has none yet (an invitation that names one).
pub fn link_person(conn: &mut DbConn, id: &str, person: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(users::table.find(id).filter(users::person_id.is_null()))
        .set((users::person_id.eq(person), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn set_password(conn: &mut DbConn, id: &str, hash: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Deactivates (`Some(now)`) or reactivates (`None`) the account.
pub fn set_deactivated(
    conn: &mut DbConn,
    id: &str,
    at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(users::table.find(id))
        .set((users::deactivated_at.eq(at), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub person_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub deactivated_at: Option<NaiveDateTime>,
}

type UserCols =
    (users::id, users::email, users::display_name, users::person_id, users::created_at, users::deactivated_at);
const USER_COLS: UserCols =
    (users::id, users::email, users::display_name, users::person_id, users::created_at, users::deactivated_at);

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<UserRow>, ApiError> {
    Ok(users::table.find(id).select(USER_COLS).first(conn).optional()?)
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Whose accounts a caller sees: the holders of roles in these contexts.
#[derive(Debug, Clone)]
pub enum UserScope {
    All,
    /// Roles held in one of these organisations, or at a school of one of these trusts, or at one of these schools.
    Within {
        organisations: Vec<String>,
        trusts: Vec<String>,
        schools: Vec<String>,
    },
}

/// One page of the accounts in `scope`, optionally matching `q` in name or email, by id.
pub fn list(
    conn: &mut DbConn,
    scope: &Allowed<UserScope, account::Read>,
    q: Option<&str>,
    page: &PageRequest,
) -> Result<Vec<UserRow>, ApiError> {
    let mut query = users::table.select(USER_COLS).order(users::id).limit(page.fetch()).into_boxed();
    if let UserScope::Within { organisations, trusts, schools: at } = &**scope {
        let in_trust = schools::table.filter(schools::trust_id.eq_any(trusts.clone())).select(schools::id.nullable());
        let holders = user_roles::table
            .filter(user_roles::revoked_at.is_null())
            .filter(
                user_roles::organisation_id
                    .eq_any(organisations.clone())
                    .or(user_roles::school_id.eq_any(at.clone()))
                    .or(user_roles::school_id.eq_any(in_trust)),
            )
            .select(user_roles::user_id);
        query = query.filter(users::id.eq_any(holders));
    }
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_', '\\'], ""));
        query = query.filter(users::email.like(pattern.clone()).or(lower(users::display_name).like(pattern)));
    }
    if let Some(after) = &page.after {
        query = query.filter(users::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}
