//! Cohorts: the runs of programmes, each with its facilitators.

use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use trellis_domain::cohort::CohortPlan;
use trellis_domain::ids::CohortId;
use trellis_wire::{Cohort, CohortPage, CreateCohort, FieldError, ListParams};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, cohort};

use crate::db::models::CohortRow;
use crate::db::{cohorts, hubs, people, schools};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

/// Cohorts: the runs of programmes, readable by every signed-in caller.
#[utoipa::path(operation_id = "list_cohorts", tag = "cohorts", security(("bearer" = [])), params(ListParams), responses((status = 200, body = CohortPage), ReadErrors))]
#[get("/cohorts")]
pub async fn list_cohorts(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<CohortPage>, ApiError> {
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let catalogue = allowed::catalogue(&caller, "cohort")?;
            let page = PageRequest::parse(&params)?;
            let rows = cohorts::list(conn, &catalogue, &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let mut facilitators = cohorts::facilitators_of(conn, &ids)?;
            let items = rows
                .iter()
                .map(|r| r.to_wire(facilitators.remove(&r.id).unwrap_or_default()))
                .collect::<Result<_, _>>()?;
            Ok(CohortPage { items, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}

/// Creates a cohort of a programme. Platform admins, or facilitators of the programme's provider.
#[utoipa::path(operation_id = "create_cohort", tag = "cohorts", security(("bearer" = [])), responses((status = 201, body = Cohort), WriteErrors))]
#[post("/cohorts")]
pub async fn create_cohort(state: State, caller: Bearer, body: Json<CreateCohort>) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let body = body.into_inner();
    // Parse: field rules, the years Trellis stores, and the domain's plan (dates against each other).
    let mut errors: Vec<FieldError> = body.validate().err().map(|e| ApiError::from(e).errors).unwrap_or_default();
    errors.extend(crate::dates::check(&[
        ("induction_date", body.induction_date),
        ("start_date", body.start_date),
        ("end_date", body.end_date),
    ]));
    let plan = CohortPlan::try_from(&body).map_err(|faults| errors.extend(faults.into_iter().map(FieldError::from)));
    let cohort = state
        .db
        .tx_as(caller, move |conn, caller| {
            // Authorise first: a stranger learns nothing from the validation.
            let new_cohort = allowed::new_cohort(
                conn,
                &caller,
                body.programme_id.into(),
                body.facilitator_ids.iter().map(|&p| p.into()).collect(),
            )?;
            let plan = match plan {
                Ok(plan) if errors.is_empty() => plan,
                _ => return Err(ApiError::invalid("validation_failed", errors)),
            };
            if let Some(hub) = plan.hub_id
                && !hubs::exists(conn, hub.uuid())?
            {
                return Err(ApiError::field("unknown_hub", "hub_id", "no such hub"));
            }
            if let Some(host) = plan.host_school_id
                && !schools::exists(conn, host.uuid())?
            {
                return Err(ApiError::field("unknown_school", "host_school_id", "no such school"));
            }
            let ids: Vec<String> = plan.facilitator_ids.iter().map(ToString::to_string).collect();
            if people::count_known(conn, &ids)? != ids.len() as i64 {
                return Err(ApiError::field(
                    "unknown_person",
                    "facilitator_ids",
                    "every facilitator must be a known person",
                ));
            }
            let now = clock.now();
            let row = CohortRow {
                id: new_id(),
                programme_id: plan.programme_id.to_string(),
                name: plan.name,
                induction_date: plan.dates.induction,
                start_date: plan.dates.start,
                end_date: plan.dates.end,
                hub_id: plan.hub_id.map(|h| h.to_string()),
                host_school_id: plan.host_school_id.map(|h| h.to_string()),
                created_at: now,
                updated_at: now,
            };
            cohorts::insert(conn, &new_cohort, &row, &ids)?;
            row.to_wire(plan.facilitator_ids)
        })
        .await?;
    Ok(HttpResponse::Created().json(cohort))
}

#[utoipa::path(operation_id = "get_cohort", tag = "cohorts", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Cohort), ReadErrors))]
#[get("/cohorts/{id}")]
pub async fn get_cohort(state: State, caller: Bearer, id: Path<CohortId>) -> Result<Json<Cohort>, ApiError> {
    let id = id.into_inner();
    let cohort = state
        .db
        .run_as(caller, move |conn, caller| {
            let cohort = allowed::cohort::<cohort::Read>(conn, &caller, id)?;
            let row = cohorts::find(conn, &cohort)?.ok_or_else(|| ApiError::not_found("cohort"))?;
            let mut ids = cohort.facts.facilitator_ids.clone();
            ids.sort();
            row.to_wire(ids)
        })
        .await?;
    Ok(Json(cohort))
}
