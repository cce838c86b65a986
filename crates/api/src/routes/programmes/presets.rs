//! The built-in programme definitions.

use actix_web::{get, web::Json};
use trellis_domain::rules;
use trellis_wire::PresetList;

use crate::auth::Bearer;
use crate::error::ApiError;
use crate::routes::{ReadErrors, State};

/// The built-in programme definitions, each from a real programme description.
#[utoipa::path(operation_id = "list_programme_presets", tag = "programmes", security(("bearer" = [])), responses((status = 200, body = PresetList), ReadErrors))]
#[get("/programme-presets")]
pub async fn list_programme_presets(state: State, caller: Bearer) -> Result<Json<PresetList>, ApiError> {
    state
        .db
        .run_as(caller, move |_, caller| {
            crate::db::allowed::directory::<crate::db::allowed::directory::Read>(&caller, "preset")?;
            Ok(Json(PresetList { items: rules::presets() }))
        })
        .await
}
