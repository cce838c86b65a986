//! Loads the facts that [`trellis_domain::authorize`] decides on, and applies its verdict.
//!
//! A caller who may not even read an object gets 404, so ids of other schools' data cannot be
//! probed; a caller who may read it but not do this to it gets 403.

use diesel::prelude::*;
use trellis_domain::authz::{Action, CohortFacts, EnrolmentFacts, Resource, SchoolFacts, authorize};
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::DbConn;
use crate::db::schema::{cohort_facilitators, cohorts, enrolments, people, programmes, schools};
use crate::error::ApiError;

pub fn require(caller: &Caller, action: Action, resource: &Resource, what: &str) -> Result<(), ApiError> {
    if authorize(&caller.principal, action, resource).is_ok() {
        return Ok(());
    }
    if action != Action::Read && authorize(&caller.principal, Action::Read, resource).is_ok() {
        return Err(ApiError::forbidden());
    }
    Err(ApiError::not_found(what))
}

pub fn uuid(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s).map_err(|_| ApiError::internal(format!("stored id is not a UUID: {s:?}")))
}

pub fn opt_uuid(s: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    s.map(uuid).transpose()
}

pub fn school(conn: &mut DbConn, id: Uuid) -> Result<Option<SchoolFacts>, ApiError> {
    let row: Option<Option<String>> =
        schools::table.find(id.to_string()).select(schools::trust_id).first(conn).optional()?;
    row.map(|trust| Ok(SchoolFacts { id, trust_id: opt_uuid(trust.as_deref())? })).transpose()
}

/// The person's school, or `None` when there is no such person.
pub fn person(conn: &mut DbConn, id: Uuid) -> Result<Option<SchoolFacts>, ApiError> {
    let row: Option<(String, Option<String>)> = people::table
        .inner_join(schools::table)
        .filter(people::id.eq(id.to_string()))
        .select((schools::id, schools::trust_id))
        .first(conn)
        .optional()?;
    row.map(|(s, t)| Ok(SchoolFacts { id: uuid(&s)?, trust_id: opt_uuid(t.as_deref())? })).transpose()
}

pub fn cohort(conn: &mut DbConn, id: Uuid) -> Result<Option<CohortFacts>, ApiError> {
    let provider: Option<String> = cohorts::table
        .inner_join(programmes::table)
        .filter(cohorts::id.eq(id.to_string()))
        .select(programmes::provider_id)
        .first(conn)
        .optional()?;
    let Some(provider) = provider else { return Ok(None) };
    Ok(Some(CohortFacts { provider_id: uuid(&provider)?, facilitator_ids: facilitator_ids(conn, &id.to_string())? }))
}

/// As [`cohort`], with no such cohort a 404.
pub fn cohort_or_404(conn: &mut DbConn, id: Uuid) -> Result<CohortFacts, ApiError> {
    cohort(conn, id)?.ok_or_else(|| ApiError::not_found("cohort"))
}

/// The people who facilitate the cohort (every cohort fact and authorising loader asks this).
pub fn facilitator_ids(conn: &mut DbConn, cohort_id: &str) -> Result<Vec<Uuid>, ApiError> {
    let ids: Vec<String> = crate::db::on_backend!(conn, |c| cohort_facilitators::table
        .filter(cohort_facilitators::cohort_id.eq(cohort_id))
        .select(cohort_facilitators::person_id)
        .load(c))?;
    ids.iter().map(|f| uuid(f)).collect()
}

pub fn enrolment(conn: &mut DbConn, id: Uuid) -> Result<Option<EnrolmentFacts>, ApiError> {
    // (cohort, person, coach, school, school's trust)
    type Keys = (String, String, Option<String>, String, Option<String>);
    let row: Option<Keys> = enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::id.eq(id.to_string()))
        .select((
            enrolments::cohort_id,
            enrolments::person_id,
            enrolments::coach_person_id,
            schools::id,
            schools::trust_id,
        ))
        .first(conn)
        .optional()?;
    let Some((cohort_id, person_id, coach, school_id, trust_id)) = row else { return Ok(None) };
    let cohort = cohort(conn, uuid(&cohort_id)?)?.ok_or_else(|| ApiError::internal("enrolment without cohort"))?;
    Ok(Some(EnrolmentFacts {
        person_id: uuid(&person_id)?,
        school: SchoolFacts { id: uuid(&school_id)?, trust_id: opt_uuid(trust_id.as_deref())? },
        cohort,
        coach_person_id: opt_uuid(coach.as_deref())?,
    }))
}
