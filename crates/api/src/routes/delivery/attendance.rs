//! Registers: a session's attendance marks, and an enrolment's record across sessions.

use actix_web::{HttpResponse, get, put, web::Json, web::Path};
use trellis_domain::delivery::{MarkEntry, changed_marks, plan_register, register_open};
use trellis_domain::ids::{EnrolmentId, SessionId};
use trellis_wire::{AttendanceList, AttendanceRecord, FieldError, Register};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, cohort, enrolment};
use crate::db::attendance;
use crate::error::ApiError;
use crate::etag::{self, IfMatch};
use crate::routes::{ReadErrors, State, WriteErrors};

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
    id: Path<SessionId>,
    if_match: IfMatch,
    body: Json<Register>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    let (out, tag) = state
        .db
        .tx_as(caller, move |conn, caller| {
            let session = allowed::session::<cohort::Run>(conn, &caller, id, true)?;
            if_match.check(&etag::of(Some(session.row.updated_at)))?;
            body.validate()?;
            let now = clock.now();
            if !register_open(session.row.starts_at, now) {
                return Err(ApiError::conflict(
                    "session_not_started",
                    "this session has not started yet: its register opens when it starts",
                ));
            }
            let entries: Vec<MarkEntry> = body.entries.iter().map(MarkEntry::from).collect();
            let members = attendance::members(conn, &session)?;
            let current = attendance::current(conn, &session)?;
            let marks = plan_register(&entries, session.row.kind()?, &members, &current).map_err(|faults| {
                ApiError::invalid("validation_failed", faults.into_iter().map(FieldError::from).collect())
            })?;
            let moved = changed_marks(&current, &marks);
            crate::db::touch::enrolments(conn, &moved.iter().map(ToString::to_string).collect::<Vec<_>>(), now)?;
            attendance::replace(conn, &session, &marks, now)?;
            Ok((attendance_list(attendance::of_session(conn, &session)?)?, etag::of(Some(now))))
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
pub async fn get_attendance(state: State, caller: Bearer, id: Path<SessionId>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (out, tag) = state
        .db
        .run_as(caller, move |conn, caller| {
            let session = allowed::session::<cohort::Run>(conn, &caller, id, false)?;
            Ok((attendance_list(attendance::of_session(conn, &session)?)?, etag::of(Some(session.row.updated_at))))
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
pub async fn list_attendance(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
) -> Result<Json<AttendanceList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let enrolment = allowed::enrolment::<enrolment::Read>(conn, &caller, id)?;
            attendance_list(attendance::of_enrolment(conn, &enrolment)?)
        })
        .await?;
    Ok(Json(out))
}
