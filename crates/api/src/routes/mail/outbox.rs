//! `GET /outbox`: every message, newest first, with where it stands.

use actix_web::{get, web::Json, web::Query};
use trellis_wire::{ListParams, OutboxMessage, OutboxPage, OutboxStatus};

use crate::auth::Bearer;
use crate::db::allowed;
use crate::db::facts::uuid;
use crate::db::outbox;
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State};

/// The email outbox, newest first (platform admins). Bodies of messages that carry a sign-in
/// secret (password resets) are withheld.
#[utoipa::path(
    operation_id = "list_outbox",
    tag = "mail",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = OutboxPage), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/outbox")]
pub async fn list_outbox(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<OutboxPage>, ApiError> {
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let platform = allowed::platform(&caller)?;
            let rows = outbox::list(conn, &platform, &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            let items = rows
                .into_iter()
                .map(|r| {
                    let status: OutboxStatus = r.status.parse().map_err(ApiError::internal)?;
                    Ok(OutboxMessage {
                        id: uuid(&r.id)?,
                        kind: r.kind,
                        to: r.to_address,
                        subject: r.subject,
                        text_body: (!r.secret).then_some(r.text_body),
                        next_attempt_at: (status == OutboxStatus::Pending).then(|| r.next_attempt_at.and_utc()),
                        status,
                        attempts: r.attempts,
                        created_at: r.created_at.and_utc(),
                        sent_at: r.sent_at.map(|t| t.and_utc()),
                        last_error: r.last_error,
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            Ok(OutboxPage { items, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}
