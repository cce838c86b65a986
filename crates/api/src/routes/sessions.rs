//! Sessions of a cohort and their registers.

use actix_web::{HttpResponse, get, patch, post, put, web::Json, web::Path, web::Query};
use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use diesel::prelude::*;
use std::collections::HashMap;
use trellis_domain::authz::{Action, CohortFacts, Resource};
use trellis_domain::delivery::{AttendanceStatus, SessionAudience, default_half_days};
use trellis_domain::rules::definition::SessionKind;
use trellis_wire::{
    AttendanceList, AttendanceRecord, CreateSession, FieldError, ListParams, Register, Session, SessionPage,
    UpdateSession,
};
use uuid::Uuid;
use validator::Validate;

use super::{ReadErrors, State, WriteErrors};
use crate::auth::Bearer;
use crate::db::sessions::SessionRow;
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;
use crate::etag::{self, IfMatch};
use crate::facts::{self, require, uuid};
use crate::paging::{PageRequest, new_id};
use crate::schema::{attendance, cohorts, enrolments, learning_groups, people, programmes, schools, sessions};

/// An instant from RFC 3339 (with offset), or a Europe/London wall-clock time without one. In the
/// autumn hour that happens twice the earlier is meant; a spring-forward time that never happens
/// is refused, and so (`out_of_range`) is a year outside [`crate::dates::YEARS`], before any
/// time-zone arithmetic is done on it.
pub fn parse_instant(field: &str, s: &str) -> Result<NaiveDateTime, FieldError> {
    let bad = |code: &str, message: String| FieldError { field: field.into(), code: code.into(), message };
    let in_range = |t: NaiveDateTime| crate::dates::check_year(field, t.year()).map_or(Ok(t), Err);
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return in_range(t.with_timezone(&Utc).naive_utc());
    }
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| bad("invalid_time", format!("{s:?} is not RFC 3339 or a local YYYY-MM-DDTHH:MM time")))?;
    let local = in_range(local)?;
    match London.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc).naive_utc()),
        chrono::LocalResult::Ambiguous(early, _) => Ok(early.with_timezone(&Utc).naive_utc()),
        chrono::LocalResult::None => {
            Err(bad("nonexistent_local_time", format!("{s} does not exist in Europe/London (the clocks go forward)")))
        }
    }
}

fn cohort_facts(conn: &mut DbConn, cohort: Uuid) -> Result<CohortFacts, ApiError> {
    facts::cohort(conn, cohort)?.ok_or_else(|| ApiError::not_found("cohort"))
}

fn session_row(conn: &mut DbConn, id: Uuid) -> Result<SessionRow, ApiError> {
    sessions::table
        .find(id.to_string())
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("session"))
}

/// As [`session_row`], and on PostgreSQL the row stays locked until the transaction ends: writes
/// to one session (an edit, a cancellation, a register) read it, decide, and write, so they queue
/// instead of interleaving (an edit cannot undo a cancellation that landed after it read the row,
/// two registers cannot both insert their marks). SQLite's write transactions are serial already.
fn session_row_for_update(conn: &mut DbConn, id: Uuid) -> Result<SessionRow, ApiError> {
    let q = sessions::table.find(id.to_string());
    let row = match conn {
        DbConn::Pg(pg) => q.select(SessionRow::as_select()).for_no_key_update().first(pg).optional()?,
        other => q.select(SessionRow::as_select()).first(other).optional()?,
    };
    row.ok_or_else(|| ApiError::not_found("session"))
}

/// The session kinds a cohort's programme knows: those its definition requires, plus induction
/// (every programme has one).
fn known_kinds(conn: &mut DbConn, cohort: &str) -> Result<Vec<SessionKind>, ApiError> {
    let definition: String = cohorts::table
        .inner_join(programmes::table)
        .filter(cohorts::id.eq(cohort))
        .select(programmes::definition)
        .first(conn)?;
    let def: trellis_domain::rules::Definition = serde_json::from_str(&definition).map_err(ApiError::internal)?;
    let mut kinds = vec![SessionKind::Induction, SessionKind::ImpactPresentation];
    for s in &def.sessions {
        kinds.extend(s.kinds.iter().copied());
    }
    if def.portfolio.as_ref().and_then(|p| p.reflections.as_ref()).is_some() {
        kinds.extend(def.portfolio.iter().filter_map(|p| p.reflections.as_ref()).map(|r| r.on));
    }
    Ok(kinds)
}

