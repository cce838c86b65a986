//! Accounts as their managers see them: the roles in the manager's care, deactivation (which
//! ends every sign-in at once) and taking a role away.

use actix_web::{HttpResponse, delete, get, post, web::Json, web::Path, web::Query};
use trellis_domain::ids::{UserId, UserRoleId};
use trellis_wire::{ListParams, User, UserPage, UserQuery};

use super::actor;
use crate::auth::Bearer;
use crate::auth::Caller;
use crate::db::allowed::{self, Allowed, ManagedUser, account};
use crate::db::facts::{opt_uuid, uuid};
use crate::db::roles::RoleRow;
use crate::db::users::UserRow;
use crate::db::{DbConn, audit, roles, sign_ins, users};
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State, WriteErrors};

fn to_wire<'a>(row: &UserRow, roles: impl Iterator<Item = &'a RoleRow>) -> Result<User, ApiError> {
    Ok(User {
        id: uuid(&row.id)?,
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        person_id: opt_uuid(row.person_id.as_deref())?,
        roles: roles.map(RoleRow::to_wire).collect::<Result<_, _>>()?,
        deactivated_at: row.deactivated_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
    })
}

/// The accounts holding a role in the caller's care (trust admins: their trust and its schools;
/// school leads: their school; facilitators: their provider), each with those roles only.
#[utoipa::path(
    operation_id = "list_users",
    tag = "accounts",
    security(("bearer" = [])),
    params(UserQuery),
    responses((status = 200, body = UserPage), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/users")]
pub async fn list_users(state: State, caller: Bearer, query: Query<UserQuery>) -> Result<Json<UserPage>, ApiError> {
    let query = query.into_inner();
    if query.q.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::bad_param("invalid_query", "q", "q is at most 100 characters"));
    }
    let page =
        PageRequest::parse(&ListParams { limit: query.limit, cursor: query.cursor.clone(), updated_since: None })?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::account_scope(&caller)?;
            let rows = users::list(conn, &scope, query.q.as_deref(), &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let all = roles::of_users(conn, &ids)?;
            let mut items = Vec::with_capacity(rows.len());
            for row in &rows {
                let mut mine = vec![];
                for r in all.iter().filter(|r| r.user_id == row.id) {
                    if allowed::may_see_role(&caller, r)? {
                        mine.push(r);
                    }
                }
                items.push(to_wire(row, mine.into_iter())?);
            }
            Ok(UserPage { items, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}

#[utoipa::path(
    operation_id = "get_user",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = User), ReadErrors)
)]
#[get("/users/{id}")]
pub async fn get_user(state: State, caller: Bearer, id: Path<UserId>) -> Result<Json<User>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let user = allowed::user::<account::Read>(conn, &caller, id)?;
            to_wire(&user.row, user.visible_roles())
        })
        .await?;
    Ok(Json(out))
}

fn set_active(
    conn: &mut DbConn,
    caller: &Caller,
    user: &Allowed<ManagedUser, account::Manage>,
    active: bool,
    now: chrono::NaiveDateTime,
) -> Result<User, ApiError> {
    if !user.manages_all() {
        return Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            "roles_outside_your_care",
            "this account also holds roles you do not manage; take away the roles you manage instead",
        ));
    }
    let by = actor(caller);
    if active {
        users::set_deactivated(conn, &user.row.id, None, now)?;
    } else {
        if by.as_deref() == Some(user.row.id.as_str()) {
            return Err(ApiError::conflict("cannot_deactivate_self", "you cannot deactivate your own account"));
        }
        users::set_deactivated(conn, &user.row.id, Some(now), now)?;
        sign_ins::revoke_all_of_user(conn, &user.row.id, now)?;
    }
    let first = user.roles.first();
    audit::record(
        conn,
        &audit::Event {
            actor_user_id: by.as_deref(),
            action: if active { "user.reactivated" } else { "user.deactivated" },
            subject_kind: "user",
            subject_id: &user.row.id,
            organisation_id: first.and_then(|r| r.organisation_id.as_deref()),
            school_id: first.and_then(|r| r.school_id.as_deref()),
            detail: serde_json::json!({"email": user.row.email}),
        },
        now,
    )?;
    let row = users::find(conn, &user.row.id)?.ok_or_else(|| ApiError::not_found("user"))?;
    to_wire(&row, user.visible_roles())
}

/// Deactivates the account: it cannot sign in, and every token it holds stops working at once.
/// Only for a manager of every role the account holds.
#[utoipa::path(
    operation_id = "deactivate_user",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = User), WriteErrors)
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate_user(state: State, caller: Bearer, id: Path<UserId>) -> Result<Json<User>, ApiError> {
    let (clock, id) = (state.clock, id.into_inner());
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let user = allowed::user::<account::Manage>(conn, &caller, id)?;
            set_active(conn, &caller, &user, false, clock.now())
        })
        .await?;
    Ok(Json(out))
}

/// Lets a deactivated account sign in again (with its old password).
#[utoipa::path(
    operation_id = "reactivate_user",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = User), WriteErrors)
)]
#[post("/users/{id}/reactivate")]
pub async fn reactivate_user(state: State, caller: Bearer, id: Path<UserId>) -> Result<Json<User>, ApiError> {
    let (clock, id) = (state.clock, id.into_inner());
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let user = allowed::user::<account::Manage>(conn, &caller, id)?;
            set_active(conn, &caller, &user, true, clock.now())
        })
        .await?;
    Ok(Json(out))
}

/// Takes one role away. A sign-in acting in that role ends at its next request.
#[utoipa::path(
    operation_id = "delete_user_role",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("role_id" = Uuid, Path)),
    responses((status = 204, description = "Taken away"), WriteErrors)
)]
#[delete("/users/{id}/roles/{role_id}")]
pub async fn delete_user_role(
    state: State,
    caller: Bearer,
    path: Path<(UserId, UserRoleId)>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let (id, role_id) = path.into_inner();
    state
        .db
        .tx_as(caller, move |conn, caller| {
            let user = allowed::user::<account::Manage>(conn, &caller, id)?;
            let role_id = role_id.to_string();
            let Some(i) = user.roles.iter().position(|r| r.id == role_id) else {
                return Err(ApiError::not_found("role"));
            };
            if !user.manageable[i] {
                return Err(ApiError::not_found("role"));
            }
            let role = &user.roles[i];
            let now = clock.now();
            roles::revoke(conn, &role.id, now)?;
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: actor(&caller).as_deref(),
                    action: "role.revoked",
                    subject_kind: "user",
                    subject_id: &user.row.id,
                    organisation_id: role.organisation_id.as_deref(),
                    school_id: role.school_id.as_deref(),
                    detail: serde_json::json!({"role": role.role, "role_id": role.id}),
                },
                now,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
