//! Programmes: definitions run by a provider.

use diesel::prelude::*;
use trellis_domain::ids::OrganisationId;
use uuid::Uuid;

use crate::db::allowed::{Allowed, Catalogue, directory, programme};
use crate::db::models::ProgrammeRow;
use crate::db::schema::programmes;
use crate::db::{DbConn, keyset_page};
use crate::error::ApiError;
use crate::paging::PageRequest;

pub fn list(
    conn: &mut DbConn,
    _catalogue: &Allowed<Catalogue, directory::Read>,
    page: &PageRequest,
) -> Result<Vec<ProgrammeRow>, ApiError> {
    Ok(keyset_page!(programmes::table.into_boxed(), programmes, page).select(ProgrammeRow::as_select()).load(conn)?)
}

pub(in crate::db) fn find(conn: &mut DbConn, id: Uuid) -> Result<Option<ProgrammeRow>, ApiError> {
    Ok(programmes::table.find(id.to_string()).select(ProgrammeRow::as_select()).first(conn).optional()?)
}

/// Adds a programme for the provider the caller may create one for.
pub fn insert(
    conn: &mut DbConn,
    provider: &Allowed<OrganisationId, programme::Create>,
    row: &ProgrammeRow,
) -> Result<(), ApiError> {
    if row.provider_id != provider.to_string() {
        return Err(ApiError::internal("a programme of another provider"));
    }
    insert_unchecked(conn, row)
}

/// For the seed.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &ProgrammeRow) -> Result<(), ApiError> {
    diesel::insert_into(programmes::table).values(row).execute(conn)?;
    Ok(())
}
