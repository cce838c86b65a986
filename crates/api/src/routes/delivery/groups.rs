//! Learning groups: action learning sets and cluster groups within a cohort.

use actix_web::{HttpResponse, get, post, web::Json, web::Path};
use std::collections::HashMap;
use trellis_domain::authz::{Action, Resource, authorize};
use trellis_domain::ids::CohortId;
use trellis_domain::scope;
use trellis_wire::{CreateLearningGroup, FieldError, LearningGroup, LearningGroupList};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, cohort};
use crate::db::facts::{opt_uuid, uuid};
use crate::db::groups;
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

// Members are filtered in SQL by the domain's `scope::enrolments`.
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
pub async fn list_groups(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
) -> Result<Json<LearningGroupList>, ApiError> {
    let cohort = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<cohort::Read>(conn, &caller, cohort)?;
            // Those who run the cohort also see its groups that have no members yet.
            let runs_it = authorize(&caller.principal, Action::Update, &Resource::Cohort(cohort.facts.clone())).is_ok();
            let groups = groups::of_cohort(conn, &cohort)?;
            let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
            let mut visible: HashMap<String, Vec<Uuid>> = HashMap::new();
            for (group, enrolment) in
                groups::members_within(conn, &ids, &scope::enrolments(&caller.principal, &cohort.facts))?
            {
                visible.entry(group).or_default().push(uuid(&enrolment)?);
            }
            let mut items = vec![];
            for g in groups {
                let mut member_enrolment_ids = visible.remove(&g.id).unwrap_or_default();
                if member_enrolment_ids.is_empty() && !runs_it {
                    continue;
                }
                member_enrolment_ids.sort();
                items.push(LearningGroup {
                    id: uuid(&g.id)?,
                    cohort_id: uuid(&g.cohort_id)?,
                    name: g.name,
                    kind: g.kind.parse().map_err(ApiError::internal)?,
                    facilitator_person_id: opt_uuid(g.facilitator_person_id.as_deref())?,
                    member_enrolment_ids,
                    created_at: g.created_at.and_utc(),
                    updated_at: g.updated_at.and_utc(),
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
    id: Path<CohortId>,
    body: Json<CreateLearningGroup>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let cohort = id.into_inner();
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<cohort::Run>(conn, &caller, cohort)?;
            let mut errors = body.validate().err().map(|e| ApiError::from(e).errors).unwrap_or_default();
            let enrolled = groups::joinable(conn, &cohort)?;
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
                && !crate::db::people::exists(conn, p)?
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
            let now = clock.now();
            let id = new_id();
            groups::insert(conn, &id, &cohort, &body, &members, now)?;
            Ok(LearningGroup {
                id: uuid(&id)?,
                cohort_id: cohort.id.uuid(),
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
