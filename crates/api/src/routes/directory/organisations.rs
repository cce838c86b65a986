//! Organisations: providers, trusts, alliances and local authorities, and their term dates.

use actix_web::{HttpResponse, get, post, put, web::Json, web::Path, web::Query};
use trellis_wire::{CreateOrganisation, FieldError, ListParams, Organisation, OrganisationPage, TermCalendar};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, directory};
use crate::db::models::OrganisationRow;
use crate::db::organisations;
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

/// Trusts, alliances, local authorities and providers: a public directory for signed-in callers.
#[utoipa::path(operation_id = "list_organisations", tag = "directory", security(("bearer" = [])), params(ListParams), responses((status = 200, body = OrganisationPage), ReadErrors))]
#[get("/organisations")]
pub async fn list_organisations(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<OrganisationPage>, ApiError> {
    let rows = state
        .db
        .run_as(caller, move |conn, caller| {
            let directory = allowed::directory::<directory::Read>(&caller, "organisation")?;
            let page = PageRequest::parse(&params)?;
            let rows = organisations::list(conn, &directory, &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            Ok(OrganisationPage {
                items: rows.iter().map(OrganisationRow::to_wire).collect::<Result<_, _>>()?,
                next_cursor: next,
            })
        })
        .await?;
    Ok(Json(rows))
}

/// Creates an organisation (platform admins only).
#[utoipa::path(operation_id = "create_organisation", tag = "directory", security(("bearer" = [])), responses((status = 201, body = Organisation), WriteErrors))]
#[post("/organisations")]
pub async fn create_organisation(
    state: State,
    caller: Bearer,
    body: Json<CreateOrganisation>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let org = state
        .db
        .tx_as(caller, move |conn, caller| {
            let directory = allowed::directory::<directory::Create>(&caller, "organisation")?;
            body.validate()?;
            let body = body.into_inner();
            let now = clock.now();
            let row = OrganisationRow {
                id: new_id(),
                name: body.name.trim().to_owned(),
                kind: body.kind.as_str().into(),
                created_at: now,
                updated_at: now,
                term_calendar: None,
            };
            organisations::insert(conn, &directory, &row)?;
            row.to_wire()
        })
        .await?;
    Ok(HttpResponse::Created().json(org))
}

#[utoipa::path(operation_id = "get_organisation", tag = "directory", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Organisation), ReadErrors))]
#[get("/organisations/{id}")]
pub async fn get_organisation(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<Organisation>, ApiError> {
    let org = state
        .db
        .run_as(caller, move |conn, caller| {
            allowed::directory::<directory::Read>(&caller, "organisation")?;
            let id = id.into_inner();
            organisations::find(conn, id)?.ok_or_else(|| ApiError::not_found("organisation"))?.to_wire()
        })
        .await?;
    Ok(Json(org))
}

/// Sets an organisation's real term dates (for a trust: its schools' terms). Terms it does not
/// list keep the defaults (autumn 1 Sep–20 Dec, spring 5 Jan–31 Mar, summer 15 Apr–22 Jul).
#[utoipa::path(
    operation_id = "update_term_calendar",
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Organisation), WriteErrors)
)]
#[put("/organisations/{id}/term-calendar")]
pub async fn update_term_calendar(
    state: State,
    caller: Bearer,
    id: Path<Uuid>,
    body: Json<TermCalendar>,
) -> Result<Json<Organisation>, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    let calendar = body.into_inner();
    let org = state
        .db
        .tx_as(caller, move |conn, caller| {
            // The one decision of `require`: no such organisation, or one the caller may not even
            // read, is 404; one they may read (the directory is public) but not change is 403.
            let organisation = allowed::organisation_settings(conn, &caller, id.into())?;
            let faults = calendar.faults();
            if !faults.is_empty() {
                let errors = faults
                    .into_iter()
                    .map(|f| FieldError {
                        field: f.path.trim_start_matches("$.").to_owned(),
                        code: f.code,
                        message: f.message,
                    })
                    .collect();
                return Err(ApiError::invalid("invalid_term_calendar", errors));
            }
            let json = serde_json::to_string(&calendar).map_err(ApiError::internal)?;
            organisations::set_term_calendar(conn, &organisation, &json, clock.now())?;
            organisations::find(conn, id)?.ok_or_else(|| ApiError::not_found("organisation"))?.to_wire()
        })
        .await?;
    Ok(Json(org))
}
