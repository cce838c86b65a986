//! Learning groups (action learning sets, cluster groups) and their members.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::EnrolmentStatus;
use trellis_domain::scope::EnrolmentScope;
use trellis_wire::CreateLearningGroup;
use uuid::Uuid;

use crate::db::allowed::{Allowed, LoadedCohort, cohort};
use crate::db::enrolments::within_scope;
use crate::db::schema::{enrolments, learning_group_members, learning_groups, people, schools};
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;

#[derive(Debug, Queryable)]
pub struct GroupRow {
    pub id: String,
    pub cohort_id: String,
    pub name: String,
    pub kind: String,
    pub facilitator_person_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The cohort's groups by name.
pub fn of_cohort(conn: &mut DbConn, cohort: &Allowed<LoadedCohort, cohort::Read>) -> Result<Vec<GroupRow>, ApiError> {
    Ok(learning_groups::table
        .filter(learning_groups::cohort_id.eq(cohort.id.to_string()))
        .order(learning_groups::name.asc())
        .select((
            learning_groups::id,
            learning_groups::cohort_id,
            learning_groups::name,
            learning_groups::kind,
            learning_groups::facilitator_person_id,
            learning_groups::created_at,
            learning_groups::updated_at,
        ))
        .load(conn)?)
}

/// (group id, enrolment id) of the members of these groups whose enrolments are in `scope`.
pub fn members_within(
    conn: &mut DbConn,
    groups: &[String],
    scope: &EnrolmentScope,
) -> Result<Vec<(String, String)>, ApiError> {
    let q = learning_group_members::table
        .inner_join(enrolments::table.inner_join(people::table.inner_join(schools::table)))
        .filter(learning_group_members::group_id.eq_any(groups))
        .into_boxed();
    Ok(within_scope!(q, scope).select((learning_group_members::group_id, enrolments::id)).load(conn)?)
}

/// The cohort's enrolments that may join a group: all but the withdrawn.
pub fn joinable(conn: &mut DbConn, cohort: &Allowed<LoadedCohort, cohort::Run>) -> Result<Vec<String>, ApiError> {
    Ok(enrolments::table
        .filter(enrolments::cohort_id.eq(cohort.id.to_string()))
        .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.as_str()))
        .select(enrolments::id)
        .load(conn)?)
}

/// Inserts the group with its members (distinct enrolment ids).
/// Forms a group in a cohort the caller runs.
pub fn insert(
    conn: &mut DbConn,
    id: &str,
    cohort: &Allowed<LoadedCohort, cohort::Run>,
    body: &CreateLearningGroup,
    members: &[Uuid],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    insert_unchecked(conn, id, cohort.id.uuid(), body, members, now)
}

/// For the seed, which builds the demo as the platform would.
pub(crate) fn insert_unchecked(
    conn: &mut DbConn,
    id: &str,
    cohort: Uuid,
    body: &CreateLearningGroup,
    members: &[Uuid],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(learning_groups::table)
        .values((
            learning_groups::id.eq(id),
            learning_groups::cohort_id.eq(cohort.to_string()),
            learning_groups::name.eq(body.name.trim()),
            learning_groups::kind.eq(body.kind.as_str()),
            learning_groups::facilitator_person_id.eq(body.facilitator_person_id.map(|p| p.to_string())),
            learning_groups::created_at.eq(now),
            learning_groups::updated_at.eq(now),
        ))
        .execute(conn)?;
    let rows: Vec<_> = members
        .iter()
        .map(|m| (learning_group_members::group_id.eq(id), learning_group_members::enrolment_id.eq(m.to_string())))
        .collect();
    if !rows.is_empty() {
        on_backend!(conn, |c| diesel::insert_into(learning_group_members::table).values(&rows).execute(c))?;
    }
    Ok(())
}
