//! Machine clients, registered by the trust admins and school leads they act for: the secret is
//! shown once (at registration and at each rotation); revoking stops the client at once.

use actix_web::{HttpResponse, delete, get, post, web::Json, web::Path, web::Query};
use trellis_domain::Principal;
use trellis_domain::ids::ClientId;
use trellis_wire::{
    ClientUsage, ClientUsageDay, ClientUsageParams, CreateMachineClient, ListParams, MachineClient, MachineClientPage,
    MachineClientSecret,
};
use validator::Validate;

use super::actor;
use crate::auth::{self, Bearer};
use crate::db::allowed::{self, Allowed, ManageClient};
use crate::db::audit;
use crate::db::clients::{self, ClientRecord, NewClient};
use crate::db::facts::{opt_uuid, uuid};
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State, WriteErrors};

fn to_wire(r: &ClientRecord, default_limit: u32) -> Result<MachineClient, ApiError> {
    Ok(MachineClient {
        id: uuid(&r.id)?,
        client_id: r.client_id.clone(),
        name: r.name.clone(),
        scopes: auth::parse_scopes(&r.scopes).map_err(ApiError::internal)?,
        trust_id: opt_uuid(r.trust_id.as_deref())?,
        school_ids: r.school_ids.iter().map(|s| uuid(s)).collect::<Result<_, _>>()?,
        created_at: r.created_at.and_utc(),
        secret_rotated_at: r.secret_rotated_at.map(|t| t.and_utc()),
        last_used_at: r.last_used_at.map(|t| t.and_utc()),
        revoked_at: r.revoked_at.map(|t| t.and_utc()),
        rate_limit_per_minute: r.rate_limit_per_minute.and_then(|l| u32::try_from(l).ok()).unwrap_or(default_limit),
    })
}

fn event(
    conn: &mut crate::db::DbConn,
    caller: &crate::auth::Caller,
    action: &str,
    r: &ClientRecord,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    audit::record(
        conn,
        &audit::Event {
            actor_user_id: actor(caller).as_deref(),
            action,
            subject_kind: "client",
            subject_id: &r.id,
            organisation_id: r.trust_id.as_deref(),
            school_id: r.school_ids.first().map(String::as_str),
            detail: serde_json::json!({"client_id": r.client_id, "name": r.name, "scopes": r.scopes}),
        },
        now,
    )
}

/// Registers a machine client for the caller's trust (every school in it) or for some of the
/// schools they lead, with the scopes it may ask for. The answer holds the secret: it is not
/// shown again.
#[utoipa::path(
    operation_id = "create_machine_client",
    tag = "accounts",
    security(("bearer" = [])),
    responses((status = 201, body = MachineClientSecret), WriteErrors)
)]
#[post("/clients")]
pub async fn create_machine_client(
    state: State,
    caller: Bearer,
    body: Json<CreateMachineClient>,
) -> Result<HttpResponse, ApiError> {
    let (clock, default_limit) = (state.clock, state.client_rate_limit);
    let body = body.into_inner();
    let secret = auth::random_token();
    let secret_hash = {
        let s = secret.clone();
        actix_web::web::block(move || auth::hash_password(&s)).await.map_err(ApiError::internal)??
    };
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            body.validate()?;
            let schools: Vec<_> = body.school_ids.iter().map(|s| (*s).into()).collect();
            let context = allowed::new_machine_client(conn, &caller, body.trust_id.map(Into::into), &schools)?;
            let now = clock.now();
            let client_id = format!("trellis-{}", &uuid::Uuid::new_v4().simple().to_string()[..16]);
            let trust = context.0.map(|t| t.to_string());
            let school_ids: Vec<String> = context.1.iter().map(|s| s.to_string()).collect();
            let by = actor(&caller);
            let id = clients::insert(
                conn,
                &NewClient {
                    client_id: &client_id,
                    secret_hash: &secret_hash,
                    name: body.name.trim(),
                    scopes: &auth::format_scopes(&body.scopes),
                    trust_id: trust.as_deref(),
                    school_ids: &school_ids,
                    created_by: by.as_deref(),
                    rate_limit_per_minute: body.rate_limit_per_minute.and_then(|l| i32::try_from(l).ok()),
                },
                now,
            )?;
            let record = clients::find(conn, &id)?.ok_or_else(|| ApiError::internal("client vanished"))?;
            event(conn, &caller, "client.created", &record, now)?;
            Ok(MachineClientSecret { client: to_wire(&record, default_limit)?, client_secret: secret })
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(out))
}

/// The clients the caller manages, with when each last took a token.
#[utoipa::path(
    operation_id = "list_machine_clients",
    tag = "accounts",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = MachineClientPage), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/clients")]
