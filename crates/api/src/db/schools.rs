//! Schools: scoped lists, lookups and inserts.

use diesel::prelude::*;
use trellis_domain::OrganisationKind;
use trellis_domain::ids::OrganisationId;
use trellis_domain::scope::SchoolScope;
use uuid::Uuid;

use crate::db::allowed::{Allowed, CreateSchool};
use crate::db::models::SchoolRow;
use crate::db::schema::{hubs, organisations, schools};
use crate::db::{DbConn, keyset_page};
use crate::error::ApiError;
use crate::paging::PageRequest;

/// One page of the schools in `scope`, filtered in SQL.
pub fn list(conn: &mut DbConn, scope: &SchoolScope, page: &PageRequest) -> Result<Vec<SchoolRow>, ApiError> {
    let mut q = schools::table.into_boxed();
    if let SchoolScope::Only { school_ids, trust_id } = scope {
        let ids: Vec<String> = school_ids.iter().map(ToString::to_string).collect();
        q = match trust_id {
            Some(trust) => q.filter(schools::id.eq_any(ids).or(schools::trust_id.eq(trust.to_string()))),
            None if ids.is_empty() => return Ok(vec![]),
            None => q.filter(schools::id.eq_any(ids)),
        };
    }
    Ok(keyset_page!(q, schools, page).select(SchoolRow::as_select()).load(conn)?)
}

pub(in crate::db) fn find(conn: &mut DbConn, id: Uuid) -> Result<Option<SchoolRow>, ApiError> {
    Ok(schools::table.find(id.to_string()).select(SchoolRow::as_select()).first(conn).optional()?)
}

pub fn exists(conn: &mut DbConn, id: Uuid) -> Result<bool, ApiError> {
    let n: i64 = schools::table.filter(schools::id.eq(id.to_string())).count().get_result(conn)?;
    Ok(n > 0)
}

pub fn urn_taken(conn: &mut DbConn, urn: &str) -> Result<bool, ApiError> {
    let n: i64 = schools::table.filter(schools::urn.eq(urn)).count().get_result(conn)?;
    Ok(n > 0)
}

/// Adds a school in the trust the caller may add one to.
pub fn insert(
    conn: &mut DbConn,
    trust: &Allowed<Option<OrganisationId>, CreateSchool>,
    row: &SchoolRow,
) -> Result<(), ApiError> {
    if row.trust_id != trust.map(|t| t.to_string()) {
        return Err(ApiError::internal("a school of another trust"));
    }
    insert_unchecked(conn, row)
}

/// For the seed.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &SchoolRow) -> Result<(), ApiError> {
    diesel::insert_into(schools::table).values(row).execute(conn)?;
    Ok(())
}

/// For the seed: where a school is.
pub(crate) fn set_coordinates_unchecked(
    conn: &mut DbConn,
    id: &str,
    latitude: f64,
    longitude: f64,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(schools::table.find(id))
        .set((schools::latitude.eq(latitude), schools::longitude.eq(longitude), schools::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// The organisation a hub belongs to, with its kind; `None` when there is no such hub.
pub fn hub_owner(conn: &mut DbConn, hub: Uuid) -> Result<Option<(String, OrganisationKind)>, ApiError> {
    let owner: Option<(String, String)> = hubs::table
        .inner_join(organisations::table)
        .filter(hubs::id.eq(hub.to_string()))
        .select((organisations::id, organisations::kind))
        .first(conn)
        .optional()?;
    owner.map(|(id, kind)| Ok((id, kind.parse().map_err(ApiError::internal)?))).transpose()
}
