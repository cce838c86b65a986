//! Coaching: an enrolment's named coach, and the sessions they log.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::Role;
use trellis_domain::ids::PersonId;
use trellis_wire::CreateCoachingSession;
use uuid::Uuid;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, LoadedEnrolment, enrolment};
use crate::db::schema::{coaching_sessions, cohorts, enrolments, people};
use crate::error::ApiError;

/// A logged coaching session.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = coaching_sessions)]
pub struct CoachingRow {
    pub id: String,
    pub enrolment_id: String,
    pub coach_person_id: String,
    pub held_on: NaiveDate,
    pub minutes: i32,
    pub mode: String,
    pub focus: String,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The enrolment's coaching log, oldest first.
pub fn of_enrolment(
    conn: &mut DbConn,
    enrolment: &Allowed<LoadedEnrolment, enrolment::Read>,
) -> Result<Vec<CoachingRow>, ApiError> {
    Ok(coaching_sessions::table
        .filter(coaching_sessions::enrolment_id.eq(&enrolment.row.id))
        .order((coaching_sessions::held_on.asc(), coaching_sessions::id.asc()))
        .select(CoachingRow::as_select())
        .load(conn)?)
}

/// Logs a session held by the enrolment's coach (who is the caller).
pub fn insert(
    conn: &mut DbConn,
    id: &str,
    enrolment: &Allowed<LoadedEnrolment, enrolment::LogCoaching>,
    coach: PersonId,
    body: &CreateCoachingSession,
    now: NaiveDateTime,
) -> Result<CoachingRow, ApiError> {
    insert_unchecked(conn, id, enrolment.id.uuid(), coach, body, now)
}

/// For the seed, which builds the demo as the platform would.
pub(crate) fn insert_unchecked(
    conn: &mut DbConn,
    id: &str,
    enrolment: Uuid,
    coach: PersonId,
    body: &CreateCoachingSession,
    now: NaiveDateTime,
) -> Result<CoachingRow, ApiError> {
    diesel::insert_into(coaching_sessions::table)
        .values((
            coaching_sessions::id.eq(id),
            coaching_sessions::enrolment_id.eq(enrolment.to_string()),
            coaching_sessions::coach_person_id.eq(coach.to_string()),
            coaching_sessions::held_on.eq(body.held_on),
            coaching_sessions::minutes.eq(body.minutes as i32),
            coaching_sessions::mode.eq(body.mode.as_str()),
            coaching_sessions::focus.eq(body.focus.trim()),
            coaching_sessions::notes.eq(body.notes.as_deref().map(str::trim).filter(|n| !n.is_empty())),
            coaching_sessions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(coaching_sessions::table.find(id).select(CoachingRow::as_select()).first(conn)?)
}

/// The enrolment's status and its cohort's start date.
pub fn status_and_start(
    conn: &mut DbConn,
    enrolment: &Allowed<LoadedEnrolment, enrolment::LogCoaching>,
) -> Result<(String, NaiveDate), ApiError> {
    Ok(enrolments::table
        .inner_join(cohorts::table)
        .filter(enrolments::id.eq(&enrolment.row.id))
        .select((enrolments::status, cohorts::start_date))
        .first(conn)?)
}

/// Whether the person signs in as a coach (in any of their roles).
pub fn is_coach(conn: &mut DbConn, person: Uuid) -> Result<bool, ApiError> {
    crate::db::roles::person_holds(conn, &person.to_string(), Role::Coach)
}

/// Whether another enrolment from the school in this cohort has a coach. On PostgreSQL the cohort
/// row is locked first, so two simultaneous assignments from one school cannot both pass (SQLite's
/// write transactions are serial already).
pub fn school_has_coached_enrolment(
    conn: &mut DbConn,
    enrolment: &Allowed<LoadedEnrolment, enrolment::AssignCoach>,
) -> Result<bool, ApiError> {
    let (cohort, school, except) = (&enrolment.row.cohort_id, enrolment.facts.school.id.to_string(), &enrolment.row.id);
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query("SELECT id FROM cohorts WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(cohort)
            .execute(pg)?;
    }
    let others: i64 = enrolments::table
        .inner_join(people::table)
        .filter(enrolments::cohort_id.eq(cohort))
        .filter(people::school_id.eq(school))
        .filter(enrolments::id.ne(except))
        .filter(enrolments::coach_person_id.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(others > 0)
}

/// Names the enrolment's coach with their supporting statement.
pub fn assign(
    conn: &mut DbConn,
    enrolment: &Allowed<LoadedEnrolment, enrolment::AssignCoach>,
    coach: Uuid,
    statement: Option<String>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(enrolments::table.find(&enrolment.row.id))
        .set((
            enrolments::coach_person_id.eq(coach.to_string()),
            enrolments::coach_statement.eq(statement),
            enrolments::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The people who sign in as coaches for the cohort's provider: (person id, name), by name.
pub fn coaches_for(
    conn: &mut DbConn,
    cohort: &Allowed<crate::db::allowed::LoadedCohort, crate::db::allowed::cohort::Read>,
) -> Result<Vec<(String, String)>, ApiError> {
    use crate::db::schema::{user_roles, users};
    let provider = cohort.facts.provider_id.to_string();
    let rows: Vec<(Option<String>, String)> = user_roles::table
        .inner_join(users::table)
        .filter(user_roles::role.eq(Role::Coach.as_str()))
        .filter(user_roles::organisation_id.eq(&provider))
        .filter(user_roles::revoked_at.is_null())
        .filter(users::deactivated_at.is_null())
        .filter(users::person_id.is_not_null())
        .select((users::person_id, users::display_name))
        .order(users::display_name)
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(p, n)| p.map(|p| (p, n))).collect())
}
