//! Hubs: groups of schools within an organisation.

use diesel::prelude::*;

use crate::db::allowed::{Allowed, Directory, directory};
use crate::db::models::HubRow;
use crate::db::schema::hubs;
use crate::db::{DbConn, keyset_page};
use crate::error::ApiError;
use crate::paging::PageRequest;

pub fn list(
    conn: &mut DbConn,
    _directory: &Allowed<Directory, directory::Read>,
    page: &PageRequest,
) -> Result<Vec<HubRow>, ApiError> {
    Ok(keyset_page!(hubs::table.into_boxed(), hubs, page).select(HubRow::as_select()).load(conn)?)
}

pub fn insert(
    conn: &mut DbConn,
    _directory: &Allowed<Directory, directory::Create>,
    row: &HubRow,
) -> Result<(), ApiError> {
    insert_unchecked(conn, row)
}

/// For the seed.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &HubRow) -> Result<(), ApiError> {
    diesel::insert_into(hubs::table).values(row).execute(conn)?;
    Ok(())
}

pub(crate) fn set_host(conn: &mut DbConn, hub: &str, school: &str) -> Result<(), ApiError> {
    diesel::update(hubs::table.find(hub)).set(hubs::host_school_id.eq(school)).execute(conn)?;
    Ok(())
}

pub fn exists(conn: &mut DbConn, id: uuid::Uuid) -> Result<bool, ApiError> {
    let n: i64 = hubs::table.filter(hubs::id.eq(id.to_string())).count().get_result(conn)?;
    Ok(n > 0)
}
