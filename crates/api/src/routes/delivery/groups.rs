//! Learning groups: action learning sets and cluster groups within a cohort.

use actix_web::{HttpResponse, get, post, web::Json, web::Path};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;
use trellis_domain::authz::{Action, EnrolmentFacts, Resource, SchoolFacts, authorize};
use trellis_wire::{CreateLearningGroup, FieldError, LearningGroup, LearningGroupList};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::facts::{self, opt_uuid, require, uuid};
use crate::db::schema::{enrolments, learning_group_members, learning_groups, people, schools};
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

type GroupRow = (String, String, String, String, Option<String>, NaiveDateTime, NaiveDateTime);

/// The cohort's groups. Facilitators see every group; others see the groups with members they
/// may see, and only those members.
#[utoipa::path(
    operation_id = "list_groups",
    tag = "delivery",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 200, body = LearningGroupList), ReadErrors)
)]
#[get("/cohorts/{id}/groups")]
pub async fn list_groups(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<LearningGroupList>, ApiError> {
    let cohort = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cf = facts::cohort(conn, cohort)?.ok_or_else(|| ApiError::not_found("cohort"))?;
            let resource = Resource::Cohort(cf.clone());
            require(&caller, Action::Read, &resource, "cohort")?;
            let runs_it = authorize(&caller.principal, Action::Update, &resource).is_ok();
            let groups: Vec<GroupRow> = learning_groups::table
                .filter(learning_groups::cohort_id.eq(cohort.to_string()))
                .order(learning_groups::name.asc())
                .select((
                    learning_groups::id,
                    learning_groups::cohort_id,
                    learning_groups::name,
                    learning_groups::kind,
                    learning_groups::facilitator_person_id,
                    learning_groups::created_at,
                    learning_groups::updated_at,
                ))
                .load(conn)?;
            let ids: Vec<String> = groups.iter().map(|g| g.0.clone()).collect();
            // (group, enrolment, person, coach, school, trust)
            type MemberRow = (String, String, String, Option<String>, String, Option<String>);
            let members: Vec<MemberRow> = learning_group_members::table
                .inner_join(enrolments::table.inner_join(people::table.inner_join(schools::table)))
                .filter(learning_group_members::group_id.eq_any(&ids))
                .select((
                    learning_group_members::group_id,
                    enrolments::id,
                    enrolments::person_id,
                    enrolments::coach_person_id,
                    schools::id,
                    schools::trust_id,
                ))
                .load(conn)?;
            let mut visible: HashMap<String, Vec<Uuid>> = HashMap::new();
            for (group, enrolment, person, coach, school, trust) in members {
                let f = EnrolmentFacts {
                    person_id: uuid(&person)?,
                    school: SchoolFacts { id: uuid(&school)?, trust_id: opt_uuid(trust.as_deref())? },
                    cohort: cf.clone(),
                    coach_person_id: opt_uuid(coach.as_deref())?,
                };
                if runs_it || authorize(&caller.principal, Action::Read, &Resource::Enrolment(f)).is_ok() {
                    visible.entry(group).or_default().push(uuid(&enrolment)?);
                }
            }
            let mut items = vec![];
            for (id, cohort_id, name, kind, facilitator, created, updated) in groups {
                let mut member_enrolment_ids = visible.remove(&id).unwrap_or_default();
                if member_enrolment_ids.is_empty() && !runs_it {
                    continue;
                }
                member_enrolment_ids.sort();
                items.push(LearningGroup {
                    id: uuid(&id)?,
                    cohort_id: uuid(&cohort_id)?,
                    name,
                    kind: kind.parse().map_err(ApiError::internal)?,
                    facilitator_person_id: opt_uuid(facilitator.as_deref())?,
                    member_enrolment_ids,
                    created_at: created.and_utc(),
                    updated_at: updated.and_utc(),
                });
            }
            Ok(LearningGroupList { items })
        })
        .await?;
    Ok(Json(out))
}

/// Forms a group from enrolments of the cohort: its facilitators.
#[utoipa::path(
    operation_id = "create_group",
    tag = "delivery",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses((status = 201, body = LearningGroup), WriteErrors)
)]
#[post("/cohorts/{id}/groups")]
pub async fn create_group(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    body: Json<CreateLearningGroup>,
) -> Result<HttpResponse, ApiError> {
    let cohort = id.into_inner();
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let cf = facts::cohort(conn, cohort)?.ok_or_else(|| ApiError::not_found("cohort"))?;
            require(&caller, Action::Update, &Resource::Cohort(cf), "cohort")?;
            let mut errors = body.validate().err().map(|e| ApiError::from(e).errors).unwrap_or_default();
            let enrolled: Vec<String> = enrolments::table
                .filter(enrolments::cohort_id.eq(cohort.to_string()))
                .filter(enrolments::status.ne(trellis_domain::EnrolmentStatus::Withdrawn.as_str()))
                .select(enrolments::id)
                .load(conn)?;
            let mut members = body.member_enrolment_ids.clone();
            for (i, m) in members.iter().enumerate() {
                if !enrolled.contains(&m.to_string()) {
                    errors.push(FieldError {
                        field: format!("member_enrolment_ids[{i}]"),
                        code: "not_in_cohort".into(),
                        message: "not a current enrolment of this cohort".into(),
                    });
                }
            }
            if let Some(p) = body.facilitator_person_id
                && facts::person(conn, p)?.is_none()
            {
                errors.push(FieldError {
                    field: "facilitator_person_id".into(),
                    code: "unknown_person".into(),
                    message: "no such person".into(),
                });
            }
            if !errors.is_empty() {
                return Err(ApiError::invalid("validation_failed", errors));
            }
            members.sort();
            members.dedup();
            let now = crate::now();
            let id = new_id();
            diesel::insert_into(learning_groups::table)
                .values((
                    learning_groups::id.eq(&id),
                    learning_groups::cohort_id.eq(cohort.to_string()),
                    learning_groups::name.eq(body.name.trim()),
                    learning_groups::kind.eq(body.kind.as_str()),
                    learning_groups::facilitator_person_id.eq(body.facilitator_person_id.map(|p| p.to_string())),
                    learning_groups::created_at.eq(now),
                    learning_groups::updated_at.eq(now),
                ))
                .execute(conn)?;
            for m in &members {
                diesel::insert_into(learning_group_members::table)
                    .values((
                        learning_group_members::group_id.eq(&id),
                        learning_group_members::enrolment_id.eq(m.to_string()),
                    ))
                    .execute(conn)?;
            }
            Ok(LearningGroup {
                id: uuid(&id)?,
                cohort_id: cohort,
                name: body.name.trim().to_owned(),
                kind: body.kind,
                facilitator_person_id: body.facilitator_person_id,
                member_enrolment_ids: members,
                created_at: now.and_utc(),
                updated_at: now.and_utc(),
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}
