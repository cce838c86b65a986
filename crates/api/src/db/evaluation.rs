//! A cohort's evaluation: its interviews, the evaluator's narrative, and the rows its statistics
//! are counted from. Access is the cohort's (`allowed::cohort::<cohort::Run>`), decided before
//! these are called.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    attendance, cohorts, enrolments, evaluation_interviews, evaluation_reports, organisations, people, programmes,
    schools, sessions,
};
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluation_interviews)]
pub struct InterviewRow {
    pub id: String,
    pub cohort_id: String,
    pub stage: String,
    pub role: String,
    pub school_id: String,
    pub interviewee: String,
    pub held_on: NaiveDate,
    pub expected: String,
    pub impact: String,
    pub challenges: String,
    pub notes: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluation_reports)]
pub struct NarrativeRow {
    pub cohort_id: String,
    pub background: String,
    pub challenges: String,
    pub conclusion: String,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

/// The cohort's name and dates, its programme's name and its provider's.
pub struct Heading {
    pub cohort_name: String,
    pub programme_name: String,
    pub provider_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

pub fn heading(conn: &mut DbConn, cohort: &str) -> Result<Heading, ApiError> {
    let (cohort_name, programme_name, provider_name, starts_on, ends_on) = cohorts::table
        .inner_join(programmes::table.inner_join(organisations::table))
        .filter(cohorts::id.eq(cohort))
        .select((cohorts::name, programmes::name, organisations::name, cohorts::start_date, cohorts::end_date))
        .first::<(String, String, String, NaiveDate, NaiveDate)>(conn)?;
    Ok(Heading { cohort_name, programme_name, provider_name, starts_on, ends_on })
}

/// The cohort's interviews with their school's name, oldest first.
pub fn interviews(conn: &mut DbConn, cohort: &str) -> Result<Vec<(InterviewRow, String)>, ApiError> {
    Ok(evaluation_interviews::table
        .inner_join(schools::table)
        .filter(evaluation_interviews::cohort_id.eq(cohort))
        .order((evaluation_interviews::held_on.asc(), evaluation_interviews::created_at.asc()))
        .select((InterviewRow::as_select(), schools::name))
        .load(conn)?)
}

pub fn insert_interview(conn: &mut DbConn, row: &InterviewRow) -> Result<(), ApiError> {
    diesel::insert_into(evaluation_interviews::table).values(row).execute(conn)?;
    Ok(())
}

pub fn narrative(conn: &mut DbConn, cohort: &str) -> Result<Option<NarrativeRow>, ApiError> {
    Ok(evaluation_reports::table.find(cohort).select(NarrativeRow::as_select()).first(conn).optional()?)
}

pub fn save_narrative(conn: &mut DbConn, row: &NarrativeRow) -> Result<(), ApiError> {
    diesel::delete(evaluation_reports::table.find(&row.cohort_id)).execute(conn)?;
    diesel::insert_into(evaluation_reports::table).values(row).execute(conn)?;
    Ok(())
}

/// One enrolment as the statistics count it.
pub struct Enrolled {
    pub status: String,
    pub withdrawal_reason: Option<String>,
    pub withdrawal_details: Option<String>,
    pub staff_role: String,
    pub school_id: String,
    pub school_name: String,
}

pub fn enrolled(conn: &mut DbConn, cohort: &str) -> Result<Vec<Enrolled>, ApiError> {
    type Cols = (String, Option<String>, Option<String>, String, String, String);
    let rows: Vec<Cols> = enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::cohort_id.eq(cohort))
        .select((
            enrolments::status,
            enrolments::withdrawal_reason,
            enrolments::withdrawal_details,
            people::staff_role,
            schools::id,
            schools::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(status, withdrawal_reason, withdrawal_details, staff_role, school_id, school_name)| Enrolled {
            status,
            withdrawal_reason,
            withdrawal_details,
            staff_role,
            school_id,
            school_name,
        })
        .collect())
}

/// The cohort's sessions held by `now` (begun, not cancelled) as (id, kind), and their marks as
/// (session id, status).
#[allow(clippy::type_complexity)]
pub fn held_sessions(
    conn: &mut DbConn,
    cohort: &str,
    now: NaiveDateTime,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), ApiError> {
    let held: Vec<(String, String)> = sessions::table
        .filter(sessions::cohort_id.eq(cohort))
        .filter(sessions::cancelled_at.is_null())
        .filter(sessions::starts_at.le(now))
        .select((sessions::id, sessions::kind))
        .load(conn)?;
    let ids: Vec<&str> = held.iter().map(|(id, _)| id.as_str()).collect();
    let marks: Vec<(String, String)> = attendance::table
        .filter(attendance::session_id.eq_any(ids))
        .select((attendance::session_id, attendance::status))
        .load(conn)?;
    Ok((held, marks))
}
