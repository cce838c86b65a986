//! Sessions of a cohort and their registers.

use actix_web::{HttpResponse, get, patch, post, web::Json, web::Path, web::Query};
use trellis_domain::delivery::{SessionPlan, check_session_times};
use trellis_domain::ids::{CohortId, SessionId};
use trellis_wire::{CreateSession, FieldError, ListParams, Session, SessionPage, UpdateSession};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::DbConn;
use crate::db::allowed::{self, cohort};
use crate::db::sessions::{self as sessions_db, SessionRow};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

/// Checks a session's fields against its cohort; every problem is listed.
fn check(conn: &mut DbConn, row: &SessionRow, mut errors: Vec<FieldError>) -> Result<(), ApiError> {
    let f = |field: &str, code: &str, message: &str| FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    };
    if let Err(fault) = check_session_times(row.starts_at, row.ends_at) {
        errors.push(fault.into());
    }
    let kinds = crate::db::cohorts::definition(conn, &row.cohort_id)?.session_kinds();
    if !kinds.iter().any(|k| k.as_str() == row.kind) {
        errors.push(f("kind", "unknown_session_kind", "this cohort's programme has no sessions of this kind"));
    }
    errors.extend(sessions_db::missing_references(conn, row)?);
    if errors.is_empty() { Ok(()) } else { Err(ApiError::invalid("validation_failed", errors)) }
}

/// The cohort's timetable, in start order (cancelled sessions included, marked).
#[utoipa::path(
    operation_id = "list_sessions",
    tag = "delivery",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id"), ListParams),
    responses((status = 200, body = SessionPage), ReadErrors)
)]
#[get("/cohorts/{id}/sessions")]
pub async fn list_sessions(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
    params: Query<ListParams>,
) -> Result<Json<SessionPage>, ApiError> {
    let cohort = id.into_inner();
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<cohort::Read>(conn, &caller, cohort)?;
            // A cohort's timetable is tens of sessions: load it in start order and page through
            // that order, so pages never interleave (the cursor is the last session's id). Each
            // caller sees the sessions whose audience includes them.
            let who =
                crate::db::enrolments::involvement(conn, &caller.principal, &cohort.id.to_string(), &cohort.facts)?;
            let mut all = sessions_db::of_cohort(conn, &cohort, page.updated_since)?;
            let mut visible = Vec::with_capacity(all.len());
            for row in all.drain(..) {
                if row.audience()?.visible_to(who) {
                    visible.push(row);
                }
            }
            let all = visible;
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
    tag = "delivery",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 201, body = Session), WriteErrors)
)]
#[post("/cohorts/{id}/sessions")]
pub async fn create_session_of_cohort(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
    body: Json<CreateSession>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let cohort = id.into_inner();
    let body = body.into_inner();
    let session = state
        .db
        .tx_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<cohort::Run>(conn, &caller, cohort)?;
            let mut errors = body.validate().err().map(|e| ApiError::from(e).errors).unwrap_or_default();
            let plan = match SessionPlan::try_from(&body) {
                Ok(plan) => plan,
                Err(faults) => {
                    errors.extend(faults.into_iter().map(FieldError::from));
                    return Err(ApiError::invalid("validation_failed", errors));
                }
            };
            let now = clock.now();
            let row = SessionRow::of_plan(new_id(), &cohort.id.to_string(), &plan, now, now);
            check(conn, &row, errors)?;
            sessions_db::insert(conn, &cohort, &row)?;
            crate::db::touch::cohort(conn, &row.cohort_id, row.updated_at)?;
            row.to_wire()
        })
        .await?;
    Ok(HttpResponse::Created().json(session))
}

#[utoipa::path(operation_id = "get_session", tag = "delivery", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Session), ReadErrors))]
#[get("/sessions/{id}")]
pub async fn get_session(state: State, caller: Bearer, id: Path<SessionId>) -> Result<Json<Session>, ApiError> {
    let id = id.into_inner();
    let s = state
        .db
        .run_as(caller, move |conn, caller| {
            let session = allowed::session::<cohort::Read>(conn, &caller, id, false)?;
            let who =
                crate::db::enrolments::involvement(conn, &caller.principal, &session.row.cohort_id, &session.cohort)?;
            if !session.row.audience()?.visible_to(who) {
                return Err(ApiError::not_found("session"));
            }
            session.row.to_wire()
        })
        .await?;
    Ok(Json(s))
}

/// Edits a session: the cohort's facilitators. A cancelled session cannot be edited.
#[utoipa::path(operation_id = "update_session", tag = "delivery", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Session), WriteErrors))]
#[patch("/sessions/{id}")]
pub async fn update_session(
    state: State,
    caller: Bearer,
    id: Path<SessionId>,
    body: Json<UpdateSession>,
) -> Result<Json<Session>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    let s = state
        .db
        .tx_as(caller, move |conn, caller| {
            let session = allowed::session::<cohort::Run>(conn, &caller, id, true)?;
            let mut row = session.row.clone();
            if row.cancelled_at.is_some() {
                return Err(ApiError::conflict("session_cancelled", "a cancelled session cannot be edited"));
            }
            let mut errors = body.validate().err().map(|e| ApiError::from(e).errors).unwrap_or_default();
            let (changes, faults) = body.changes();
            errors.extend(faults.into_iter().map(FieldError::from));
            let plan = row.plan()?.with(changes);
            let of_plan = SessionRow::of_plan(row.id, &row.cohort_id, &plan, row.created_at, row.updated_at);
            row = SessionRow { cancelled_at: row.cancelled_at, ..of_plan };
            check(conn, &row, errors)?;
            row.updated_at = clock.now();
            sessions_db::update(conn, &session, &row)?;
            crate::db::touch::cohort(conn, &row.cohort_id, row.updated_at)?;
            row.to_wire()
        })
        .await?;
    Ok(Json(s))
}

/// Cancels a session. Its register is kept, but it no longer counts towards anyone's programme.
#[utoipa::path(operation_id = "cancel_session", tag = "delivery", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Session), WriteErrors))]
#[post("/sessions/{id}/cancel")]
pub async fn cancel_session(state: State, caller: Bearer, id: Path<SessionId>) -> Result<Json<Session>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let s = state
        .db
        .tx_as(caller, move |conn, caller| {
            let session = allowed::session::<cohort::Run>(conn, &caller, id, true)?;
            let mut row = session.row.clone();
            if row.cancelled_at.is_none() {
                let now = clock.now();
                row.cancelled_at = Some(now);
                row.updated_at = now;
                sessions_db::update(conn, &session, &row)?;
                crate::db::touch::cohort(conn, &row.cohort_id, now)?;
            }
            row.to_wire()
        })
        .await?;
    Ok(Json(s))
}
