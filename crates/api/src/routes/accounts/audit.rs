//! The audit trail of account changes, for those who manage the accounts concerned.

use actix_web::{get, web::Json, web::Query};
use trellis_wire::{AuditEvent, AuditEventPage, ListParams};

use crate::auth::Bearer;
use crate::db::allowed;
use crate::db::audit;
use crate::db::facts::{opt_uuid, uuid};
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{ReadErrors, State};

/// Who changed what, when: invitations, roles, deactivations, password changes and machine
/// clients, oldest first. Platform admins see every event; trust admins those of their trust and
/// its schools; school leads their school's; facilitators their provider's.
#[utoipa::path(
    operation_id = "list_audit_events",
    tag = "accounts",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = AuditEventPage), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<AuditEventPage>, ApiError> {
    let page = PageRequest::parse(&params)?;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::account_scope(&caller)?;
            let rows = audit::list(conn, &scope, &page)?;
            let (rows, next) = page.finish(rows, |r| &r.0);
            let items = rows
                .into_iter()
                .map(|(id, at, actor, action, kind, subject, detail)| {
                    Ok(AuditEvent {
                        id: uuid(&id)?,
                        at: at.and_utc(),
                        actor_user_id: opt_uuid(actor.as_deref())?,
                        action,
                        subject_kind: kind,
                        subject_id: uuid(&subject)?,
                        detail: serde_json::from_str(&detail).map_err(ApiError::internal)?,
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            Ok(AuditEventPage { items, next_cursor: next })
        })
        .await?;
    Ok(Json(out))
}
