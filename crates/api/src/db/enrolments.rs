//! Enrolments: the row with its person and school, loaded whole or only for a caller who may act on it.

use diesel::prelude::*;
use trellis_domain::authz::{Action, CohortFacts, EnrolmentFacts, Resource, SchoolFacts};
use trellis_wire::Enrolment;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::facts::{opt_uuid, require, uuid};
use crate::db::models::EnrolmentRow;
use crate::db::schema::{cohorts, enrolments, people, programmes, schools};
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;

/// (given name, family name, school id, school name, school trust id)
pub type PersonCols = (String, String, String, String, Option<String>);

pub fn person_cols() -> (people::given_name, people::family_name, schools::id, schools::name, schools::trust_id) {
    (people::given_name, people::family_name, schools::id, schools::name, schools::trust_id)
}

pub fn to_wire(row: &EnrolmentRow, p: &PersonCols) -> Result<Enrolment, ApiError> {
    row.to_wire(&(p.0.clone(), p.1.clone(), p.2.clone(), p.3.clone()))
}

/// The enrolment, if the caller may do `action` to it: the row and the facts that decide access
/// come in one query, the cohort's facilitators in a second. Refusals are those of `facts::require`.
pub fn load_allowed(conn: &mut DbConn, caller: &Caller, action: Action, id: Uuid) -> Result<Enrolment, ApiError> {
    let found: Option<(EnrolmentRow, PersonCols, String)> = on_backend!(conn, |c| enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .inner_join(cohorts::table.inner_join(programmes::table))
        .filter(enrolments::id.eq(id.to_string()))
        .select((EnrolmentRow::as_select(), person_cols(), programmes::provider_id))
        .first(c)
        .optional())?;
    let (row, p, provider) = found.ok_or_else(|| ApiError::not_found("enrolment"))?;
    let facts = EnrolmentFacts {
        person_id: uuid(&row.person_id)?,
        school: SchoolFacts { id: uuid(&p.2)?, trust_id: opt_uuid(p.4.as_deref())? },
        cohort: CohortFacts {
            provider_id: uuid(&provider)?,
            facilitator_ids: crate::db::facts::facilitator_ids(conn, &row.cohort_id)?,
        },
        coach_person_id: opt_uuid(row.coach_person_id.as_deref())?,
    };
    require(caller, action, &Resource::Enrolment(facts), "enrolment")?;
    to_wire(&row, &p)
}

pub fn load_one(conn: &mut DbConn, id: Uuid) -> Result<Enrolment, ApiError> {
    let (row, p): (EnrolmentRow, PersonCols) = enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::id.eq(id.to_string()))
        .select((EnrolmentRow::as_select(), person_cols()))
        .first(conn)?;
    to_wire(&row, &p)
}

/// The person's own enrolments with their cohorts' names, newest first: one query, scoped in SQL.
pub fn of_person(conn: &mut DbConn, person: Uuid) -> Result<Vec<(Enrolment, String)>, ApiError> {
    let rows: Vec<(EnrolmentRow, PersonCols, String)> = on_backend!(conn, |c| enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .inner_join(cohorts::table)
        .filter(enrolments::person_id.eq(person.to_string()))
        .order(enrolments::id.desc())
        .select((EnrolmentRow::as_select(), person_cols(), cohorts::name))
        .load(c))?;
    rows.iter().map(|(row, p, cohort)| Ok((to_wire(row, p)?, cohort.clone()))).collect()
}

/// The enrolment's status, and on PostgreSQL the enrolment row stays locked until the transaction
/// ends, so that saves of one draft queue (each deletes and inserts the draft row; interleaved,
/// two would collide on its key) and a lifecycle move waits for a save in progress. SQLite's
/// write transactions are serial already.
pub fn status_for_update(conn: &mut DbConn, id: Uuid) -> Result<trellis_domain::EnrolmentStatus, ApiError> {
    let q = enrolments::table.find(id.to_string()).select(enrolments::status);
    let status: String = match conn {
        DbConn::Pg(pg) => q.for_no_key_update().first(pg)?,
        other => q.first(other)?,
    };
    status.parse().map_err(ApiError::internal)
}
