use actix_web::{get, web::Json};
use trellis_wire::Health;

use crate::error::ApiError;
use crate::routes::State;

/// Service status, version and database backend. Checks the database answers.
#[utoipa::path(
    operation_id = "get_health",
    tag = "service",
    responses((status = 200, body = Health), (status = 503, body = trellis_wire::Problem, content_type = "application/problem+json"))
)]
#[get("/health")]
pub async fn get_health(state: State) -> Result<Json<Health>, ApiError> {
    state
        .db
        .run(|conn| {
            crate::db::ping(conn).map_err(|e| {
                let mut err = ApiError::internal(e);
                err.status = actix_web::http::StatusCode::SERVICE_UNAVAILABLE;
                err
            })
        })
        .await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        backend: state.db.backend.as_str().into(),
    }))
}