/// Checks a session's fields against its cohort; every problem is listed.
fn check(conn: &mut DbConn, row: &SessionRow, mut errors: Vec<FieldError>) -> Result<(), ApiError> {
    let f = |field: &str, code: &str, message: &str| FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    };
    if row.ends_at <= row.starts_at {
        errors.push(f("ends_at", "end_before_start", "a session must end after it starts"));
    }
    if !known_kinds(conn, &row.cohort_id)?.iter().any(|k| k.as_str() == row.kind) {
        errors.push(f("kind", "unknown_session_kind", "this cohort's programme has no sessions of this kind"));
    }
    if let Some(led) = &row.led_by_enrolment_id {
        let n: i64 = enrolments::table
            .filter(enrolments::id.eq(led))
            .filter(enrolments::cohort_id.eq(&row.cohort_id))
            .count()
            .get_result(conn)?;
        if n == 0 {
            errors.push(f("led_by_enrolment_id", "not_in_cohort", "the leader must be enrolled in this cohort"));
        }
    }
    if let Some(school) = &row.venue_school_id {
        let n: i64 = schools::table.filter(schools::id.eq(school)).count().get_result(conn)?;
        if n == 0 {
            errors.push(f("venue_school_id", "unknown_school", "no such school"));
        }
    }
    if let Some(p) = &row.facilitator_person_id {
        let n: i64 = people::table.filter(people::id.eq(p)).count().get_result(conn)?;
        if n == 0 {
            errors.push(f("facilitator_person_id", "unknown_person", "no such person"));
        }
    }
    if let Some(g) = &row.group_id {
        let n: i64 = learning_groups::table
            .filter(learning_groups::id.eq(g))
            .filter(learning_groups::cohort_id.eq(&row.cohort_id))
            .count()
            .get_result(conn)?;
        if n == 0 {
            errors.push(f("group_id", "not_in_cohort", "the group must belong to this cohort"));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::invalid("validation_failed", errors)) }
}

/// The cohort's timetable, in start order (cancelled sessions included, marked).
#[utoipa::path(
    operation_id = "list_sessions",
    tag = "sessions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id"), ListParams),
    responses((status = 200, body = SessionPage), ReadErrors)
)]
#[get("/cohorts/{id}/sessions")]
pub async fn list_sessions(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    params: Query<ListParams>,
) -> Result<Json<SessionPage>, ApiError> {
    let cohort = id.into_inner();
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let facts = cohort_facts(conn, cohort)?;
            require(&caller, Action::Read, &Resource::Cohort(facts), "cohort")?;
            // A cohort's timetable is tens of sessions: load it in start order and page through
            // that order, so pages never interleave (the cursor is the last session's id).
            let mut q = sessions::table.filter(sessions::cohort_id.eq(cohort.to_string())).into_boxed();
            if let Some(since) = page.updated_since {
                q = q.filter(sessions::updated_at.ge(since));
            }
            let all: Vec<SessionRow> =
                q.order((sessions::starts_at.asc(), sessions::id.asc())).select(SessionRow::as_select()).load(conn)?;
            let start = match &page.after {
                Some(after) => all.iter().position(|r| &r.id == after).map(|i| i + 1).unwrap_or(all.len()),
                None => 0,
            };
            let rows: Vec<SessionRow> = all.into_iter().skip(start).take(page.fetch() as usize).collect();
            let (rows, next) = page.finish(rows, |r| &r.id);
            Ok(SessionPage {
                items: rows.iter().map(SessionRow::to_wire).collect::<Result<_, _>>()?,
                next_cursor: next,
            })
        })
        .await?;
    Ok(Json(out))
}

/// Schedules a session: the cohort's facilitators.
#[utoipa::path(
    operation_id = "create_session_of_cohort",
    tag = "sessions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 201, body = Session), WriteErrors)
)]
#[post("/cohorts/{id}/sessions")]
pub async fn create_session_of_cohort(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    body: Json<CreateSession>,
) -> Result<HttpResponse, ApiError> {
    let cohort = id.into_inner();
    let body = body.into_inner();
    let session = state
        .db
        .tx_as(caller, move |conn, caller| {
            let facts = cohort_facts(conn, cohort)?;
            require(&caller, Action::Update, &Resource::Cohort(facts), "cohort")?;
            let mut errors = body.validate().err().map(|e| ApiError::from(e).errors).unwrap_or_default();
            let starts = parse_instant("starts_at", &body.starts_at).map_err(|e| errors.push(e)).ok();
            let ends = parse_instant("ends_at", &body.ends_at).map_err(|e| errors.push(e)).ok();
            let (Some(starts), Some(ends)) = (starts, ends) else {
                return Err(ApiError::invalid("validation_failed", errors));
            };
            let now = crate::now();
            let row = SessionRow {
                id: new_id(),
                cohort_id: cohort.to_string(),
                kind: body.kind.as_str().into(),
                title: body.title.trim().to_owned(),
                starts_at: starts,
                ends_at: ends,
                venue_school_id: body.venue_school_id.map(|v| v.to_string()),
                venue_text: body.venue_text.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()),
                facilitator_person_id: body.facilitator_person_id.map(|v| v.to_string()),
                led_by_enrolment_id: body.led_by_enrolment_id.map(|v| v.to_string()),
                audience: body.audience.unwrap_or(SessionAudience::Cohort).as_str().into(),
                group_id: body.group_id.map(|v| v.to_string()),
                cancelled_at: None,
                created_at: now,
                updated_at: now,
            };
            check(conn, &row, errors)?;
            diesel::insert_into(sessions::table).values(&row).execute(conn)?;
            crate::touch::cohort(conn, &row.cohort_id, row.updated_at)?;
            row.to_wire()
        })
        .await?;
    Ok(HttpResponse::Created().json(session))
}

