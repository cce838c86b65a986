//! Organisation lookups shared by several features.

use diesel::prelude::*;
use trellis_domain::OrganisationKind;
use uuid::Uuid;

use crate::db::schema::organisations;
use crate::error::ApiError;

/// Checks that `id` names an organisation of `kind`; `field` names the request field for errors.
pub fn require_org_kind(
    conn: &mut crate::db::DbConn,
    id: Uuid,
    kind: OrganisationKind,
    field: &str,
) -> Result<(), ApiError> {
    let found: Option<String> =
        organisations::table.find(id.to_string()).select(organisations::kind).first(conn).optional()?;
    match found {
        Some(k) if k == kind.as_str() => Ok(()),
        Some(_) => Err(ApiError::field("wrong_organisation_kind", field, format!("this organisation is not a {kind}"))),
        None => Err(ApiError::field("unknown_organisation", field, "no such organisation")),
    }
}
