//! Hubs: groups of schools, each with a host school for its sessions.

use actix_web::{HttpResponse, get, post, web::Json, web::Query};
use trellis_wire::{CreateHub, Hub, HubPage, ListParams};
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, directory};
use crate::db::models::HubRow;
use crate::db::{hubs, organisations, schools};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

/// Hubs: groups of schools, each with a host school for its sessions.
#[utoipa::path(operation_id = "list_hubs", tag = "directory", security(("bearer" = [])), params(ListParams), responses((status = 200, body = HubPage), ReadErrors))]
#[get("/hubs")]
pub async fn list_hubs(state: State, caller: Bearer, params: Query<ListParams>) -> Result<Json<HubPage>, ApiError> {
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let directory = allowed::directory::<directory::Read>(&caller, "hub")?;
            let page = PageRequest::parse(&params)?;
            let rows = hubs::list(conn, &directory, &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            Ok(HubPage { items: rows.iter().map(HubRow::to_wire).collect::<Result<_, _>>()?, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}

/// Creates a hub (platform admins only).
#[utoipa::path(operation_id = "create_hub", tag = "directory", security(("bearer" = [])), responses((status = 201, body = Hub), WriteErrors))]
#[post("/hubs")]
pub async fn create_hub(state: State, caller: Bearer, body: Json<CreateHub>) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let hub = state
        .db
        .tx_as(caller, move |conn, caller| {
            let directory = allowed::directory::<directory::Create>(&caller, "hub")?;
            body.validate()?;
            let body = body.into_inner();
            if organisations::find(conn, body.organisation_id)?.is_none() {
                return Err(ApiError::field("unknown_organisation", "organisation_id", "no such organisation"));
            }
            if let Some(host) = body.host_school_id
                && !schools::exists(conn, host)?
            {
                return Err(ApiError::field("unknown_school", "host_school_id", "no such school"));
            }
            let now = clock.now();
            let row = HubRow {
                id: new_id(),
                name: body.name.trim().to_owned(),
                organisation_id: body.organisation_id.to_string(),
                host_school_id: body.host_school_id.map(|h| h.to_string()),
                created_at: now,
                updated_at: now,
            };
            hubs::insert(conn, &directory, &row)?;
            row.to_wire()
        })
        .await?;
    Ok(HttpResponse::Created().json(hub))
}
