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
    if row.school_id != school.id.to_string() {
        return Err(ApiError::internal("a person of another school"));
    }
    insert_unchecked(conn, row)
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
