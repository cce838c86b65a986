//! Registers: a session's attendance marks, and an enrolment's record across sessions.

use actix_web::{HttpResponse, get, put, web::Json, web::Path};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;
use trellis_domain::authz::{Action, Resource};
use trellis_domain::delivery::{AttendanceStatus, default_half_days};
use trellis_domain::rules::definition::SessionKind;
use trellis_wire::{AttendanceList, AttendanceRecord, FieldError, Register};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::facts::{self, require, uuid};
use crate::db::schema::{attendance, enrolments, people, sessions};
use crate::db::sessions as sessions_db;
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;
use crate::etag::{self, IfMatch};
use crate::routes::{ReadErrors, State, WriteErrors};

fn days(half_days: Option<i32>, kind: SessionKind) -> f64 {
    half_days.map(|h| h.max(0) as u32).unwrap_or_else(|| default_half_days(kind)) as f64 / 2.0
}

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
                days: if status.attended() { days(half, kind) } else { 0.0 },
                minutes: minutes.map(|m| m.max(0) as u32),
                counted: status.attended() && cancelled.is_none(),
            })
        })
        .collect()
}

/// Marks with the face-to-face days that count among them.
fn attendance_list(items: Vec<AttendanceRecord>) -> Result<AttendanceList, ApiError> {
    let days_counted = items.iter().filter(|m| m.counted).map(|m| m.days).sum();
    Ok(AttendanceList { items, days_counted })
}

