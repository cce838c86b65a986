//! People: staff and governors of a school.

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::models::PersonRow;
use crate::db::schema::people;
use crate::db::{DbConn, keyset_page};
use crate::error::ApiError;
use crate::paging::PageRequest;

/// One page of a school's people (the caller's right to list them is checked by the handler).
pub fn of_school(conn: &mut DbConn, school: Uuid, page: &PageRequest) -> Result<Vec<PersonRow>, ApiError> {
    let q = people::table.filter(people::school_id.eq(school.to_string())).into_boxed();
    Ok(keyset_page!(q, people, page).select(PersonRow::as_select()).load(conn)?)
}

pub fn find(conn: &mut DbConn, id: Uuid) -> Result<Option<PersonRow>, ApiError> {
    Ok(people::table.find(id.to_string()).select(PersonRow::as_select()).first(conn).optional()?)
}

pub fn mis_id_taken(conn: &mut DbConn, school: Uuid, mis_id: &str) -> Result<bool, ApiError> {
    let n: i64 = people::table
        .filter(people::school_id.eq(school.to_string()))
        .filter(people::mis_id.eq(mis_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(conn: &mut DbConn, row: &PersonRow) -> Result<(), ApiError> {
    diesel::insert_into(people::table).values(row).execute(conn)?;
    Ok(())
}

/// How many of these person ids exist.
pub fn count_known(conn: &mut DbConn, ids: &[String]) -> Result<i64, ApiError> {
    Ok(people::table.filter(people::id.eq_any(ids)).count().get_result(conn)?)
}
