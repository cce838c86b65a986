//! Coaching: a named coach per enrolment, and the sessions they hold. Notes are private to the
//! coach and the coachee.

use actix_web::{HttpResponse, get, post, put, web::Json, web::Path};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::authz::{Action, EnrolmentFacts, Resource, authorize};
use trellis_wire::{AssignCoach, CoachingSession, CoachingSessionList, CreateCoachingSession, Enrolment};
use uuid::Uuid;
use validator::Validate;

use super::{ReadErrors, State, WriteErrors};
use crate::auth::Bearer;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::facts::{self, require, uuid};
use crate::paging::new_id;
use crate::schema::{coaching_sessions, cohorts, enrolments, people, programmes, users};

/// Names (or replaces) an enrolment's coach, with their supporting statement. Where the programme
/// offers coaching to one leader per school, a second coached enrolment from the same school in
/// the same cohort is refused.
#[utoipa::path(
    operation_id = "update_coach",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = Enrolment), WriteErrors)
)]
#[put("/enrolments/{id}/coach")]
pub async fn update_coach(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    body: Json<AssignCoach>,
) -> Result<Json<Enrolment>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let f = facts::enrolment(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
            let school = f.school.id.to_string();
            require(&caller, Action::AssignCoach, &Resource::Enrolment(f), "enrolment")?;
            body.validate()?;
            // The coach must sign in as a coach (so that only a real coach ever gets the notes),
            // and cannot be the participant. One answer for "no such person" and "not a coach",
            // so the check reveals nothing about people elsewhere.
            let participant: String = enrolments::table.find(id.to_string()).select(enrolments::person_id).first(conn)?;
            let coaches: i64 = users::table
                .filter(users::person_id.eq(body.coach_person_id.to_string()))
                .filter(users::role.eq(trellis_domain::Role::Coach.as_str()))
                .count()
                .get_result(conn)?;
            if coaches == 0 || participant == body.coach_person_id.to_string() {
                return Err(ApiError::field("not_a_coach", "coach_person_id", "this person is not a coach on Trellis"));
            }
            let (cohort, definition): (String, String) = enrolments::table
                .inner_join(cohorts::table.inner_join(programmes::table))
                .filter(enrolments::id.eq(id.to_string()))
                .select((enrolments::cohort_id, programmes::definition))
                .first(conn)?;
            let def: trellis_domain::rules::Definition = serde_json::from_str(&definition).map_err(ApiError::internal)?;
            if def.coaching.as_ref().is_some_and(|c| c.one_per_school) {
                // On PostgreSQL, lock the cohort so two simultaneous assignments from one school
                // cannot both pass the check (SQLite's write transactions are already serial).
                if let DbConn::Pg(pg) = conn {
                    diesel::sql_query("SELECT id FROM cohorts WHERE id = $1 FOR UPDATE")
                        .bind::<diesel::sql_types::Text, _>(&cohort)
                        .execute(pg)?;
                }
                let others: i64 = enrolments::table
                    .inner_join(people::table)
                    .filter(enrolments::cohort_id.eq(&cohort))
                    .filter(people::school_id.eq(&school))
                    .filter(enrolments::id.ne(id.to_string()))
                    .filter(enrolments::coach_person_id.is_not_null())
                    .count()
                    .get_result(conn)?;
                if others > 0 {
                    return Err(ApiError::conflict(
                        "one_coach_per_school",
                        "this programme offers coaching to one leader per school, and another enrolment from this school in this cohort already has a coach",
                    ));
                }
            }
            let statement = body.supporting_statement.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            diesel::update(enrolments::table.find(id.to_string()))
                .set((
                    enrolments::coach_person_id.eq(body.coach_person_id.to_string()),
                    enrolments::coach_statement.eq(statement),
                    enrolments::updated_at.eq(crate::now()),
                ))
                .execute(conn)?;
            crate::db::enrolments::load_one(conn, id)
        })
        .await?;
    Ok(Json(out))
}

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
            crate::touch::enrolments(conn, &[id.to_string()], crate::now())?;
            let row: CoachingRow = coaching_sessions::table.find(&row_id).select(columns()).first(conn)?;
            to_wire(row, true)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}
