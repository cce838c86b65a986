//! The roles users hold, each in its context.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::Role;
use trellis_domain::authz::{RoleGrant, SchoolFacts};

use crate::db::DbConn;
use crate::db::facts::opt_uuid;
use crate::db::schema::{organisations, schools, user_roles};
use crate::error::ApiError;
use crate::paging::new_id;

/// A role with the names of its context, as profiles and account lists show it.
#[derive(Debug, Clone, Queryable)]
pub struct RoleRow {
    pub id: String,
    pub user_id: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub organisation_name: Option<String>,
    pub school_id: Option<String>,
    pub school_name: Option<String>,
    pub school_trust_id: Option<String>,
    pub created_at: NaiveDateTime,
}

impl RoleRow {
    pub fn to_wire(&self) -> Result<trellis_wire::UserRole, ApiError> {
        Ok(trellis_wire::UserRole {
            id: crate::db::facts::uuid(&self.id)?,
            role: self.role()?,
            organisation_id: opt_uuid(self.organisation_id.as_deref())?,
            organisation_name: self.organisation_name.clone(),
            school_id: opt_uuid(self.school_id.as_deref())?,
            school_name: self.school_name.clone(),
            granted_at: self.created_at.and_utc(),
        })
    }

    pub fn role(&self) -> Result<Role, ApiError> {
        self.role.parse().map_err(ApiError::internal)
    }

    /// The facts access to this role is decided on.
    pub fn grant(&self) -> Result<RoleGrant, ApiError> {
        let school = match opt_uuid(self.school_id.as_deref())? {
            Some(id) => Some(SchoolFacts { id, trust_id: opt_uuid(self.school_trust_id.as_deref())? }),
            None => None,
        };
        Ok(RoleGrant { role: self.role()?, organisation_id: opt_uuid(self.organisation_id.as_deref())?, school })
    }
}

/// The active roles of these users, oldest first.
pub fn of_users(conn: &mut DbConn, users: &[String]) -> Result<Vec<RoleRow>, ApiError> {
    Ok(user_roles::table
        .left_join(organisations::table)
        .left_join(schools::table)
        .filter(user_roles::user_id.eq_any(users))
        .filter(user_roles::revoked_at.is_null())
        .select((
            user_roles::id,
            user_roles::user_id,
            user_roles::role,
            user_roles::organisation_id,
            organisations::name.nullable(),
            user_roles::school_id,
            schools::name.nullable(),
            schools::trust_id.nullable(),
            user_roles::created_at,
        ))
        .order((user_roles::created_at, user_roles::id))
        .load(conn)?)
}

pub fn of_user(conn: &mut DbConn, user: &str) -> Result<Vec<RoleRow>, ApiError> {
    of_users(conn, &[user.to_owned()])
}

/// Gives the user the role (the existing row when they hold it already); returns its id.
pub fn grant(
    conn: &mut DbConn,
    user: &str,
    role: Role,
    organisation: Option<&str>,
    school: Option<&str>,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let mut query = user_roles::table
        .filter(user_roles::user_id.eq(user))
        .filter(user_roles::role.eq(role.as_str()))
        .filter(user_roles::revoked_at.is_null())
        .select(user_roles::id)
        .into_boxed();
    query = match organisation {
        Some(o) => query.filter(user_roles::organisation_id.eq(o)),
        None => query.filter(user_roles::organisation_id.is_null()),
    };
    query = match school {
        Some(s) => query.filter(user_roles::school_id.eq(s)),
        None => query.filter(user_roles::school_id.is_null()),
    };
    let held: Option<String> = query.first(conn).optional()?;
    if let Some(id) = held {
        return Ok(id);
    }
    let id = new_id();
    diesel::insert_into(user_roles::table)
        .values((
            user_roles::id.eq(&id),
            user_roles::user_id.eq(user),
            user_roles::role.eq(role.as_str()),
            user_roles::organisation_id.eq(organisation),
            user_roles::school_id.eq(school),
            user_roles::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Takes the role away, and ends the sign-ins acting in it (their refresh tokens too).
pub fn revoke(conn: &mut DbConn, role_id: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    use crate::db::schema::auth_sessions;
    diesel::update(user_roles::table.find(role_id).filter(user_roles::revoked_at.is_null()))
        .set(user_roles::revoked_at.eq(now))
        .execute(conn)?;
    diesel::update(
        auth_sessions::table.filter(auth_sessions::role_id.eq(role_id)).filter(auth_sessions::revoked_at.is_null()),
    )
    .set(auth_sessions::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Whether the person signs in with this role anywhere (such as a coach).
pub fn person_holds(conn: &mut DbConn, person: &str, role: Role) -> Result<bool, ApiError> {
    use crate::db::schema::users;
    let n: i64 = user_roles::table
        .inner_join(users::table)
        .filter(users::person_id.eq(person))
        .filter(users::deactivated_at.is_null())
        .filter(user_roles::role.eq(role.as_str()))
        .filter(user_roles::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
