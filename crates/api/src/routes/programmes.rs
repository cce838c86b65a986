use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use diesel::prelude::*;
use trellis_domain::authz::{Action, Resource};
use trellis_wire::{CreateProgramme, ListParams, OrganisationKind, Programme, ProgrammePage};
use uuid::Uuid;
use validator::Validate;

use super::{ReadErrors, State, WriteErrors};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::facts::require;
use crate::models::ProgrammeRow;
use crate::paging::{PageRequest, new_id};
use crate::schema::programmes;

/// Programmes: the catalogue every signed-in caller may read.
#[utoipa::path(operation_id = "list_programmes", tag = "programmes", security(("bearer" = [])), params(ListParams), responses((status = 200, body = ProgrammePage), ReadErrors))]
#[get("/programmes")]
pub async fn list_programmes(
    state: State,
    caller: Caller,
    params: Query<ListParams>,
) -> Result<Json<ProgrammePage>, ApiError> {
    require(&caller, Action::Read, &Resource::Programme { provider_id: Uuid::nil() }, "programme")?;
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run(move |conn| {
            let mut q = programmes::table.into_boxed();
            if let Some(after) = &page.after {
                q = q.filter(programmes::id.gt(after.clone()));
            }
            if let Some(since) = page.updated_since {
                q = q.filter(programmes::updated_at.ge(since));
            }
            let rows: Vec<ProgrammeRow> =
                q.order(programmes::id.asc()).limit(page.fetch()).select(ProgrammeRow::as_select()).load(conn)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            Ok(ProgrammePage {
                items: rows.iter().map(ProgrammeRow::to_wire).collect::<Result<_, _>>()?,
                next_cursor: next,
            })
        })
        .await?;
    Ok(Json(out))
}

/// Creates a programme run by a provider. Platform admins, or facilitators of that provider.
#[utoipa::path(operation_id = "create_programme", tag = "programmes", security(("bearer" = [])), responses((status = 201, body = Programme), WriteErrors))]
#[post("/programmes")]
pub async fn create_programme(
    state: State,
    caller: Caller,
    body: Json<CreateProgramme>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    require(&caller, Action::Create, &Resource::Programme { provider_id: body.provider_id }, "programme")?;
    body.validate()?;
    let definition = body.definition.clone().unwrap_or_else(|| serde_json::json!({}));
    if !definition.is_object() {
        return Err(ApiError::field("invalid_definition", "definition", "the definition must be a JSON object"));
    }
    let programme = state
        .db
        .tx(move |conn| {
            super::organisations::require_org_kind(conn, body.provider_id, OrganisationKind::Provider, "provider_id")?;
            let now = crate::now();
            let row = ProgrammeRow {
                id: new_id(),
                name: body.name.trim().to_owned(),
                provider_id: body.provider_id.to_string(),
                definition: definition.to_string(),
                created_at: now,
                updated_at: now,
            };
            diesel::insert_into(programmes::table).values(&row).execute(conn)?;
            row.to_wire()
        })
        .await?;
    Ok(HttpResponse::Created().json(programme))
}

#[utoipa::path(operation_id = "get_programme", tag = "programmes", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Programme), ReadErrors))]
#[get("/programmes/{id}")]
pub async fn get_programme(state: State, caller: Caller, id: Path<Uuid>) -> Result<Json<Programme>, ApiError> {
    let id = id.into_inner();
    let programme = state
        .db
        .run(move |conn| {
            let row: ProgrammeRow = programmes::table
                .find(id.to_string())
                .select(ProgrammeRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| ApiError::not_found("programme"))?;
            require(
                &caller,
                Action::Read,
                &Resource::Programme { provider_id: crate::facts::uuid(&row.provider_id)? },
                "programme",
            )?;
            row.to_wire()
        })
        .await?;
    Ok(Json(programme))
}
