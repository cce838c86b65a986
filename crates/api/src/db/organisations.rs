//! Organisations: the directory of providers, trusts and local authorities, and their settings.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::OrganisationKind;
use trellis_domain::ids::OrganisationId;
use uuid::Uuid;

use crate::db::allowed::{Allowed, Directory, UpdateSettings, directory};
use crate::db::models::OrganisationRow;
use crate::db::schema::organisations;
use crate::db::{DbConn, keyset_page};
use crate::error::ApiError;
use crate::paging::PageRequest;

/// Checks that `id` names an organisation of `kind`; `field` names the request field for errors.
pub fn require_org_kind(conn: &mut DbConn, id: Uuid, kind: OrganisationKind, field: &str) -> Result<(), ApiError> {
    let found: Option<String> =
        organisations::table.find(id.to_string()).select(organisations::kind).first(conn).optional()?;
    match found {
        Some(k) if k == kind.as_str() => Ok(()),
        Some(_) => Err(ApiError::field("wrong_organisation_kind", field, format!("this organisation is not a {kind}"))),
        None => Err(ApiError::field("unknown_organisation", field, "no such organisation")),
    }
}

pub fn list(
    conn: &mut DbConn,
    _directory: &Allowed<Directory, directory::Read>,
    page: &PageRequest,
) -> Result<Vec<OrganisationRow>, ApiError> {
    Ok(keyset_page!(organisations::table.into_boxed(), organisations, page)
        .select(OrganisationRow::as_select())
        .load(conn)?)
}

/// An organisation (the directory is readable by every signed-in caller: check that first).
pub fn find(conn: &mut DbConn, id: Uuid) -> Result<Option<OrganisationRow>, ApiError> {
    Ok(organisations::table.find(id.to_string()).select(OrganisationRow::as_select()).first(conn).optional()?)
}

pub fn insert(
    conn: &mut DbConn,
    _directory: &Allowed<Directory, directory::Create>,
    row: &OrganisationRow,
) -> Result<(), ApiError> {
    insert_unchecked(conn, row)
}

/// For the seed, which builds the demo as the platform would.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &OrganisationRow) -> Result<(), ApiError> {
    diesel::insert_into(organisations::table).values(row).execute(conn)?;
    Ok(())
}

/// Stores the organisation's term calendar (JSON) and bumps its `updated_at`.
pub fn set_term_calendar(
    conn: &mut DbConn,
    organisation: &Allowed<OrganisationId, UpdateSettings>,
    json: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    set_term_calendar_unchecked(conn, organisation.uuid(), json, now)
}

/// For the seed.
pub(crate) fn set_term_calendar_unchecked(
    conn: &mut DbConn,
    id: Uuid,
    json: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(organisations::table.find(id.to_string()))
        .set((organisations::term_calendar.eq(json), organisations::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Term calendars of the given trusts, in one query; a trust without one uses the defaults.
pub fn term_calendars(
    conn: &mut DbConn,
    trust_ids: &[String],
) -> Result<std::collections::HashMap<String, trellis_domain::rules::TermCalendar>, ApiError> {
    let rows: Vec<(String, Option<String>)> = organisations::table
        .filter(organisations::id.eq_any(trust_ids))
        .select((organisations::id, organisations::term_calendar))
        .load(conn)?;
    let mut out = std::collections::HashMap::new();
    for (id, cal) in rows {
        if let Some(cal) = cal {
            out.insert(id, serde_json::from_str(&cal).map_err(ApiError::internal)?);
        }
    }
    Ok(out)
}

/// Whether any organisation exists (a fresh database has none).
pub fn any(conn: &mut DbConn) -> Result<bool, ApiError> {
    let n: i64 = organisations::table.count().get_result(conn)?;
    Ok(n > 0)
}

/// The organisation's kind (`trust`, `provider`, …), or `None` when there is no such organisation.
pub fn kind(conn: &mut DbConn, id: Uuid) -> Result<Option<String>, ApiError> {
    Ok(organisations::table.find(id.to_string()).select(organisations::kind).first(conn).optional()?)
}
