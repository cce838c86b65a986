use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use diesel::prelude::*;
use std::collections::HashMap;
use trellis_domain::authz::{Action, CohortFacts, Resource};
use trellis_wire::{Cohort, CohortPage, CreateCohort, FieldError, ListParams};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::DbConn;
use crate::db::facts::{require, uuid};
use crate::db::models::CohortRow;
use crate::db::schema::{cohort_facilitators, cohorts, hubs, people, programmes, schools};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

/// Facilitator ids for many cohorts in one query.
fn facilitators_of(conn: &mut DbConn, ids: &[String]) -> Result<HashMap<String, Vec<Uuid>>, ApiError> {
    let pairs: Vec<(String, String)> = cohort_facilitators::table
        .filter(cohort_facilitators::cohort_id.eq_any(ids))
        .select((cohort_facilitators::cohort_id, cohort_facilitators::person_id))
        .order((cohort_facilitators::cohort_id, cohort_facilitators::person_id))
        .load(conn)?;
    let mut map: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (cohort, person) in pairs {
        map.entry(cohort).or_default().push(uuid(&person)?);
    }
    Ok(map)
}

/// Cohorts: the runs of programmes, readable by every signed-in caller.
#[utoipa::path(operation_id = "list_cohorts", tag = "cohorts", security(("bearer" = [])), params(ListParams), responses((status = 200, body = CohortPage), ReadErrors))]
#[get("/cohorts")]
pub async fn list_cohorts(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<CohortPage>, ApiError> {
    let gate = Resource::Cohort(CohortFacts { provider_id: Uuid::nil(), facilitator_ids: vec![] });
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            require(&caller, Action::Read, &gate, "cohort")?;
            let page = PageRequest::parse(&params)?;
            let mut q = cohorts::table.into_boxed();
            if let Some(after) = &page.after {
                q = q.filter(cohorts::id.gt(after.clone()));
            }
            if let Some(since) = page.updated_since {
                q = q.filter(cohorts::updated_at.ge(since));
            }
            let rows: Vec<CohortRow> =
                q.order(cohorts::id.asc()).limit(page.fetch()).select(CohortRow::as_select()).load(conn)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let mut facilitators = facilitators_of(conn, &ids)?;
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
    let body = body.into_inner();
    let mut errors: Vec<FieldError> = body.validate().err().map(|e| ApiError::from(e).errors).unwrap_or_default();
    errors.extend(crate::dates::check(&[
        ("induction_date", body.induction_date),
        ("start_date", body.start_date),
        ("end_date", body.end_date),
    ]));
    if body.end_date < body.start_date {
        errors.push(FieldError {
            field: "end_date".into(),
            code: "end_before_start".into(),
            message: "the cohort must end on or after its start".into(),
        });
    }
    if body.induction_date > body.end_date {
        errors.push(FieldError {
            field: "induction_date".into(),
            code: "induction_after_end".into(),
            message: "induction must be on or before the end date".into(),
        });
    }
    let cohort = state
        .db
        .tx_as(caller, move |conn, caller| {
            let provider: String = programmes::table
                .find(body.programme_id.to_string())
                .select(programmes::provider_id)
                .first(conn)
                .optional()?
                .ok_or_else(|| ApiError::field("unknown_programme", "programme_id", "no such programme"))?;
            let facts = CohortFacts { provider_id: uuid(&provider)?, facilitator_ids: body.facilitator_ids.clone() };
            require(&caller, Action::Create, &Resource::Cohort(facts), "programme")?;
            if !errors.is_empty() {
                return Err(ApiError::invalid("validation_failed", errors));
            }
            if let Some(hub) = body.hub_id {
                let n: i64 = hubs::table.filter(hubs::id.eq(hub.to_string())).count().get_result(conn)?;
                if n == 0 {
                    return Err(ApiError::field("unknown_hub", "hub_id", "no such hub"));
                }
            }
            if let Some(host) = body.host_school_id {
                let n: i64 = schools::table.filter(schools::id.eq(host.to_string())).count().get_result(conn)?;
                if n == 0 {
                    return Err(ApiError::field("unknown_school", "host_school_id", "no such school"));
                }
            }
            let mut facilitator_ids = body.facilitator_ids.clone();
            facilitator_ids.sort();
            facilitator_ids.dedup();
            let ids: Vec<String> = facilitator_ids.iter().map(Uuid::to_string).collect();
            let known: i64 = people::table.filter(people::id.eq_any(&ids)).count().get_result(conn)?;
            if known != ids.len() as i64 {
                return Err(ApiError::field(
                    "unknown_person",
                    "facilitator_ids",
                    "every facilitator must be a known person",
                ));
            }
            let now = crate::now();
            let row = CohortRow {
                id: new_id(),
                programme_id: body.programme_id.to_string(),
                name: body.name.trim().to_owned(),
                induction_date: body.induction_date,
                start_date: body.start_date,
                end_date: body.end_date,
                hub_id: body.hub_id.map(|h| h.to_string()),
                host_school_id: body.host_school_id.map(|h| h.to_string()),
                created_at: now,
                updated_at: now,
            };
            diesel::insert_into(cohorts::table).values(&row).execute(conn)?;
            for person in &ids {
                diesel::insert_into(cohort_facilitators::table)
                    .values((cohort_facilitators::cohort_id.eq(&row.id), cohort_facilitators::person_id.eq(person)))
                    .execute(conn)?;
            }
            row.to_wire(facilitator_ids)
        })
        .await?;
    Ok(HttpResponse::Created().json(cohort))
}

#[utoipa::path(operation_id = "get_cohort", tag = "cohorts", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Cohort), ReadErrors))]
#[get("/cohorts/{id}")]
pub async fn get_cohort(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<Cohort>, ApiError> {
    let id = id.into_inner();
    let cohort = state
        .db
        .run_as(caller, move |conn, caller| {
            let facts = crate::db::facts::cohort(conn, id)?.ok_or_else(|| ApiError::not_found("cohort"))?;
            require(&caller, Action::Read, &Resource::Cohort(facts.clone()), "cohort")?;
            let row: CohortRow = cohorts::table.find(id.to_string()).select(CohortRow::as_select()).first(conn)?;
            let mut ids = facts.facilitator_ids;
            ids.sort();
            row.to_wire(ids)
        })
        .await?;
    Ok(Json(cohort))
}
