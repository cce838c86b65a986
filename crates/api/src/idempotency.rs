//! `Idempotency-Key` on every POST under `/api/v1`, with Stripe's semantics: the same key with the
//! same request gets the first answer again (`Idempotent-Replayed: true`), with a different
//! request 422 `idempotency_key_reused`, and while the first is still running 409
//! `idempotency_key_in_use` (with `Retry-After`). Keys belong to the caller that sent them (the
//! token's user or client) and are kept 24 hours.
//!
//! What is not stored: answers that carry a secret shown once (`/auth/*`, machine-client and webhook secrets,
//! calendar-feed tokens — the header is ignored there: repeating them is safe or refused by their
//! own rules), requests without a valid token (the handler answers 401), and answers a retry
//! should not inherit (401, 429, 5xx: the key is released and a retry runs afresh).
//!
//! A request is claimed before it runs and answered after its own transaction commits, so a
//! process that dies between the two leaves the key held for five minutes, after which a retry
//! runs again.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpResponse, ResponseError};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use crate::db::idempotency::{self, Answer, Claim};
use crate::error::ApiError;
use crate::state::AppState;

/// The header.
pub const HEADER: &str = "idempotency-key";
/// Longest body buffered to fingerprint a keyed request (the largest the API takes is a roster).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// POSTs whose answers hold a secret shown once: never stored.
pub fn exempt(path: &str) -> bool {
    path.starts_with("/api/v1/auth/")
        || path == "/api/v1/calendar-feeds"
        || path == "/api/v1/clients"
        || path == "/api/v1/webhooks"
        || (path.starts_with("/api/v1/clients/") && path.ends_with("/rotate"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn refuse(req: ServiceRequest, e: ApiError) -> ServiceResponse<BoxBody> {
    let res = e.error_response();
    req.into_response(res)
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let keyed = req.method() == Method::POST && req.path().starts_with("/api/v1/") && !exempt(req.path());
    let key = match req.headers().get(HEADER) {
        Some(v) if keyed => v.to_str().ok().map(str::to_owned).unwrap_or_default(),
        _ => return next.call(req).await.map(ServiceResponse::map_into_boxed_body),
    };
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        let e = ApiError::bad_param(
            "invalid_idempotency_key",
            "Idempotency-Key",
            "an Idempotency-Key is 1 to 255 visible ASCII characters (a UUID is a good choice)",
        );
        return Ok(refuse(req, e));
    }
    // Without a valid token there is no caller to scope the key to; the handler answers 401.
    let Ok(bearer) = crate::auth::bearer(req.request()) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let Some(state) = req.app_data::<Data<AppState>>().cloned() else {
        return Ok(refuse(req, ApiError::internal("application state missing")));
    };

    let mut body = Vec::new();
    let mut payload = std::mem::replace(req.parts_mut().1, Payload::None);
    while let Some(chunk) = payload.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => return Ok(refuse(req, ApiError::bad_request("malformed_json", e.to_string()))),
        };
        if body.len() + chunk.len() > MAX_BODY {
            let e = ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large");
            return Ok(refuse(req, e));
        }
        body.extend_from_slice(&chunk);
    }
    let mut print = Sha256::new();
    for part in [
        req.method().as_str(),
        req.path(),
        req.query_string(),
        req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or(""),
    ] {
        print.update(part.as_bytes());
        print.update([0]);
    }
    print.update(&body);
    let fingerprint = hex(&print.finalize());
    let key_hash = crate::auth::token_hash(&key);
    let caller = bearer.subject();
    let now = state.clock.now();

    let claimed = {
        let (caller, key_hash, fingerprint, bearer) = (caller.clone(), key_hash.clone(), fingerprint, bearer.clone());
        // The caller is resolved first, so a revoked session or client is refused rather than replayed to.
        state
            .db
            .tx(move |conn| {
                bearer.resolve(conn)?;
                idempotency::claim(conn, &caller, &key_hash, &fingerprint, now)
            })
            .await
    };
    match claimed {
        Err(e) => Ok(refuse(req, e)),
        Ok(Claim::Reused) => Ok(refuse(
            req,
            ApiError::field(
                "idempotency_key_reused",
                "Idempotency-Key",
                "this key was used for a different request in the last 24 hours: use a new key for a new request",
            ),
        )),
        Ok(Claim::InUse) => {
            let mut e = ApiError::conflict(
                "idempotency_key_in_use",
                "a request with this key is still running: retry once it has finished",
            );
            e.header = Some(Box::new(("Retry-After", "1".into())));
            Ok(refuse(req, e))
        }
        Ok(Claim::Replay(answer)) => {
            let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
            let mut res = HttpResponse::build(status);
            res.insert_header(("Idempotent-Replayed", "true"));
            if let Some(ct) = answer.content_type {
                res.insert_header(("content-type", ct));
            }
            if let Some(tag) = answer.etag {
                res.insert_header(("etag", tag));
            }
            if let Some(location) = answer.location {
                res.insert_header(("location", location));
            }
            let res = res.body(answer.body);
            Ok(req.into_response(res))
        }
        Ok(Claim::Run) => {
            req.set_payload(Payload::from(Bytes::from(body)));
            let res = match next.call(req).await {
                Ok(res) => res,
                Err(e) => {
                    let _ = state.db.tx(move |conn| idempotency::release(conn, &caller, &key_hash)).await;
                    return Err(e);
                }
            };
            let status = res.status();
            if status.is_server_error() || status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS
            {
                let _ = state.db.tx(move |conn| idempotency::release(conn, &caller, &key_hash)).await;
                return Ok(res.map_into_boxed_body());
            }
            let (http_req, res) = res.into_parts();
            let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let (content_type, etag, location) = (header("content-type"), header("etag"), header("location"));
            let (head, body) = res.into_parts();
            let bytes = match actix_web::body::to_bytes(body).await {
                Ok(b) => b,
                Err(_) => {
                    let _ = state.db.tx(move |conn| idempotency::release(conn, &caller, &key_hash)).await;
                    let res = ApiError::internal("a response body could not be read").error_response();
                    return Ok(ServiceResponse::new(http_req, res));
                }
            };
            let answer = Answer { status: status.as_u16(), content_type, etag, location, body: bytes.to_vec() };
            if let Err(e) = state.db.tx(move |conn| idempotency::finish(conn, &caller, &key_hash, &answer)).await {
                // The work is done and answered; only its replay is lost (the key stays held until
                // its lock runs out).
                tracing::error!(error = ?e, "an idempotent answer could not be stored");
            }
            Ok(ServiceResponse::new(http_req, head.set_body(bytes).map_into_boxed_body()))
        }
    }
}

/// Documents the header on every POST that honours it.
pub struct IdempotencyHeader;

impl utoipa::Modify for IdempotencyHeader {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::{RefOr, Required};
        for (path, item) in api.paths.paths.iter_mut() {
            let Some(op) = item.post.as_mut() else { continue };
            if !path.starts_with("/api/v1/") || exempt(path) {
                continue;
            }
            let param = ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Makes a retry safe: the same key with the same request answers as the first did \
                     (`Idempotent-Replayed: true`); with a different request 422 `idempotency_key_reused`; \
                     while the first runs 409 `idempotency_key_in_use`. Kept 24 hours, per caller.",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255))
                        .pattern(Some("^[!-~]{1,255}$")),
                ))
                .build();
            op.parameters.get_or_insert_with(Vec::new).push(RefOr::T(param));
        }
    }
}
