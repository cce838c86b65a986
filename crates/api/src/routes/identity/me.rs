//! `GET /me`: the caller as the API sees them.

use actix_web::{get, web::Json};
use trellis_domain::authz::Principal;
use trellis_wire::{Me, MeClient, MeUser};

use crate::auth::Bearer;
use crate::db::{clients, users};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State};

/// Who the caller is: a user with their role and context, or a machine client with its scopes and schools.
#[utoipa::path(operation_id = "get_me", tag = "identity", security(("bearer" = [])), responses((status = 200, body = Me), ReadErrors))]
#[get("/me")]
pub async fn get_me(state: State, caller: Bearer) -> Result<Json<Me>, ApiError> {
    let me = state
        .db
        .run_as(caller, move |conn, caller| match caller.principal {
            Principal::User(u) => {
                let (email, display_name) = users::profile(conn, u.user_id)?;
                Ok(Me::User(MeUser {
                    user_id: u.user_id.into(),
                    email,
                    display_name,
                    role: u.role,
                    person_id: u.person_id.map(Into::into),
                    organisation_id: u.organisation_id.map(Into::into),
                    school_id: u.school_id.map(Into::into),
                }))
            }
            Principal::Client(c) => {
                let p = clients::profile(conn, c.client_id)?;
                Ok(Me::Client(MeClient {
                    client_id: p.client_id,
                    name: p.name,
                    scopes: c.scopes,
                    school_ids: p.school_ids,
                    trust_id: p.trust_id,
                }))
            }
        })
        .await?;
    Ok(Json(me))
}
