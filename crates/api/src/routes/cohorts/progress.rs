//! Programme rules at work: presets, progress against a programme's definition, report drafts.

use actix_web::{get, web::Json, web::Path, web::Query};
use trellis_domain::ids::{CohortId, EnrolmentId};
use trellis_domain::rules::{Facts, RequirementStatus, evaluate};
use trellis_domain::scope;
use trellis_wire::{CohortProgress, EnrolmentProgress, EnrolmentProgressSummary, ProgressParams};

use crate::auth::Bearer;
use crate::db::allowed::{self, cohort, enrolment};
use crate::db::facts::uuid;
use crate::db::rule_facts;
use crate::db::{cohorts, enrolments, organisations};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State};

/// Every requirement of the programme for one enrolment: met, pending, overdue or failed, with
/// the reason, and whether the participant may be certified.
#[utoipa::path(
    operation_id = "get_enrolment_progress",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ProgressParams),
    responses((status = 200, body = EnrolmentProgress), ReadErrors)
)]
#[get("/enrolments/{id}/progress")]
pub async fn get_enrolment_progress(
    state: State,
    caller: Bearer,
    id: Path<EnrolmentId>,
    params: Query<ProgressParams>,
) -> Result<Json<EnrolmentProgress>, ApiError> {
    let id = id.into_inner();
    let today = crate::dates::as_of(params.as_of, &state.clock)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let target = allowed::enrolment::<enrolment::Read>(conn, &caller, id)?;
            let (programme, progress) = rule_facts::progress_of(conn, &target, today)?;
            Ok(EnrolmentProgress {
                enrolment_id: id.uuid(),
                programme_id: uuid(&programme.id)?,
                as_of: today,
                progress,
            })
        })
        .await?;
    Ok(Json(out))
}

/// A summary of every visible enrolment's progress in one response, computed from three queries
/// however large the cohort.
#[utoipa::path(
    operation_id = "get_cohort_progress",
    tag = "cohorts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ProgressParams),
    responses((status = 200, body = CohortProgress), ReadErrors)
)]
#[get("/cohorts/{id}/progress")]
pub async fn get_cohort_progress(
    state: State,
    caller: Bearer,
    id: Path<CohortId>,
    params: Query<ProgressParams>,
) -> Result<Json<CohortProgress>, ApiError> {
    let cohort_id = id.into_inner();
    let today = crate::dates::as_of(params.as_of, &state.clock)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<cohort::Read>(conn, &caller, cohort_id)?;
            let (programme, induction) = cohorts::programme_of(conn, &cohort)?;
            let definition = programme.definition()?;
            let visible =
                enrolments::progress_rows(conn, &cohort, &scope::enrolments(&caller.principal, &cohort.facts))?;
            let trusts: Vec<String> = visible.iter().filter_map(|r| r.trust_id.clone()).collect();
            let calendars = organisations::term_calendars(conn, &trusts)?;
            let keys: Vec<rule_facts::FactKeys> =
                visible.iter().map(|r| (r.id.clone(), r.coach_person_id.clone(), r.coach_statement.clone())).collect();
            let mut all_facts = rule_facts::load(conn, induction, &keys)?;
            let mut items = vec![];
            for r in visible {
                let calendar = r.trust_id.as_ref().and_then(|t| calendars.get(t)).cloned().unwrap_or_default();
                let facts = all_facts.remove(&r.id).unwrap_or_else(|| Facts::new(induction));
                let p = evaluate(&definition, &facts, today, &calendar);
                let n = |s| p.count(s) as u32;
                items.push(EnrolmentProgressSummary {
                    enrolment_id: uuid(&r.id)?,
                    person_name: format!("{} {}", r.given_name, r.family_name),
                    school_id: uuid(&r.school_id)?,
                    status: r.status.parse().map_err(ApiError::internal)?,
                    met: n(RequirementStatus::Met),
                    pending: n(RequirementStatus::Pending),
                    overdue: n(RequirementStatus::Overdue),
                    failed: n(RequirementStatus::Failed),
                    total: p.requirements.len() as u32,
                    certifiable: p.certifiable,
                });
            }
            Ok(CohortProgress { cohort_id: cohort_id.uuid(), programme_id: uuid(&programme.id)?, as_of: today, items })
        })
        .await?;
    Ok(Json(out))
}
