//! People: staff and governors of a school.

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::allowed::{AddPerson, Allowed, LoadedPerson, LoadedSchool, person, school};
use crate::db::models::PersonRow;
use crate::db::schema::people;
use crate::db::{DbConn, keyset_page};
use crate::error::ApiError;
use crate::paging::PageRequest;

/// One page of a school's people (the caller's right to list them is checked by the handler).
pub fn of_school(
    conn: &mut DbConn,
    school: &Allowed<LoadedSchool, school::ListPeople>,
    page: &PageRequest,
) -> Result<Vec<PersonRow>, ApiError> {
    let q = people::table.filter(people::school_id.eq(school.id.to_string())).into_boxed();
    Ok(keyset_page!(q, people, page).select(PersonRow::as_select()).load(conn)?)
}

pub fn find(conn: &mut DbConn, person: &Allowed<LoadedPerson, person::Read>) -> Result<Option<PersonRow>, ApiError> {
    Ok(people::table.find(person.id.to_string()).select(PersonRow::as_select()).first(conn).optional()?)
}

pub fn mis_id_taken(
    conn: &mut DbConn,
    school: &Allowed<LoadedSchool, AddPerson>,
    mis_id: &str,
) -> Result<bool, ApiError> {
    let n: i64 = people::table
        .filter(people::school_id.eq(school.id.to_string()))
        .filter(people::mis_id.eq(mis_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Adds a person to a school the caller may staff.
pub fn insert(conn: &mut DbConn, school: &Allowed<LoadedSchool, AddPerson>, row: &PersonRow) -> Result<(), ApiError> {
    if row.school_id.as_deref() != Some(school.id.to_string().as_str()) {
        return Err(ApiError::internal("a person of another school"));
    }
    insert_unchecked(conn, row)
}

/// Which of these people have an account (the people's own page of a list the caller may read).
pub fn with_accounts(conn: &mut DbConn, rows: &[PersonRow]) -> Result<std::collections::HashSet<String>, ApiError> {
    use crate::db::schema::users;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let found: Vec<Option<String>> =
        users::table.filter(users::person_id.eq_any(ids)).select(users::person_id).load(conn)?;
    Ok(found.into_iter().flatten().collect())
}

/// Whether the person exists (a reference check: it reveals nothing about them).
pub fn exists(conn: &mut DbConn, id: Uuid) -> Result<bool, ApiError> {
    let n: i64 = people::table.filter(people::id.eq(id.to_string())).count().get_result(conn)?;
    Ok(n > 0)
}

/// For the seed, which builds the demo as the platform would.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &PersonRow) -> Result<(), ApiError> {
    diesel::insert_into(people::table).values(row).execute(conn)?;
    Ok(())
}

/// How many of these person ids exist.
pub fn count_known(conn: &mut DbConn, ids: &[String]) -> Result<i64, ApiError> {
    Ok(people::table.filter(people::id.eq_any(ids)).count().get_result(conn)?)
}

/// Who at a school has this email address (lower-cased), leavers left out: how an invitation
/// that names nobody finds the member of staff it is for.
pub(in crate::db) fn at_school_with_email(
    conn: &mut DbConn,
    school: Uuid,
    email: &str,
) -> Result<Vec<String>, ApiError> {
    Ok(people::table
        .filter(people::school_id.eq(school.to_string()))
        .filter(people::email.eq(email.trim().to_lowercase()))
        .filter(people::left_on.is_null())
        .select(people::id)
        .order(people::id)
        .load(conn)?)
}

/// A provider's coach, facilitator or assessor as a person of the provider (they work for no
/// school), made when their invitation is accepted. Their name is split at the last space.
pub(in crate::db) fn insert_for_organisation(
    conn: &mut DbConn,
    organisation: &str,
    display_name: &str,
    email: &str,
    now: chrono::NaiveDateTime,
) -> Result<String, ApiError> {
    let name = display_name.trim();
    let (given, family) = match name.rsplit_once(' ') {
        Some((g, f)) if !g.trim().is_empty() && !f.trim().is_empty() => (g.trim(), f.trim()),
        _ => (name, ""),
    };
    let row = PersonRow {
        id: crate::paging::new_id(),
        school_id: None,
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        email: Some(email.to_owned()),
        staff_role: trellis_domain::person::StaffRole::Other.as_str().to_owned(),
        mis_id: None,
        created_at: now,
        updated_at: now,
        left_on: None,
        organisation_id: Some(organisation.to_owned()),
    };
    insert_unchecked(conn, &row)?;
    Ok(row.id)
}
