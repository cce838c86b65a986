//! An enrolment's named coach.

use actix_web::{get, put, web::Json, web::Path};
use trellis_domain::ids::{CohortId, EnrolmentId};
use trellis_wire::{AssignCoach, Coach, CoachList, Enrolment};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, cohort, enrolment};
use crate::db::coaching;
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors};

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
    id: Path<EnrolmentId>,
    body: Json<AssignCoach>,
) -> Result<Json<Enrolment>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::AssignCoach>(conn, &caller, id)?;
            body.validate()?;
            // The coach must sign in as a coach (so that only a real coach ever gets the notes),
            // and cannot be the participant. One answer for "no such person" and "not a coach",
            // so the check reveals nothing about people elsewhere.
            if !coaching::is_coach(conn, body.coach_person_id)? || target.row.person_id == body.coach_person_id.to_string() {
                return Err(ApiError::field("not_a_coach", "coach_person_id", "this person is not a coach on Trellis"));
            }
            if crate::db::cohorts::definition(conn, &target.row.cohort_id)?.coaching.as_ref().is_some_and(|c| c.one_per_school)
                && coaching::school_has_coached_enrolment(conn, &target)?
            {
                return Err(ApiError::conflict(
                    "one_coach_per_school",
                    "this programme offers coaching to one leader per school, and another enrolment from this school in this cohort already has a coach",
                ));
            }
            let statement = body.supporting_statement.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            coaching::assign(conn, &target, body.coach_person_id, statement, clock.now())?;
            crate::db::enrolments::reload(conn, &caller, &target)
        })
        .await?;
    Ok(Json(out))
}

/// The coaches a cohort's participants can be given: the people who sign in as coaches for the
/// cohort's provider (wherever they work), by name.
#[utoipa::path(
    operation_id = "list_coaches",
    tag = "coaching",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 200, body = CoachList), ReadErrors)
)]
#[get("/cohorts/{id}/coaches")]
pub async fn list_coaches(state: State, caller: Bearer, id: Path<CohortId>) -> Result<Json<CoachList>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<cohort::Read>(conn, &caller, id)?;
            let items = coaching::coaches_for(conn, &cohort)?
                .into_iter()
                .map(|(person, name)| Ok(Coach { person_id: uuid(&person)?, name }))
                .collect::<Result<_, ApiError>>()?;
            Ok(CoachList { items })
        })
        .await?;
    Ok(Json(out))
}
