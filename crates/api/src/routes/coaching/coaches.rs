//! An enrolment's named coach.

use actix_web::{put, web::Json, web::Path};
use diesel::prelude::*;
use trellis_domain::authz::{Action, Resource};
use trellis_wire::{AssignCoach, Enrolment};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::DbConn;
use crate::db::facts::{self, require};
use crate::db::schema::{cohorts, enrolments, people, programmes, users};
use crate::error::ApiError;
use crate::routes::{State, WriteErrors};

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