#[utoipa::path(operation_id = "get_session", tag = "sessions", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Session), ReadErrors))]
#[get("/sessions/{id}")]
pub async fn get_session(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<Session>, ApiError> {
    let id = id.into_inner();
    let s = state
        .db
        .run_as(caller, move |conn, caller| {
            let row = session_row(conn, id)?;
            let facts = cohort_facts(conn, uuid(&row.cohort_id)?)?;
            require(&caller, Action::Read, &Resource::Cohort(facts), "session")?;
            row.to_wire()
        })
        .await?;
    Ok(Json(s))
}

/// Edits a session: the cohort's facilitators. A cancelled session cannot be edited.
#[utoipa::path(operation_id = "update_session", tag = "sessions", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Session), WriteErrors))]
#[patch("/sessions/{id}")]
pub async fn update_session(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    body: Json<UpdateSession>,
) -> Result<Json<Session>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let s = state
        .db
        .tx_as(caller, move |conn, caller| {
            let mut row = session_row_for_update(conn, id)?;
            let facts = cohort_facts(conn, uuid(&row.cohort_id)?)?;
            require(&caller, Action::Update, &Resource::Cohort(facts), "session")?;
            if row.cancelled_at.is_some() {
                return Err(ApiError::conflict("session_cancelled", "a cancelled session cannot be edited"));
            }
            let mut errors = body.validate().err().map(|e| ApiError::from(e).errors).unwrap_or_default();
            if let Some(t) = &body.title {
                row.title = t.trim().to_owned();
            }
            if let Some(t) = &body.starts_at {
                match parse_instant("starts_at", t) {
                    Ok(t) => row.starts_at = t,
                    Err(e) => errors.push(e),
                }
            }
            if let Some(t) = &body.ends_at {
                match parse_instant("ends_at", t) {
                    Ok(t) => row.ends_at = t,
                    Err(e) => errors.push(e),
                }
            }
            if let Some(v) = body.venue_school_id {
                row.venue_school_id = Some(v.to_string());
            }
            if let Some(v) = &body.venue_text {
                row.venue_text = Some(v.trim().to_owned()).filter(|v| !v.is_empty());
            }
            if let Some(v) = body.facilitator_person_id {
                row.facilitator_person_id = Some(v.to_string());
            }
            if let Some(v) = body.led_by_enrolment_id {
                row.led_by_enrolment_id = Some(v.to_string());
            }
            if let Some(a) = body.audience {
                row.audience = a.as_str().into();
            }
            check(conn, &row, errors)?;
            row.updated_at = crate::now();
            diesel::update(sessions::table.find(&row.id)).set(&row).execute(conn)?;
            crate::touch::cohort(conn, &row.cohort_id, row.updated_at)?;
            row.to_wire()
        })
        .await?;
    Ok(Json(s))
}

/// Cancels a session. Its register is kept, but it no longer counts towards anyone's programme.
#[utoipa::path(operation_id = "cancel_session", tag = "sessions", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Session), WriteErrors))]
#[post("/sessions/{id}/cancel")]
pub async fn cancel_session(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<Session>, ApiError> {
    let id = id.into_inner();
    let s = state
        .db
        .tx_as(caller, move |conn, caller| {
            let mut row = session_row_for_update(conn, id)?;
            let facts = cohort_facts(conn, uuid(&row.cohort_id)?)?;
            require(&caller, Action::Update, &Resource::Cohort(facts), "session")?;
            if row.cancelled_at.is_none() {
                let now = crate::now();
                row.cancelled_at = Some(now);
                row.updated_at = now;
                diesel::update(sessions::table.find(&row.id))
                    .set((sessions::cancelled_at.eq(now), sessions::updated_at.eq(now)))
                    .execute(conn)?;
                crate::touch::cohort(conn, &row.cohort_id, now)?;
            }
            row.to_wire()
        })
        .await?;
    Ok(Json(s))
}

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
    tag = "sessions",
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
            let row = session_row_for_update(conn, id)?;
            let facts = cohort_facts(conn, uuid(&row.cohort_id)?)?;
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
            crate::touch::enrolments(conn, &moved, now)?;
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
    tag = "sessions",
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
            let row = session_row(conn, id)?;
            let facts = cohort_facts(conn, uuid(&row.cohort_id)?)?;
            require(&caller, Action::Update, &Resource::Cohort(facts), "session")?;
            Ok((attendance_list(marks(conn, Some(&row.id), None)?)?, etag::of(Some(row.updated_at))))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(out))
}

/// An enrolment's register marks, session by session, and the face-to-face days that count.
#[utoipa::path(
    operation_id = "list_attendance",
    tag = "enrolments",
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