/// Records a session's whole register in one request. Posting the same register again changes
/// nothing; a later register replaces an earlier one.
#[utoipa::path(
    operation_id = "update_attendance",
    tag = "delivery",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Session id"), ("If-Match" = Option<String>, Header, nullable = false, description = "The `ETag` of the version this change is based on; a newer version answers 412 `stale_write`. Without it, the last write wins.")),
    responses((status = 200, body = AttendanceList, headers(("ETag" = String, description = "The version, for `If-Match` on the next write"))), (status = 412, body = trellis_wire::Problem, content_type = "application/problem+json", description = "Changed since the `If-Match` version (`stale_write`); the current `ETag` is in the response"), WriteErrors)
)]
#[put("/sessions/{id}/attendance")]
pub async fn update_attendance(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    if_match: IfMatch,
    body: Json<Register>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let (out, tag) = state
        .db
        .tx_as(caller, move |conn, caller| {
            let row = sessions_db::load_for_update(conn, id)?;
            let facts = facts::cohort_or_404(conn, uuid(&row.cohort_id)?)?;
            require(&caller, Action::Update, &Resource::Cohort(facts), "session")?;
            if_match.check(&etag::of(Some(row.updated_at)))?;
            body.validate()?;
            let kind = row.kind()?;
            // Nominations not yet approved have no place in a register.
            let enrolled: std::collections::HashSet<String> = enrolments::table
                .filter(enrolments::cohort_id.eq(&row.cohort_id))
                .filter(enrolments::status.ne(trellis_domain::EnrolmentStatus::Nominated.as_str()))
                .select(enrolments::id)
                .load::<String>(conn)?
                .into_iter()
                .collect();
            let mut errors = vec![];
            let mut seen = HashMap::new();
            for (i, e) in body.entries.iter().enumerate() {
                let field = |f: &str| format!("entries[{i}].{f}");
                if !enrolled.contains(&e.enrolment_id.to_string()) {
                    errors.push(FieldError {
                        field: field("enrolment_id"),
                        code: "not_in_cohort".into(),
                        message: "not an approved enrolment of this session's cohort".into(),
                    });
                }
                if seen.insert(e.enrolment_id, i).is_some() {
                    errors.push(FieldError {
                        field: field("enrolment_id"),
                        code: "duplicate".into(),
                        message: "listed twice".into(),
                    });
                }
                if let Some(d) = e.days {
                    // Never more than the session is worth: a meeting or seminar credits no days.
                    let max = default_half_days(kind) as f64 / 2.0;
                    if !(0.0..=max).contains(&d) || (d * 2.0).fract() != 0.0 {
                        errors.push(FieldError {
                            field: field("days"),
                            code: "invalid_days".into(),
                            message: format!("days must be a multiple of 0.5 between 0 and {max}"),
                        });
                    }
                }
            }
            if !errors.is_empty() {
                return Err(ApiError::invalid("validation_failed", errors));
            }
            let now = crate::now();
            // Whose mark this register adds, removes or changes: their progress may move. An
            // unchanged mark touches nothing (and so locks no enrolment row on PostgreSQL).
            type Mark = (String, Option<i32>, Option<i32>);
            let before: HashMap<String, Mark> = attendance::table
                .filter(attendance::session_id.eq(&row.id))
                .select((attendance::enrolment_id, attendance::status, attendance::half_days, attendance::minutes))
                .load::<(String, String, Option<i32>, Option<i32>)>(conn)?
                .into_iter()
                .map(|(e, status, half, minutes)| (e, (status, half, minutes)))
                .collect();
            let after: HashMap<String, Mark> = body
                .entries
                .iter()
                .map(|e| {
                    let mark = (
                        e.status.as_str().to_owned(),
                        e.days.map(|d| (d * 2.0).round() as i32),
                        e.minutes.map(|m| m as i32),
                    );
                    (e.enrolment_id.to_string(), mark)
                })
                .collect();
            let mut moved: Vec<String> = before
                .iter()
                .filter(|(e, mark)| after.get(*e) != Some(*mark))
                .map(|(e, _)| e.clone())
                .chain(after.iter().filter(|(e, mark)| before.get(*e) != Some(*mark)).map(|(e, _)| e.clone()))
                .collect();
            moved.sort_unstable();
            moved.dedup();
            crate::db::touch::enrolments(conn, &moved, now)?;
            diesel::delete(attendance::table.filter(attendance::session_id.eq(&row.id))).execute(conn)?;
            // One multi-row INSERT (one round trip on PostgreSQL, not one per mark).
            let rows_in: Vec<_> = body
                .entries
                .iter()
                .map(|e| {
                    (
                        attendance::session_id.eq(&row.id),
                        attendance::enrolment_id.eq(e.enrolment_id.to_string()),
                        attendance::status.eq(e.status.as_str()),
                        attendance::half_days.eq(e.days.map(|d| (d * 2.0).round() as i32)),
                        attendance::minutes.eq(e.minutes.map(|m| m as i32)),
                        attendance::recorded_at.eq(now),
                    )
                })
                .collect();
            if !rows_in.is_empty() {
                on_backend!(&mut *conn, |c| diesel::insert_into(attendance::table).values(&rows_in).execute(c))?;
            }
            diesel::update(sessions::table.find(&row.id)).set(sessions::updated_at.eq(now)).execute(conn)?;
            Ok((attendance_list(marks(conn, Some(&row.id), None)?)?, etag::of(Some(now))))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(out))
}

/// A session's register as recorded: the cohort's facilitators.
#[utoipa::path(
    operation_id = "get_attendance",
    tag = "delivery",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, body = AttendanceList, headers(("ETag" = String, description = "The version, for `If-Match` on the next write"))), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/sessions/{id}/attendance")]
pub async fn get_attendance(state: State, caller: Bearer, id: Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (out, tag) = state
        .db
        .run_as(caller, move |conn, caller| {
            let row = sessions_db::load(conn, id)?;
            let facts = facts::cohort_or_404(conn, uuid(&row.cohort_id)?)?;
            require(&caller, Action::Update, &Resource::Cohort(facts), "session")?;
            Ok((attendance_list(marks(conn, Some(&row.id), None)?)?, etag::of(Some(row.updated_at))))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(out))
}

/// An enrolment's register marks, session by session, and the face-to-face days that count.
#[utoipa::path(
    operation_id = "list_attendance",
    tag = "delivery",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = AttendanceList), ReadErrors)
)]
#[get("/enrolments/{id}/attendance")]
pub async fn list_attendance(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<AttendanceList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let f = facts::enrolment(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
            require(&caller, Action::Read, &Resource::Enrolment(f), "enrolment")?;
            attendance_list(marks(conn, None, Some(&id.to_string()))?)
        })
        .await?;
    Ok(Json(out))
}
