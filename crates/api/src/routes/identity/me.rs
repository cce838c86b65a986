//! `GET /me`: the caller as the API sees them.

use actix_web::{get, web::Json};
use trellis_domain::authz::Principal;
use trellis_wire::{Me, MeClient, MeUser};

use crate::auth::{Bearer, Caller};
use crate::db::facts::{opt_uuid, uuid};
use crate::db::roles::RoleRow;
use crate::db::{DbConn, clients, roles, sign_ins, users};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State};

/// The caller again, after their session switched role.
pub(super) fn reload(conn: &mut DbConn, session_id: &str, user_id: &str) -> Result<(String, RoleRow), ApiError> {
    let role_id = sign_ins::role_of(conn, session_id)?;
    let role = roles::of_user(conn, user_id)?
        .into_iter()
        .find(|r| r.id == role_id)
        .ok_or_else(|| ApiError::internal("the session's role vanished"))?;
    Ok((user_id.to_owned(), role))
}

/// The user behind `(user id, active role)`.
pub(super) fn describe(conn: &mut DbConn, (user_id, active): &(String, RoleRow)) -> Result<Me, ApiError> {
    let id = uuid(user_id)?;
    let (email, display_name) = users::profile(conn, id)?;
    let person = users::find(conn, user_id)?.and_then(|u| u.person_id);
    let all = roles::of_user(conn, user_id)?;
    Ok(Me::User(MeUser {
        user_id: id.into(),
        email,
        display_name,
        role: active.role()?,
        role_id: uuid(&active.id)?,
        person_id: opt_uuid(person.as_deref())?,
        organisation_id: opt_uuid(active.organisation_id.as_deref())?,
        school_id: opt_uuid(active.school_id.as_deref())?,
        roles: all.iter().map(RoleRow::to_wire).collect::<Result<_, _>>()?,
    }))
}

fn current(conn: &mut DbConn, caller: &Caller) -> Result<Me, ApiError> {
    match &caller.principal {
        Principal::User(u) => {
            let sid = caller.session_id.ok_or_else(|| ApiError::internal("a user token without a session"))?;
            let me = reload(conn, &sid.to_string(), &u.user_id.to_string())?;
            describe(conn, &me)
        }
        Principal::Client(c) => {
            let p = clients::profile(conn, c.client_id)?;
            Ok(Me::Client(MeClient {
                client_id: p.client_id,
                name: p.name,
                scopes: c.scopes.clone(),
                school_ids: p.school_ids,
                trust_id: p.trust_id,
            }))
        }
    }
}

/// Who the caller is: a user with the role this sign-in acts in (and every role they hold), or a
/// machine client with its scopes and schools.
#[utoipa::path(operation_id = "get_me", tag = "identity", security(("bearer" = [])), responses((status = 200, body = Me), ReadErrors))]
#[get("/me")]
pub async fn get_me(state: State, caller: Bearer) -> Result<Json<Me>, ApiError> {
    let me = state.db.run_as(caller, move |conn, caller| current(conn, &caller)).await?;
    Ok(Json(me))
}
