//! The coaching sessions of an enrolment. Notes are private to the coach and the coachee.

use actix_web::{HttpResponse, get, post, web::Json, web::Path};
use trellis_domain::authz::{Action, EnrolmentFacts, Resource, authorize};
use trellis_domain::delivery::check_coaching_date;
use trellis_domain::ids::EnrolmentId;
use trellis_wire::{CoachingSession, CoachingSessionList, CreateCoachingSession};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, enrolment};
use crate::db::coaching::{self, CoachingRow};
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

fn to_wire(r: CoachingRow, private: bool) -> Result<CoachingSession, ApiError> {
    Ok(CoachingSession {
        id: uuid(&r.id)?,
        enrolment_id: uuid(&r.enrolment_id)?,
        coach_person_id: uuid(&r.coach_person_id)?,
        held_on: r.held_on,
        minutes: r.minutes.max(0) as u32,
        mode: r.mode.parse().map_err(ApiError::internal)?,
        focus: private.then_some(r.focus),
        notes: if private { r.notes } else { None },
        created_at: r.created_at.and_utc(),
    })
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
    id: Path<EnrolmentId>,
) -> Result<Json<CoachingSessionList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::Read>(conn, &caller, id)?;
            let rows = coaching::of_enrolment(conn, &target)?;
            // Privacy follows the coach who held each session, not whoever coaches now.
            let items = rows
                .into_iter()
                .map(|r| {
                    let held_by =
                        EnrolmentFacts { coach_person_id: Some(uuid(&r.coach_person_id)?), ..target.facts.clone() };
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
    id: Path<EnrolmentId>,
    body: Json<CreateCoachingSession>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::LogCoaching>(conn, &caller, id)?;
            let coach = target.facts.coach_person_id;
            body.validate()?;
            crate::dates::require(&[("held_on", body.held_on)])?;
            let coach = coach.ok_or_else(|| ApiError::conflict("no_coach", "this enrolment has no coach"))?;
            let (status, starts) = coaching::status_and_start(conn, &target)?;
            if status == trellis_domain::EnrolmentStatus::Withdrawn.as_str() {
                return Err(ApiError::conflict("enrolment_withdrawn", "this enrolment has been withdrawn"));
            }
            check_coaching_date(body.held_on, starts, clock.today())
                .map_err(|fault| ApiError::field(fault.code(), "held_on", fault.to_string()))?;
            let now = clock.now();
            let row = coaching::insert(conn, &new_id(), &target, coach, &body, now)?;
            crate::db::touch::enrolments(conn, &[id.to_string()], now)?;
            to_wire(row, true)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}
