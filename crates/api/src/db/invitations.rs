//! Invitations to take a role: only the SHA-256 of each link's secret is kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::Role;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, account};
use crate::db::schema::{invitations, organisations, schools};
use crate::db::users::UserScope;
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};

#[derive(Debug, Clone, Queryable)]
pub struct InvitationRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub school_id: Option<String>,
    pub person_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

type Cols = (
    invitations::id,
    invitations::email,
    invitations::display_name,
    invitations::role,
    invitations::organisation_id,
    invitations::school_id,
    invitations::person_id,
    invitations::created_at,
    invitations::expires_at,
    invitations::accepted_at,
    invitations::revoked_at,
);
const COLS: Cols = (
    invitations::id,
    invitations::email,
    invitations::display_name,
    invitations::role,
    invitations::organisation_id,
    invitations::school_id,
    invitations::person_id,
    invitations::created_at,
    invitations::expires_at,
    invitations::accepted_at,
    invitations::revoked_at,
);

pub struct NewInvitation<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub organisation_id: Option<&'a str>,
    pub school_id: Option<&'a str>,
    pub person_id: Option<&'a str>,
    pub token_hash: &'a str,
    pub invited_by: Option<&'a str>,
    pub expires_at: NaiveDateTime,
}

/// Stores the invitation; an earlier pending one to the same email for the same role and context
/// is revoked, so only the newest link works.
pub fn insert(conn: &mut DbConn, new: &NewInvitation, now: NaiveDateTime) -> Result<String, ApiError> {
    let mut earlier = invitations::table
        .filter(invitations::email.eq(new.email))
        .filter(invitations::role.eq(new.role.as_str()))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .select(invitations::id)
        .into_boxed();
    earlier = match new.organisation_id {
        Some(o) => earlier.filter(invitations::organisation_id.eq(o)),
        None => earlier.filter(invitations::organisation_id.is_null()),
    };
    earlier = match new.school_id {
        Some(s) => earlier.filter(invitations::school_id.eq(s)),
        None => earlier.filter(invitations::school_id.is_null()),
    };
    let earlier: Vec<String> = earlier.load(conn)?;
    diesel::update(invitations::table.filter(invitations::id.eq_any(earlier)))
        .set(invitations::revoked_at.eq(now))
        .execute(conn)?;
    let id = new_id();
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(&id),
            invitations::email.eq(new.email),
            invitations::display_name.eq(new.display_name),
            invitations::role.eq(new.role.as_str()),
            invitations::organisation_id.eq(new.organisation_id),
            invitations::school_id.eq(new.school_id),
            invitations::person_id.eq(new.person_id),
            invitations::token_hash.eq(new.token_hash),
            invitations::invited_by.eq(new.invited_by),
            invitations::created_at.eq(now),
            invitations::expires_at.eq(new.expires_at),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<InvitationRow>, ApiError> {
    Ok(invitations::table.find(id).select(COLS).first(conn).optional()?)
}

pub fn by_token_hash(conn: &mut DbConn, hash: &str) -> Result<Option<InvitationRow>, ApiError> {
    Ok(invitations::table.filter(invitations::token_hash.eq(hash)).select(COLS).first(conn).optional()?)
}

/// Marks the invitation accepted by `user`; false when it was accepted or revoked meanwhile.
pub fn accept(conn: &mut DbConn, id: &str, user: &str, now: NaiveDateTime) -> Result<bool, ApiError> {
    let n = diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set((invitations::accepted_at.eq(now), invitations::accepted_by.eq(user)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(invitations::table.find(id).filter(invitations::revoked_at.is_null()))
        .set(invitations::revoked_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Links the accepting account to the person the invitation is for, when the account has none
/// yet: the person it names; else the one member of staff at the invited school with its email
/// (and no other account); else, for a provider's coach, facilitator or assessor, a new person of
/// the provider, so they can be named on enrolments and cohorts. The invitation's link is the
/// authority here (its secret was shown). Returns the person the account now belongs to.
pub fn link_account(
    conn: &mut DbConn,
    row: &InvitationRow,
    user: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, ApiError> {
    use crate::db::schema::users;
    let current: Option<String> = users::table.find(user).select(users::person_id).first(conn)?;
    if current.is_some() {
        return Ok(current);
    }
    let role: Role = row.role.parse().map_err(ApiError::internal)?;
    let person = if let Some(p) = &row.person_id {
        Some(p.clone())
    } else if let Some(school) = &row.school_id {
        let school = uuid::Uuid::parse_str(school).map_err(ApiError::internal)?;
        match crate::db::people::at_school_with_email(conn, school, &row.email)?.as_slice() {
            [one] if crate::db::users::email_of_person(conn, one)?.is_none_or(|e| e == row.email) => Some(one.clone()),
            _ => None,
        }
    } else if let Some(org) = &row.organisation_id
        && matches!(role, Role::Coach | Role::Facilitator | Role::Assessor)
    {
        Some(crate::db::people::insert_for_organisation(conn, org, &row.display_name, &row.email, now)?)
    } else {
        None
    };
    if let Some(p) = &person {
        crate::db::users::link_person(conn, user, p, now)?;
    }
    Ok(person)
}

/// The name of the trust, provider or school the invitation's role is held in.
pub fn context_name(conn: &mut DbConn, row: &InvitationRow) -> Result<Option<String>, ApiError> {
    if let Some(school) = &row.school_id {
        return Ok(schools::table.find(school).select(schools::name).first(conn).optional()?);
    }
    if let Some(org) = &row.organisation_id {
        return Ok(organisations::table.find(org).select(organisations::name).first(conn).optional()?);
    }
    Ok(None)
}

/// One page of invitations into roles in `scope`, newest last (by id).
pub fn list(
    conn: &mut DbConn,
    scope: &Allowed<UserScope, account::Read>,
    page: &PageRequest,
) -> Result<Vec<InvitationRow>, ApiError> {
    let mut query = invitations::table.select(COLS).order(invitations::id).limit(page.fetch()).into_boxed();
    if let UserScope::Within { organisations, trusts, schools: at } = &**scope {
        let in_trust = schools::table.filter(schools::trust_id.eq_any(trusts.clone())).select(schools::id.nullable());
        query = query.filter(
            invitations::organisation_id
                .eq_any(organisations.clone())
                .or(invitations::school_id.eq_any(at.clone()))
                .or(invitations::school_id.eq_any(in_trust)),
        );
    }
    if let Some(after) = &page.after {
        query = query.filter(invitations::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}
