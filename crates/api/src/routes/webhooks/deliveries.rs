//! `/webhooks/{id}/deliveries`: what was sent to a subscription, each attempt, replays, and a test
//! message on demand.

use actix_web::{HttpResponse, get, post, web::Json, web::Path, web::Query};
use trellis_domain::ids::{WebhookDeliveryId, WebhookId};
use trellis_domain::webhook::EventType;
use trellis_wire::{
    ListParams, WebhookAttempt, WebhookDelivery, WebhookDeliveryDetail, WebhookDeliveryPage, WebhookDeliveryStatus,
};

use crate::auth::Bearer;
use crate::db::allowed;
use crate::db::facts::uuid;
use crate::db::webhooks::{self, DeliveryRow};
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State, WriteErrors};

fn to_wire(r: &DeliveryRow) -> Result<WebhookDelivery, ApiError> {
    let status: WebhookDeliveryStatus = r.status.parse().map_err(ApiError::internal)?;
    Ok(WebhookDelivery {
        id: uuid(&r.id)?,
        event_id: r.event_id.clone(),
        event_type: r.event_type.parse().map_err(ApiError::internal)?,
        next_attempt_at: (status == WebhookDeliveryStatus::Pending).then(|| r.next_attempt_at.and_utc()),
        status,
        attempts: r.attempts,
        created_at: r.created_at.and_utc(),
        delivered_at: r.delivered_at.map(|t| t.and_utc()),
        last_status_code: r.last_status_code,
        last_error: r.last_error.clone(),
    })
}

fn detail(conn: &mut crate::db::DbConn, sub: &str, id: &str) -> Result<WebhookDeliveryDetail, ApiError> {
    let (row, payload) = webhooks::delivery(conn, sub, id)?.ok_or_else(|| ApiError::not_found("webhook delivery"))?;
    let attempts = webhooks::attempts(conn, &row.id)?
        .into_iter()
        .map(|(at, outcome, status_code, detail, duration_ms)| WebhookAttempt {
            at: at.and_utc(),
            delivered: outcome == "delivered",
            status_code,
            detail,
            duration_ms,
        })
        .collect();
    Ok(WebhookDeliveryDetail {
        delivery: to_wire(&row)?,
        payload: serde_json::from_str(&payload).map_err(ApiError::internal)?,
        attempts,
    })
}

/// Sends the subscription a `webhook.test` message now (whatever its events), to check the
/// endpoint and its signature verification. Answers with the delivery to follow in the log.
#[utoipa::path(
    operation_id = "create_webhook_test_event",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 202, body = WebhookDelivery), WriteErrors)
)]
#[post("/webhooks/{id}/test")]
pub async fn create_webhook_test_event(
    state: State,
    caller: Bearer,
    id: Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let (clock, id) = (state.clock, id.into_inner());
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let sub = allowed::webhook_subscription(conn, &caller, id)?;
            let now = clock.now();
            let data =
                serde_json::json!({ "subscription_id": sub.id, "message": "This is a test message from Trellis." });
            let event = webhooks::write_event(conn, EventType::WebhookTest, data, std::slice::from_ref(&sub.id), now)?;
            let page = PageRequest { limit: 1, after: None, updated_since: None };
            let row = webhooks::deliveries(conn, &sub.id, &page)?
                .into_iter()
                .find(|d| d.event_id == event)
                .ok_or_else(|| ApiError::internal("delivery vanished"))?;
            to_wire(&row)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(out))
}

/// What was sent (or waits to be sent) to the subscription, newest first.
#[utoipa::path(
    operation_id = "list_webhook_deliveries",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ListParams),
    responses((status = 200, body = WebhookDeliveryPage), ReadErrors)
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: State,
    caller: Bearer,
    id: Path<WebhookId>,
    params: Query<ListParams>,
) -> Result<Json<WebhookDeliveryPage>, ApiError> {
    let page = PageRequest::parse(&params)?;
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let sub = allowed::webhook_subscription(conn, &caller, id)?;
            let rows = webhooks::deliveries(conn, &sub.id, &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            Ok(WebhookDeliveryPage { items: rows.iter().map(to_wire).collect::<Result<_, _>>()?, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}

/// One delivery, with the exact body sent and every attempt.
#[utoipa::path(
    operation_id = "get_webhook_delivery",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("delivery_id" = Uuid, Path)),
    responses((status = 200, body = WebhookDeliveryDetail), ReadErrors)
)]
#[get("/webhooks/{id}/deliveries/{delivery_id}")]
pub async fn get_webhook_delivery(
    state: State,
    caller: Bearer,
    path: Path<(WebhookId, WebhookDeliveryId)>,
) -> Result<Json<WebhookDeliveryDetail>, ApiError> {
    let (id, delivery) = path.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let sub = allowed::webhook_subscription(conn, &caller, id)?;
            detail(conn, &sub.id, &delivery.to_string())
        })
        .await?;
    Ok(Json(out))
}

/// Sends a delivery again, now, with the same `webhook-id` (receivers that already handled it can
/// tell), and a fresh set of retries. A delivery still waiting for an attempt cannot be replayed.
#[utoipa::path(
    operation_id = "replay_webhook_delivery",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("delivery_id" = Uuid, Path)),
    responses((status = 202, body = WebhookDeliveryDetail), WriteErrors)
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/replay")]
pub async fn replay_webhook_delivery(
    state: State,
    caller: Bearer,
    path: Path<(WebhookId, WebhookDeliveryId)>,
) -> Result<HttpResponse, ApiError> {
    let (clock, (id, delivery)) = (state.clock, path.into_inner());
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let sub = allowed::webhook_subscription(conn, &caller, id)?;
            let (row, _) = webhooks::delivery(conn, &sub.id, &delivery.to_string())?
                .ok_or_else(|| ApiError::not_found("webhook delivery"))?;
            if row.status == "pending" {
                return Err(ApiError::conflict("delivery_pending", "this delivery is waiting for an attempt already"));
            }
            webhooks::replay(conn, &row, clock.now())?;
            detail(conn, &sub.id, &row.id)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(out))
}
