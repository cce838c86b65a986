//! Loads the facts that [`trellis_domain::authorize`] decides on, and applies its verdict.
//!
//! A caller who may not even read an object gets 404, so ids of other schools' data cannot be
//! probed; a caller who may read it but not do this to it gets 403.

use diesel::prelude::*;
use trellis_domain::authz::{Action, CohortFacts, Resource, SchoolFacts, authorize};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::DbConn;
use crate::db::schema::{cohort_facilitators, cohorts, people, programmes, schools};
use crate::error::ApiError;

pub(in crate::db) fn require(caller: &Caller, action: Action, resource: &Resource, what: &str) -> Result<(), ApiError> {
    if authorize(&caller.principal, action, resource).is_ok() {
        return Ok(());
    }
    if action != Action::Read && authorize(&caller.principal, Action::Read, resource).is_ok() {
        return Err(ApiError::forbidden());
    }
    Err(ApiError::not_found(what))
}

/// A stored id, as a `Uuid` or as the typed id the context wants (`PersonId`, `SchoolId`, …).
pub fn uuid<T: From<Uuid>>(s: &str) -> Result<T, ApiError> {
    Uuid::parse_str(s).map(T::from).map_err(|_| ApiError::internal(format!("stored id is not a UUID: {s:?}")))
}

pub fn opt_uuid<T: From<Uuid>>(s: Option<&str>) -> Result<Option<T>, ApiError> {
    s.map(uuid).transpose()
}

pub(in crate::db) fn school(conn: &mut DbConn, id: Uuid) -> Result<Option<SchoolFacts>, ApiError> {
    let row: Option<Option<String>> =
        schools::table.find(id.to_string()).select(schools::trust_id).first(conn).optional()?;
    row.map(|trust| Ok(SchoolFacts { id: id.into(), trust_id: opt_uuid(trust.as_deref())? })).transpose()
}

/// The school with this URN, with its facts.
pub(in crate::db) fn school_by_urn(conn: &mut DbConn, urn: &str) -> Result<Option<SchoolFacts>, ApiError> {
    let row: Option<(String, Option<String>)> =
        schools::table.filter(schools::urn.eq(urn)).select((schools::id, schools::trust_id)).first(conn).optional()?;
    row.map(|(s, t)| Ok(SchoolFacts { id: uuid(&s)?, trust_id: opt_uuid(t.as_deref())? })).transpose()
}

/// Every school in `scope`, with its facts.
pub(in crate::db) fn schools_in(
    conn: &mut DbConn,
    scope: &trellis_domain::scope::SchoolScope,
) -> Result<Vec<SchoolFacts>, ApiError> {
    use trellis_domain::scope::SchoolScope;
    let mut q = schools::table.select((schools::id, schools::trust_id)).order(schools::id).into_boxed();
    if let SchoolScope::Only { school_ids, trust_id } = scope {
        let ids: Vec<String> = school_ids.iter().map(ToString::to_string).collect();
        q = match trust_id {
            Some(trust) => q.filter(schools::id.eq_any(ids).or(schools::trust_id.eq(trust.to_string()))),
            None if ids.is_empty() => return Ok(vec![]),
            None => q.filter(schools::id.eq_any(ids)),
        };
    }
    let rows: Vec<(String, Option<String>)> = q.load(conn)?;
    rows.into_iter().map(|(s, t)| Ok(SchoolFacts { id: uuid(&s)?, trust_id: opt_uuid(t.as_deref())? })).collect()
}

/// The person's school, or `None` when there is no such person.
pub(in crate::db) fn person(conn: &mut DbConn, id: Uuid) -> Result<Option<SchoolFacts>, ApiError> {
    let row: Option<(String, Option<String>)> = people::table
        .inner_join(schools::table)
        .filter(people::id.eq(id.to_string()))
        .select((schools::id, schools::trust_id))
        .first(conn)
        .optional()?;
    row.map(|(s, t)| Ok(SchoolFacts { id: uuid(&s)?, trust_id: opt_uuid(t.as_deref())? })).transpose()
}

/// The facts that decide access to a cohort, in one query (its facilitators as joined rows).
pub(in crate::db) fn cohort(conn: &mut DbConn, id: Uuid) -> Result<Option<CohortFacts>, ApiError> {
    let rows: Vec<(String, Option<String>)> = crate::db::on_backend!(conn, |c| cohorts::table
        .inner_join(programmes::table)
        .left_join(cohort_facilitators::table)
        .filter(cohorts::id.eq(id.to_string()))
        .select((programmes::provider_id, cohort_facilitators::person_id.nullable()))
        .load(c))?;
    let Some(provider) = rows.first().map(|r| r.0.clone()) else { return Ok(None) };
    let facilitator_ids = rows.iter().filter_map(|r| r.1.as_deref()).map(uuid).collect::<Result<_, _>>()?;
    Ok(Some(CohortFacts { provider_id: uuid(&provider)?, facilitator_ids }))
}

/// As [`cohort`], with no such cohort a 404.
pub(in crate::db) fn cohort_or_404(conn: &mut DbConn, id: Uuid) -> Result<CohortFacts, ApiError> {
    cohort(conn, id)?.ok_or_else(|| ApiError::not_found("cohort"))
}
