//! `/webhooks`: a machine client's subscriptions. The signing secret is shown once, when the
//! subscription is made.

use actix_web::{HttpResponse, delete, get, patch, post, web::Json, web::Path, web::Query};
use trellis_domain::Principal;
use trellis_domain::ids::WebhookId;
use trellis_domain::webhook::EventType;
use trellis_wire::{
    CreateWebhookSubscription, FieldError, ListParams, UpdateWebhookSubscription, WebhookSubscription,
    WebhookSubscriptionPage, WebhookSubscriptionSecret, WebhookSubscriptionStatus,
};
use validator::Validate;

use crate::auth::{Bearer, Caller};
use crate::db::allowed;
use crate::db::facts::uuid;
use crate::db::webhooks::{self, Change, NewSubscription, SubscriptionRow};
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State, WriteErrors};

pub(super) fn to_wire(r: &SubscriptionRow) -> Result<WebhookSubscription, ApiError> {
    Ok(WebhookSubscription {
        id: uuid(&r.id)?,
        url: r.url.clone(),
        description: r.description.clone(),
        events: r.event_types(),
        status: r.status.parse::<WebhookSubscriptionStatus>().map_err(ApiError::internal)?,
        disabled_reason: r.disabled_reason.clone(),
        consecutive_failures: r.consecutive_failures,
        failing_since: r.failing_since.map(|t| t.and_utc()),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

/// The faults of a subscription's address and events: refused addresses, repeated event types,
/// and event types the calling token's scopes do not cover.
fn check(caller: &Caller, url: Option<&str>, events: Option<&[EventType]>, allow_private: bool) -> Vec<FieldError> {
    let mut errors = vec![];
    if let Some(url) = url
        && let Err(why) = crate::webhooks::check_url(url, allow_private)
    {
        errors.push(FieldError { field: "url".into(), code: "webhook_url_refused".into(), message: why });
    }
    let scopes = match &caller.principal {
        Principal::Client(c) => c.scopes.clone(),
        Principal::User(_) => vec![],
    };
    for (i, e) in events.unwrap_or_default().iter().enumerate() {
        if events.unwrap_or_default()[..i].contains(e) {
            errors.push(FieldError {
                field: format!("events[{i}]"),
                code: "duplicate_event_type".into(),
                message: format!("{e} is listed twice"),
            });
        } else if *e != EventType::WebhookTest && !scopes.contains(&e.scope()) {
            errors.push(FieldError {
                field: format!("events[{i}]"),
                code: "event_outside_scope".into(),
                message: format!("{e} needs the {} scope", e.scope()),
            });
        }
    }
    errors
}

fn refuse(mut errors: Vec<FieldError>, validation: Result<(), validator::ValidationErrors>) -> Result<(), ApiError> {
    if let Err(e) = validation {
        errors.splice(0..0, ApiError::from(e).errors);
    }
    match errors.first() {
        None => Ok(()),
        Some(first) => {
            let code = match first.code.as_str() {
                "webhook_url_refused" => "webhook_url_refused",
                "duplicate_event_type" => "duplicate_event_type",
                "event_outside_scope" => "event_outside_scope",
                _ => "validation_failed",
            };
            Err(ApiError::invalid(code, errors))
        }
    }
}

/// Subscribes an endpoint to event types, for the calling machine client. Each event is sent to
/// every subscription of every client that may read what it is about (the client's schools, its
/// scopes), signed the Standard Webhooks way with the secret in the answer: store it now, it is
/// not shown again.
#[utoipa::path(
    operation_id = "create_webhook_subscription",
    tag = "webhooks",
    security(("bearer" = [])),
    responses((status = 201, body = WebhookSubscriptionSecret), WriteErrors)
)]
#[post("/webhooks")]
pub async fn create_webhook_subscription(
    state: State,
    caller: Bearer,
    body: Json<CreateWebhookSubscription>,
) -> Result<HttpResponse, ApiError> {
    let (clock, allow_private) = (state.clock, state.webhooks.allow_private);
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let owner = allowed::webhook_owner(&caller)?;
            refuse(check(&caller, Some(&body.url), Some(&body.events), allow_private), body.validate())?;
            let secret = crate::webhooks::new_secret();
            let now = clock.now();
            let id = webhooks::insert(
                conn,
                &NewSubscription {
                    client_id: &owner.to_string(),
                    url: body.url.trim(),
                    description: body.description.trim(),
                    events: &body.events,
                    secret: &secret,
                },
                now,
            )?;
            let row = webhooks::find(conn, &id)?.ok_or_else(|| ApiError::internal("subscription vanished"))?;
            Ok(WebhookSubscriptionSecret { subscription: to_wire(&row)?, secret })
        })
        .await?;
    let location = format!("/api/v1/webhooks/{}", out.subscription.id);
    Ok(HttpResponse::Created()
        .insert_header(("Location", location))
        .insert_header(("Cache-Control", "no-store"))
        .json(out))
}

