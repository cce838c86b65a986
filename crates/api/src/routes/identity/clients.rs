//! Machine clients' access tokens: the OAuth 2.0 client-credentials grant.

use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, post, web::Form};
use base64::Engine;
use chrono::NaiveDateTime;
use trellis_wire::{ClientToken, ClientTokenRequest};

use crate::auth::{self, TokenKind};
use crate::db::clients;
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::routes::State;
use crate::signin::{no_store, slow_check, throttle_keys};

fn invalid_client() -> ApiError {
    ApiError::unauthorized("invalid_client", "unknown client or wrong secret")
}

/// The access token for a client whose secret matched: refused if revoked, scopes narrowed to
/// those asked for (each of which it must hold).
fn issue_client_token(
    state: &State,
    id: &str,
    scopes: &str,
    revoked: Option<NaiveDateTime>,
    requested: Option<Vec<trellis_domain::authz::Scope>>,
) -> Result<ClientToken, ApiError> {
    if revoked.is_some() {
        return Err(invalid_client());
    }
    let allowed = auth::parse_scopes(scopes).map_err(ApiError::internal)?;
    let granted = match requested {
        None => allowed,
        Some(req) => {
            if let Some(extra) = req.iter().find(|s| !allowed.contains(s)) {
                return Err(ApiError::bad_request("invalid_scope", format!("this client may not have scope {extra}")));
            }
            req
        }
    };
    let scope = auth::format_scopes(&granted);
    let token = state.jwt.issue(uuid(id)?, TokenKind::Client, None, Some(scope.clone()), auth::CLIENT_TTL_SECS)?;
    Ok(ClientToken { access_token: token, token_type: "Bearer".into(), expires_in: auth::CLIENT_TTL_SECS, scope })
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let header = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// OAuth 2.0 client-credentials grant for machine clients (school MIS, dashboards). Send the body
/// form-encoded; authenticate with `client_id`/`client_secret` fields or HTTP Basic.
#[utoipa::path(
    operation_id = "create_client_token",
    tag = "identity",
    request_body(content = ClientTokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, body = ClientToken),
        (status = 400, description = "`unsupported_grant_type`, `invalid_request` or `invalid_scope`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown client or wrong secret (`invalid_client`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this client (`too_many_attempts`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not form-encoded (`unsupported_media_type`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/token")]
pub async fn create_client_token(
    state: State,
    req: HttpRequest,
    form: Form<ClientTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    client_token(state, req, form.into_inner()).await.map(|t| no_store(&t)).map_err(|mut e| {
        e.oauth = true;
        e
    })
}

async fn client_token(state: State, req: HttpRequest, form: ClientTokenRequest) -> Result<ClientToken, ApiError> {
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return Err(ApiError::bad_request(
                "unsupported_grant_type",
                "only grant_type=client_credentials is supported",
            ));
        }
        None => return Err(ApiError::bad_request("invalid_request", "grant_type is required")),
    }
    let (client_id, secret) = match (basic_credentials(&req), form.client_id, form.client_secret) {
        (Some(creds), _, _) => creds,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => {
            return Err(ApiError::bad_request(
                "invalid_request",
                "send client_id and client_secret, or HTTP Basic credentials",
            ));
        }
    };
    if client_id.chars().count() > 200 || secret.chars().count() > 1024 {
        return Err(ApiError::bad_request("invalid_request", "client_id or client_secret is too long"));
    }
    if trellis_domain::text::line(&client_id).is_err() {
        return Err(ApiError::bad_request("invalid_request", "client_id contains characters no client id has"));
    }
    let requested = form
        .scope
        .map(|s| auth::parse_scopes(&s))
        .transpose()
        .map_err(|bad| ApiError::bad_request("invalid_scope", format!("unknown scope {bad:?}")))?;
    let address = state.net.client_ip(&req).map(|a| a.to_string()).unwrap_or_default();
    let keys = throttle_keys("client", &client_id, &address);
    let attempt = state.throttle.begin(&keys)?;
    actix_web::rt::time::sleep(attempt.delay()).await;
    let row = state.db.run(move |conn| clients::secret_by_client_id(conn, &client_id)).await?;
    let row = row.map(|c| ((c.id, c.scopes, c.revoked_at), c.secret_hash));
    let checked = match slow_check(secret, row).await {
        Ok(Some((id, scopes, revoked))) => {
            issue_client_token(&state, &id, &scopes, revoked, requested).map(|t| Some((id, t)))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    match checked {
        Ok(Some((id, token))) => {
            attempt.succeeded();
            state.throttle.clear(&keys[0].0);
            // "Last used" on the clients page: when the client last took a token.
            let now = state.clock.now();
            state.db.tx(move |conn| clients::touch_last_used(conn, &id, now)).await?;
            Ok(token)
        }
        Ok(None) => {
            attempt.failed();
            Err(invalid_client())
        }
        Err(e) => Err(e),
    }
}
