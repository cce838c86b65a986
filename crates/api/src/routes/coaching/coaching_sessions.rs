//! The coaching sessions of an enrolment. Notes are private to the coach and the coachee.

use actix_web::{HttpResponse, get, post, web::Json, web::Path};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::authz::{Action, EnrolmentFacts, Resource, authorize};
use trellis_wire::{CoachingSession, CoachingSessionList, CreateCoachingSession};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::facts::{self, require, uuid};
use crate::db::schema::{coaching_sessions, cohorts, enrolments};
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

type CoachingRow = (String, String, String, NaiveDate, i32, String, String, Option<String>, NaiveDateTime);

fn to_wire(r: CoachingRow, private: bool) -> Result<CoachingSession, ApiError> {
    let (id, enrolment, coach, held_on, minutes, mode, focus, notes, created) = r;
    Ok(CoachingSession {
        id: uuid(&id)?,
        enrolment_id: uuid(&enrolment)?,
        coach_person_id: uuid(&coach)?,
        held_on,
        minutes: minutes.max(0) as u32,
        mode: mode.parse().map_err(ApiError::internal)?,
        focus: private.then_some(focus),
        notes: if private { notes } else { None },
        created_at: created.and_utc(),
    })
}

fn columns() -> (
    coaching_sessions::id,
    coaching_sessions::enrolment_id,
    coaching_sessions::coach_person_id,
    coaching_sessions::held_on,
    coaching_sessions::minutes,
    coaching_sessions::mode,
    coaching_sessions::focus,
    coaching_sessions::notes,
    coaching_sessions::created_at,
) {
    (
        coaching_sessions::id,
        coaching_sessions::enrolment_id,
        coaching_sessions::coach_person_id,
        coaching_sessions::held_on,
        coaching_sessions::minutes,
        coaching_sessions::mode,
        coaching_sessions::focus,
        coaching_sessions::notes,
        coaching_sessions::created_at,
    )
}

/// An enrolment's coaching log. Everyone who may see the enrolment sees that sessions happened;
/// only the coach and the coachee see their focus and notes.
#[utoipa::path(
    operation_id = "list_coaching_sessions",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = CoachingSessionList), ReadErrors)
)]
#[get("/enrolments/{id}/coaching-sessions")]
pub async fn list_coaching_sessions(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
) -> Result<Json<CoachingSessionList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let f = facts::enrolment(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
            let resource = Resource::Enrolment(f);
            require(&caller, Action::Read, &resource, "enrolment")?;
            let Resource::Enrolment(f) = resource else { return Err(ApiError::internal("not an enrolment")) };
            let rows: Vec<CoachingRow> = coaching_sessions::table
                .filter(coaching_sessions::enrolment_id.eq(id.to_string()))
                .order((coaching_sessions::held_on.asc(), coaching_sessions::id.asc()))
                .select(columns())
                .load(conn)?;
            // Privacy follows the coach who held each session, not whoever coaches now.
            let items = rows
                .into_iter()
                .map(|r| {
                    let held_by = EnrolmentFacts { coach_person_id: Some(uuid(&r.2)?), ..f.clone() };
                    let private =
                        authorize(&caller.principal, Action::ReadCoachingNotes, &Resource::Enrolment(held_by)).is_ok();
                    to_wire(r, private)
                })
                .collect::<Result<_, _>>()?;
            Ok(CoachingSessionList { items })
        })
        .await?;
    Ok(Json(out))
}

/// Logs a coaching session: the enrolment's coach.
#[utoipa::path(
    operation_id = "create_coaching_session",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 201, body = CoachingSession), WriteErrors)
)]
#[post("/enrolments/{id}/coaching-sessions")]
pub async fn create_coaching_session(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    body: Json<CreateCoachingSession>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let f = facts::enrolment(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
            let coach = f.coach_person_id;
            require(&caller, Action::LogCoaching, &Resource::Enrolment(f), "enrolment")?;
            body.validate()?;
            crate::dates::require(&[("held_on", body.held_on)])?;
            let coach = coach.ok_or_else(|| ApiError::conflict("no_coach", "this enrolment has no coach"))?;
            let (status, starts): (String, chrono::NaiveDate) = enrolments::table
                .inner_join(cohorts::table)
                .filter(enrolments::id.eq(id.to_string()))
                .select((enrolments::status, cohorts::start_date))
                .first(conn)?;
            if status == trellis_domain::EnrolmentStatus::Withdrawn.as_str() {
                return Err(ApiError::conflict("enrolment_withdrawn", "this enrolment has been withdrawn"));
            }
            // Coaching can begin at application, up to six months before the cohort starts.
            let earliest = starts.checked_sub_months(chrono::Months::new(6)).unwrap_or(starts);
            if body.held_on > chrono::Utc::now().date_naive() {
                return Err(ApiError::field("in_future", "held_on", "log sessions that have happened"));
            }
            if body.held_on < earliest {
                return Err(ApiError::field(
                    "before_programme",
                    "held_on",
                    "more than six months before the cohort starts",
                ));
            }
            let row_id = new_id();
            diesel::insert_into(coaching_sessions::table)
                .values((
                    coaching_sessions::id.eq(&row_id),
                    coaching_sessions::enrolment_id.eq(id.to_string()),
                    coaching_sessions::coach_person_id.eq(coach.to_string()),
                    coaching_sessions::held_on.eq(body.held_on),
                    coaching_sessions::minutes.eq(body.minutes as i32),
                    coaching_sessions::mode.eq(body.mode.as_str()),
                    coaching_sessions::focus.eq(body.focus.trim()),
                    coaching_sessions::notes.eq(body.notes.as_deref().map(str::trim).filter(|n| !n.is_empty())),
                    coaching_sessions::created_at.eq(crate::now()),
                ))
                .execute(conn)?;
            crate::db::touch::enrolments(conn, &[id.to_string()], crate::now())?;
            let row: CoachingRow = coaching_sessions::table.find(&row_id).select(columns()).first(conn)?;
            to_wire(row, true)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}