/// The calling client's subscriptions, oldest first.
#[utoipa::path(
    operation_id = "list_webhook_subscriptions",
    tag = "webhooks",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = WebhookSubscriptionPage), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/webhooks")]
pub async fn list_webhook_subscriptions(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<WebhookSubscriptionPage>, ApiError> {
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let owner = allowed::webhook_owner(&caller)?;
            let rows = webhooks::of_client(conn, &owner.to_string(), &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            Ok(WebhookSubscriptionPage {
                items: rows.iter().map(to_wire).collect::<Result<_, _>>()?,
                next_cursor: next,
            })
        })
        .await?;
    Ok(Json(out))
}

/// One of the calling client's subscriptions.
#[utoipa::path(
    operation_id = "get_webhook_subscription",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = WebhookSubscription), ReadErrors)
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook_subscription(
    state: State,
    caller: Bearer,
    id: Path<WebhookId>,
) -> Result<Json<WebhookSubscription>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| to_wire(&*allowed::webhook_subscription(conn, &caller, id)?))
        .await?;
    Ok(Json(out))
}

/// Changes a subscription's address, events or description, or switches it off or back on
/// (`enabled`). Switching it back on clears its failures, and what waited meanwhile goes out.
#[utoipa::path(
    operation_id = "update_webhook_subscription",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = WebhookSubscription), WriteErrors)
)]
#[patch("/webhooks/{id}")]
pub async fn update_webhook_subscription(
    state: State,
    caller: Bearer,
    id: Path<WebhookId>,
    body: Json<UpdateWebhookSubscription>,
) -> Result<Json<WebhookSubscription>, ApiError> {
    let (clock, allow_private, id) = (state.clock, state.webhooks.allow_private, id.into_inner());
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let sub = allowed::webhook_subscription(conn, &caller, id)?;
            refuse(check(&caller, body.url.as_deref(), body.events.as_deref(), allow_private), body.validate())?;
            let change = Change {
                url: body.url.as_deref().map(str::trim),
                description: body.description.as_deref().map(str::trim),
                events: body.events.as_deref(),
                enabled: body.enabled,
            };
            webhooks::update(conn, &sub, &change, clock.now())?;
            to_wire(&webhooks::find(conn, &sub.id)?.ok_or_else(|| ApiError::internal("subscription vanished"))?)
        })
        .await?;
    Ok(Json(out))
}

/// Deletes a subscription: nothing more is sent to it, and what was waiting is dropped.
#[utoipa::path(
    operation_id = "delete_webhook_subscription",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), WriteErrors)
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook_subscription(
    state: State,
    caller: Bearer,
    id: Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let (clock, id) = (state.clock, id.into_inner());
    state
        .db
        .tx_as(caller, move |conn, caller| {
            let sub = allowed::webhook_subscription(conn, &caller, id)?;
            webhooks::delete(conn, &sub, clock.now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