pub async fn list_machine_clients(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<MachineClientPage>, ApiError> {
    let page = PageRequest::parse(&params)?;
    let default_limit = state.client_rate_limit;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let Principal::User(u) = &caller.principal else { return Err(ApiError::forbidden()) };
            let (trusts, schools): (Option<Vec<String>>, Vec<String>) = match u.role {
                trellis_domain::Role::PlatformAdmin => (None, vec![]),
                trellis_domain::Role::TrustAdmin => {
                    (Some(u.organisation_id.map(|o| o.to_string()).into_iter().collect()), vec![])
                }
                trellis_domain::Role::SchoolLead => {
                    (Some(vec![]), u.school_id.map(|s| s.to_string()).into_iter().collect())
                }
                _ => return Err(ApiError::forbidden()),
            };
            let candidates = clients::candidates(conn, trusts.as_deref(), &schools)?;
            let mut mine: Vec<Allowed<ClientRecord, ManageClient>> =
                allowed::manageable_clients(conn, &caller, candidates)?;
            if let Some(after) = &page.after {
                mine.retain(|c| c.id.as_str() > after.as_str());
            }
            let (rows, next) = page.finish(mine, |r| &r.id);
            Ok(MachineClientPage {
                items: rows.iter().map(|r| to_wire(r, default_limit)).collect::<Result<_, _>>()?,
                next_cursor: next,
            })
        })
        .await?;
    Ok(Json(out))
}

/// Replaces the client's secret; the old one stops working at once. The answer holds the new
/// secret: it is not shown again.
#[utoipa::path(
    operation_id = "rotate_machine_client_secret",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MachineClientSecret), WriteErrors)
)]
#[post("/clients/{id}/rotate")]
pub async fn rotate_machine_client_secret(
    state: State,
    caller: Bearer,
    id: Path<ClientId>,
) -> Result<HttpResponse, ApiError> {
    let (clock, id, default_limit) = (state.clock, id.into_inner(), state.client_rate_limit);
    let secret = auth::random_token();
    let secret_hash = {
        let s = secret.clone();
        actix_web::web::block(move || auth::hash_password(&s)).await.map_err(ApiError::internal)??
    };
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let client = allowed::machine_client(conn, &caller, id)?;
            if client.revoked_at.is_some() {
                return Err(ApiError::conflict("client_revoked", "this client is revoked; register a new one"));
            }
            let now = clock.now();
            clients::rotate(conn, &client, &secret_hash, now)?;
            event(conn, &caller, "client.secret_rotated", &client, now)?;
            let record = clients::find(conn, &client.id)?.ok_or_else(|| ApiError::internal("client vanished"))?;
            Ok(MachineClientSecret { client: to_wire(&record, default_limit)?, client_secret: secret })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(out))
}

/// Revokes the client: it can take no more tokens, and those it holds stop working at once.
#[utoipa::path(
    operation_id = "delete_machine_client",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Revoked"), WriteErrors)
)]
#[delete("/clients/{id}")]
pub async fn delete_machine_client(state: State, caller: Bearer, id: Path<ClientId>) -> Result<HttpResponse, ApiError> {
    let (clock, id) = (state.clock, id.into_inner());
    state
        .db
        .tx_as(caller, move |conn, caller| {
            let client = allowed::machine_client(conn, &caller, id)?;
            let now = clock.now();
            clients::revoke(conn, &client, now)?;
            event(conn, &caller, "client.revoked", &client, now)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What the client has asked of the API: its limit, this minute's requests, and its requests (and
/// those refused for going over the limit) each day.
#[utoipa::path(
    operation_id = "get_machine_client_usage",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ClientUsageParams),
    responses((status = 200, body = ClientUsage), ReadErrors)
)]
#[get("/clients/{id}/usage")]
pub async fn get_machine_client_usage(
    state: State,
    caller: Bearer,
    id: Path<ClientId>,
    params: Query<ClientUsageParams>,
) -> Result<Json<ClientUsage>, ApiError> {
    let days = params.days.unwrap_or(30);
    if !(1..=90).contains(&days) {
        return Err(ApiError::bad_param("invalid_query", "days", "days is 1 to 90"));
    }
    let (clock, id, default_limit) = (state.clock, id.into_inner(), state.client_rate_limit);
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let client = allowed::machine_client(conn, &caller, id)?;
            let (rows, this_minute) = crate::db::usage::of_client(conn, &client, clock.now(), days)?;
            let count = |n: i32| u32::try_from(n).unwrap_or(0);
            Ok(ClientUsage {
                rate_limit_per_minute: to_wire(&client, default_limit)?.rate_limit_per_minute,
                this_minute: count(this_minute),
                days: rows
                    .into_iter()
                    .map(|(day, requests, refused)| ClientUsageDay {
                        day,
                        requests: count(requests),
                        refused: count(refused),
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(Json(out))
}
