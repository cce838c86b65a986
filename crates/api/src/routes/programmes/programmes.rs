use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use trellis_wire::{CreateProgramme, Definition, FieldError, ListParams, OrganisationKind, Programme, ProgrammePage};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::db::allowed::{self, programme};
use crate::db::models::ProgrammeRow;
use crate::db::programmes;
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};
use crate::routes::{ReadErrors, State, WriteErrors};

/// Programmes: the catalogue every signed-in caller may read.
#[utoipa::path(operation_id = "list_programmes", tag = "programmes", security(("bearer" = [])), params(ListParams), responses((status = 200, body = ProgrammePage), ReadErrors))]
#[get("/programmes")]
pub async fn list_programmes(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<ProgrammePage>, ApiError> {
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let catalogue = allowed::catalogue(&caller, "programme")?;
            let page = PageRequest::parse(&params)?;
            let rows = programmes::list(conn, &catalogue, &page)?;
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
    caller: Bearer,
    body: Json<CreateProgramme>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let body = body.into_inner();
    let programme = state
        .db
        .tx_as(caller, move |conn, caller| {
            let provider = allowed::new_programme(&caller, body.provider_id.into())?;
            body.validate()?;
            let (definition, preset_key) = match (body.preset.as_deref(), body.definition.clone()) {
                (Some(_), Some(_)) => {
                    return Err(ApiError::field(
                        "preset_and_definition",
                        "definition",
                        "give a preset or a definition, not both",
                    ));
                }
                (None, None) => {
                    return Err(ApiError::field(
                        "definition_required",
                        "definition",
                        "give a preset key or a definition",
                    ));
                }
                (Some(key), None) => match trellis_domain::rules::preset(key) {
                    Some(p) => (p.definition, Some(p.key)),
                    None => {
                        return Err(ApiError::field(
                            "unknown_preset",
                            "preset",
                            format!("no preset {key:?}; see /programme-presets"),
                        ));
                    }
                },
                (None, Some(json)) => (parse_definition(json)?, None),
            };
            let definition = serde_json::to_string(&definition).map_err(ApiError::internal)?;
            crate::db::organisations::require_org_kind(
                conn,
                body.provider_id,
                OrganisationKind::Provider,
                "provider_id",
            )?;
            let now = clock.now();
            let row = ProgrammeRow {
                id: new_id(),
                name: body.name.trim().to_owned(),
                provider_id: body.provider_id.to_string(),
                definition,
                created_at: now,
                updated_at: now,
                preset_key,
            };
            programmes::insert(conn, &provider, &row)?;
            row.to_wire()
        })
        .await?;
    Ok(HttpResponse::Created().json(programme))
}

#[utoipa::path(operation_id = "get_programme", tag = "programmes", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 200, body = Programme), ReadErrors))]
#[get("/programmes/{id}")]
pub async fn get_programme(state: State, caller: Bearer, id: Path<Uuid>) -> Result<Json<Programme>, ApiError> {
    let id = id.into_inner();
    let programme = state
        .db
        .run_as(caller, move |conn, caller| {
            let row = allowed::programme::<programme::Read>(conn, &caller, id.into())?;
            row.to_wire()
        })
        .await?;
    Ok(Json(programme))
}

/// Reads a definition, reporting every problem at its JSON path: a shape error (unknown field,
/// unknown session kind, negative count) at the first place it occurs, then every contradiction.
pub fn parse_definition(json: serde_json::Value) -> Result<Definition, ApiError> {
    let fault = |path: String, code: &str, message: String| FieldError {
        field: format!("definition{}", path.trim_start_matches('$')),
        code: code.into(),
        message,
    };
    let definition: Definition = serde_path_to_error::deserialize(json).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "$".to_owned() } else { format!("$.{path}") };
        let message = e.into_inner().to_string();
        ApiError::invalid("invalid_definition", vec![fault(path, "invalid", message)])
    })?;
    let faults = definition.faults();
    if !faults.is_empty() {
        return Err(ApiError::invalid(
            "invalid_definition",
            faults.into_iter().map(|f| fault(f.path, &f.code, f.message)).collect(),
        ));
    }
    Ok(definition)
}
