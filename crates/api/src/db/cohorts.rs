//! Cohorts: the runs of programmes, with their facilitators.

use chrono::NaiveDate;
use diesel::prelude::*;
use std::collections::HashMap;
use trellis_domain::ids::PersonId;
use trellis_domain::rules::Definition;
use uuid::Uuid;

use crate::db::allowed::{Allowed, Catalogue, CreateCohort, LoadedCohort, NewCohort, cohort, directory};
use crate::db::facts::uuid;
use crate::db::models::{CohortRow, ProgrammeRow};
use crate::db::schema::{cohort_facilitators, cohorts, programmes};
use crate::db::{DbConn, keyset_page, on_backend};
use crate::error::ApiError;
use crate::paging::PageRequest;

pub fn list(
    conn: &mut DbConn,
    _catalogue: &Allowed<Catalogue, directory::Read>,
    page: &PageRequest,
) -> Result<Vec<CohortRow>, ApiError> {
    Ok(keyset_page!(cohorts::table.into_boxed(), cohorts, page).select(CohortRow::as_select()).load(conn)?)
}

pub fn find(conn: &mut DbConn, cohort: &Allowed<LoadedCohort, cohort::Read>) -> Result<Option<CohortRow>, ApiError> {
    Ok(cohorts::table.find(cohort.id.to_string()).select(CohortRow::as_select()).first(conn).optional()?)
}

/// Facilitator ids for many cohorts in one query, each list sorted.
pub fn facilitators_of(conn: &mut DbConn, ids: &[String]) -> Result<HashMap<String, Vec<PersonId>>, ApiError> {
    let pairs: Vec<(String, String)> = cohort_facilitators::table
        .filter(cohort_facilitators::cohort_id.eq_any(ids))
        .select((cohort_facilitators::cohort_id, cohort_facilitators::person_id))
        .order((cohort_facilitators::cohort_id, cohort_facilitators::person_id))
        .load(conn)?;
    let mut map: HashMap<String, Vec<PersonId>> = HashMap::new();
    for (cohort, person) in pairs {
        map.entry(cohort).or_default().push(uuid(&person)?);
    }
    Ok(map)
}

/// Inserts the cohort and its facilitators (person ids, distinct).
pub fn insert(
    conn: &mut DbConn,
    cohort: &Allowed<NewCohort, CreateCohort>,
    row: &CohortRow,
    facilitators: &[String],
) -> Result<(), ApiError> {
    if row.programme_id != cohort.programme_id.to_string() {
        return Err(ApiError::internal("a cohort of another programme"));
    }
    insert_unchecked(conn, row, facilitators)
}

/// For the seed.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &CohortRow, facilitators: &[String]) -> Result<(), ApiError> {
    diesel::insert_into(cohorts::table).values(row).execute(conn)?;
    let links: Vec<_> = facilitators
        .iter()
        .map(|p| (cohort_facilitators::cohort_id.eq(&row.id), cohort_facilitators::person_id.eq(p)))
        .collect();
    if !links.is_empty() {
        // One multi-row INSERT, which diesel writes only for a concrete backend.
        on_backend!(conn, |c| diesel::insert_into(cohort_facilitators::table).values(&links).execute(c))?;
    }
    Ok(())
}

/// The cohort's programme and induction date.
pub fn programme_of(
    conn: &mut DbConn,
    cohort: &Allowed<LoadedCohort, cohort::Read>,
) -> Result<(ProgrammeRow, NaiveDate), ApiError> {
    Ok(cohorts::table
        .inner_join(programmes::table)
        .filter(cohorts::id.eq(cohort.id.to_string()))
        .select((ProgrammeRow::as_select(), cohorts::induction_date))
        .first(conn)?)
}

/// The provider that runs a programme, if there is such a programme.
pub(in crate::db) fn provider_of_programme(conn: &mut DbConn, programme: Uuid) -> Result<Option<String>, ApiError> {
    Ok(programmes::table.find(programme.to_string()).select(programmes::provider_id).first(conn).optional()?)
}

/// The definition of the programme the cohort runs.
pub fn definition(conn: &mut DbConn, cohort: &str) -> Result<Definition, ApiError> {
    let definition: String = cohorts::table
        .inner_join(programmes::table)
        .filter(cohorts::id.eq(cohort))
        .select(programmes::definition)
        .first(conn)?;
    serde_json::from_str(&definition).map_err(ApiError::internal)
}

/// The cohort's name.
pub fn name_of(conn: &mut DbConn, cohort: &str) -> Result<String, ApiError> {
    Ok(cohorts::table.find(cohort).select(cohorts::name).first(conn)?)
}
