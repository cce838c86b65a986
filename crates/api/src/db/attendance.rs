//! Registers: attendance marks per session and enrolment.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;
use trellis_domain::EnrolmentStatus;
use trellis_domain::delivery::{AttendanceStatus, HalfDays, Mark};
use trellis_domain::ids::EnrolmentId;
use trellis_domain::rules::definition::SessionKind;
use trellis_wire::AttendanceRecord;

use crate::db::allowed::{Allowed, LoadedEnrolment, LoadedSession, cohort, enrolment};
use crate::db::facts::uuid;
use crate::db::schema::{attendance, enrolments, people, sessions};
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;

/// (session, enrolment, status, half days, minutes, session title, kind, starts, cancelled, given, family)
type MarkRow = (
    String,
    String,
    String,
    Option<i32>,
    Option<i32>,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    String,
    String,
);

/// A session's register, for those who run its cohort.
pub fn of_session(
    conn: &mut DbConn,
    session: &Allowed<LoadedSession, cohort::Run>,
) -> Result<Vec<AttendanceRecord>, ApiError> {
    marks(conn, Some(&session.row.id), None)
}

/// An enrolment's marks across sessions, for those who may see the enrolment.
pub fn of_enrolment(
    conn: &mut DbConn,
    enrolment: &Allowed<LoadedEnrolment, enrolment::Read>,
) -> Result<Vec<AttendanceRecord>, ApiError> {
    marks(conn, None, Some(&enrolment.row.id))
}

/// The marks of one session or of one enrolment, in session start order then family name.
fn marks(conn: &mut DbConn, session: Option<&str>, enrolment: Option<&str>) -> Result<Vec<AttendanceRecord>, ApiError> {
    let mut q = attendance::table
        .inner_join(sessions::table)
        .inner_join(enrolments::table.inner_join(people::table))
        .select((
            attendance::session_id,
            attendance::enrolment_id,
            attendance::status,
            attendance::half_days,
            attendance::minutes,
            sessions::title,
            sessions::kind,
            sessions::starts_at,
            sessions::cancelled_at,
            people::given_name,
            people::family_name,
        ))
        .into_boxed();
    if let Some(s) = session {
        q = q.filter(attendance::session_id.eq(s.to_owned()));
    }
    if let Some(e) = enrolment {
        q = q.filter(attendance::enrolment_id.eq(e.to_owned()));
    }
    let rows: Vec<MarkRow> = q.order((sessions::starts_at.asc(), people::family_name.asc())).load(conn)?;
    rows.into_iter()
        .map(|(sid, eid, status, half, minutes, title, kind, starts, cancelled, given, family)| {
            let status: AttendanceStatus = status.parse().map_err(ApiError::internal)?;
            let kind: SessionKind = kind.parse().map_err(ApiError::internal)?;
            Ok(AttendanceRecord {
                session_id: uuid(&sid)?,
                session_title: title,
                kind,
                starts_at: starts.and_utc(),
                enrolment_id: uuid(&eid)?,
                person_name: format!("{given} {family}"),
                status,
                days: if status.attended() { HalfDays::credited(half, kind).days() } else { 0.0 },
                minutes: minutes.map(|m| m.max(0) as u32),
                counted: status.attended() && cancelled.is_none(),
            })
        })
        .collect()
}

/// The cohort's enrolments with their status, which decides who a register may mark.
pub fn members(
    conn: &mut DbConn,
    session: &Allowed<LoadedSession, cohort::Run>,
) -> Result<HashMap<EnrolmentId, EnrolmentStatus>, ApiError> {
    enrolments::table
        .filter(enrolments::cohort_id.eq(&session.row.cohort_id))
        .select((enrolments::id, enrolments::status))
        .load::<(String, String)>(conn)?
        .iter()
        .map(|(id, status)| Ok((uuid(id)?, status.parse().map_err(ApiError::internal)?)))
        .collect()
}

/// The session's register as stored.
pub fn current(conn: &mut DbConn, session: &Allowed<LoadedSession, cohort::Run>) -> Result<Vec<Mark>, ApiError> {
    attendance::table
        .filter(attendance::session_id.eq(&session.row.id))
        .select((attendance::enrolment_id, attendance::status, attendance::half_days, attendance::minutes))
        .load::<(String, String, Option<i32>, Option<i32>)>(conn)?
        .into_iter()
        .map(|(e, status, half, minutes)| {
            Ok(Mark {
                enrolment_id: uuid(&e)?,
                status: status.parse().map_err(ApiError::internal)?,
                half_days: half.map(|h| HalfDays(h.max(0) as u32)),
                minutes: minutes.map(|m| m.max(0) as u32),
            })
        })
        .collect()
}

/// Replaces the session's register with `marks` and bumps the session's `updated_at` (the
/// register's version): one DELETE and one multi-row INSERT however many marks.
pub fn replace(
    conn: &mut DbConn,
    session: &Allowed<LoadedSession, cohort::Run>,
    marks: &[Mark],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    replace_unchecked(conn, &session.row.id, marks, now)?;
    let on_register: Vec<String> = marks.iter().map(|m| m.enrolment_id.to_string()).collect();
    crate::db::webhooks::attendance_recorded(conn, &session.row.id, &session.row.cohort_id, &on_register, now)
}

/// For the seed, which builds the demo as the platform would.
pub(crate) fn replace_unchecked(
    conn: &mut DbConn,
    session: &str,
    marks: &[Mark],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::delete(attendance::table.filter(attendance::session_id.eq(session))).execute(conn)?;
    let rows: Vec<_> = marks
        .iter()
        .map(|m| {
            (
                attendance::session_id.eq(session),
                attendance::enrolment_id.eq(m.enrolment_id.to_string()),
                attendance::status.eq(m.status.as_str()),
                attendance::half_days.eq(m.half_days.map(|h| h.0 as i32)),
                attendance::minutes.eq(m.minutes.map(|m| m as i32)),
                attendance::recorded_at.eq(now),
            )
        })
        .collect();
    if !rows.is_empty() {
        on_backend!(&mut *conn, |c| diesel::insert_into(attendance::table).values(&rows).execute(c))?;
    }
    diesel::update(sessions::table.find(session)).set(sessions::updated_at.eq(now)).execute(conn)?;
    Ok(())
}
