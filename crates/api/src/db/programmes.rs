//! Programmes: definitions run by a provider.

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::models::ProgrammeRow;
use crate::db::schema::programmes;
use crate::db::{DbConn, keyset_page};
use crate::error::ApiError;
use crate::paging::PageRequest;

pub fn list(conn: &mut DbConn, page: &PageRequest) -> Result<Vec<ProgrammeRow>, ApiError> {
    Ok(keyset_page!(programmes::table.into_boxed(), programmes, page).select(ProgrammeRow::as_select()).load(conn)?)
}

pub fn find(conn: &mut DbConn, id: Uuid) -> Result<Option<ProgrammeRow>, ApiError> {
    Ok(programmes::table.find(id.to_string()).select(ProgrammeRow::as_select()).first(conn).optional()?)
}

pub fn insert(conn: &mut DbConn, row: &ProgrammeRow) -> Result<(), ApiError> {
    diesel::insert_into(programmes::table).values(row).execute(conn)?;
    Ok(())
}
