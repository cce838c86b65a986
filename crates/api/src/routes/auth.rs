use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, get, post, web::Form, web::Json};
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::authz::Principal;
use trellis_wire::{ClientToken, ClientTokenRequest, LoginRequest, Me, MeClient, MeUser, RefreshRequest, TokenPair};
use uuid::Uuid;
use validator::Validate;

use super::{ReadErrors, State};
use crate::auth::{self, Bearer, TokenKind};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::facts::{opt_uuid, uuid};
use crate::paging::new_id;
use crate::schema::{api_client_schools, api_clients, auth_sessions, refresh_tokens, users};
use crate::throttle::Limit;

/// (token id, session id, token expires at, token used at, session revoked at, user id)
type RefreshRow = (String, String, NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>, String);

/// Failed sign-ins in the throttle's window (15 minutes) before an account *from one address* is
/// refused (guessing); before attempts on an account from anywhere (distributed guessing) or from
/// one address on any account (spraying, or a school's NAT) are slowed down — never refused, so a
/// stranger cannot lock anyone out. See [`crate::throttle`].
const FAILURES_PER_ACCOUNT_AND_ADDRESS: u32 = 10;
const FAILURES_BEFORE_SLOWING_AN_ACCOUNT: u32 = 20;
const FAILURES_BEFORE_SLOWING_AN_ADDRESS: u32 = 50;

/// The throttle keys for an attempt on `who` (an email or a client id) from `address`.
fn throttle_keys(kind: &str, who: &str, address: &str) -> Vec<(String, Limit)> {
    vec![
        (format!("{kind}:{who}@{address}"), Limit::Refuse(FAILURES_PER_ACCOUNT_AND_ADDRESS)),
        (format!("{kind}:{who}"), Limit::Slow(FAILURES_BEFORE_SLOWING_AN_ACCOUNT)),
        (format!("addr:{address}"), Limit::Slow(FAILURES_BEFORE_SLOWING_AN_ADDRESS)),
    ]
}

/// Token responses must not be cached (RFC 6749 §5.1).
fn no_store<T: serde::Serialize>(body: &T) -> HttpResponse {
    HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).insert_header(("Pragma", "no-cache")).json(body)
}

fn invalid_client() -> ApiError {
    ApiError::unauthorized("invalid_client", "unknown client or wrong secret")
}

fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "the email or password is wrong")
}

/// Starts a session and stores its first refresh token; returns the token pair.
fn start_session(conn: &mut DbConn, state: &State, user_id: &str) -> Result<TokenPair, ApiError> {
    let now = crate::now();
    let session_id = new_id();
    diesel::insert_into(auth_sessions::table)
        .values((
            auth_sessions::id.eq(&session_id),
            auth_sessions::user_id.eq(user_id),
            auth_sessions::created_at.eq(now),
            auth_sessions::expires_at.eq(now + Duration::days(auth::REFRESH_TTL_DAYS)),
        ))
        .execute(conn)?;
    issue_pair(conn, state, user_id, &session_id, now)
}

fn issue_pair(
    conn: &mut DbConn,
    state: &State,
    user_id: &str,
    session_id: &str,
    now: NaiveDateTime,
) -> Result<TokenPair, ApiError> {
    let refresh = auth::random_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(auth::token_hash(&refresh)),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(now + Duration::days(auth::REFRESH_TTL_DAYS)),
        ))
        .execute(conn)?;
    let access =
        state.jwt.issue(uuid(user_id)?, TokenKind::User, Some(uuid(session_id)?), None, auth::ACCESS_TTL_SECS)?;
    Ok(TokenPair {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: auth::ACCESS_TTL_SECS,
        refresh_token: refresh,
    })
}

/// Signs in with email and password. Returns a 15-minute access token and a single-use refresh token.
#[utoipa::path(
    operation_id = "create_session",
    tag = "auth",
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "Wrong email or password (`invalid_credentials`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this account or address (`too_many_attempts`); see `Retry-After`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or oversized fields", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body is not valid JSON or has an unknown field (`malformed_json`, `unknown_field`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn create_session(
    state: State,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let LoginRequest { email, password } = body.into_inner();
    let email = email.trim().to_lowercase();
    let address = state.net.client_ip(&req).map(|a| a.to_string()).unwrap_or_default();
    let keys = throttle_keys("login", &email, &address);
    let attempt = state.throttle.begin(&keys)?;
    actix_web::rt::time::sleep(attempt.delay()).await;
    // The slow hash check runs on the blocking pool, holding no database connection.
    let row: Option<(String, String)> = state
        .db
        .run(move |conn| {
            Ok(users::table
                .filter(users::email.eq(&email))
                .select((users::id, users::password_hash))
                .first(conn)
                .optional()?)
        })
        .await?;
    let user_id = slow_check(password, row).await?;
    let Some(user_id) = user_id else {
        attempt.failed();
        return Err(invalid_credentials());
    };
    attempt.succeeded();
    state.throttle.clear(&keys[0].0);
    let st = state.clone();
    let pair = state.db.tx(move |conn| start_session(conn, &st, &user_id)).await?;
    Ok(no_store(&pair))
}

/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used
/// one again ends the whole session (it was probably stolen).
#[utoipa::path(
    operation_id = "refresh_session",
    tag = "auth",
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or oversized fields", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body is not valid JSON or has an unknown field (`malformed_json`, `unknown_field`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_session(state: State, body: Json<RefreshRequest>) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let hash = auth::token_hash(&body.refresh_token);
    let st = state.clone();
    let outcome = state
        .db
        .tx(move |conn| {
            let now = crate::now();
            let row: Option<RefreshRow> = refresh_tokens::table
                .inner_join(auth_sessions::table)
                .filter(refresh_tokens::token_hash.eq(&hash))
                .select((
                    refresh_tokens::id,
                    refresh_tokens::session_id,
                    refresh_tokens::expires_at,
                    refresh_tokens::used_at,
                    auth_sessions::revoked_at,
                    auth_sessions::user_id,
                ))
                .first(conn)
                .optional()?;
            let Some((token_id, session_id, expires, used, revoked, user_id)) = row else {
                return Ok(Err(ApiError::unauthorized("invalid_refresh_token", "the refresh token is not valid")));
            };
            if used.is_some() {
                // Reuse: revoke the session, and commit that, before refusing.
                diesel::update(auth_sessions::table.find(&session_id))
                    .set(auth_sessions::revoked_at.eq(now))
                    .execute(conn)?;
                return Ok(Err(ApiError::unauthorized(
                    "refresh_token_reused",
                    "this refresh token was already used; the session has been ended",
                )));
            }
            if revoked.is_some() || expires < now {
                return Ok(Err(ApiError::unauthorized(
                    "invalid_refresh_token",
                    "the refresh token has expired or been revoked",
                )));
            }
            let claimed =
                diesel::update(refresh_tokens::table.find(&token_id).filter(refresh_tokens::used_at.is_null()))
                    .set(refresh_tokens::used_at.eq(now))
                    .execute(conn)?;
            if claimed != 1 {
                return Ok(Err(ApiError::unauthorized("refresh_token_reused", "this refresh token was already used")));
            }
            issue_pair(conn, &st, &user_id, &session_id, now).map(Ok)
        })
        .await?;
    outcome.map(|pair| no_store(&pair))
}

/// Signs out: ends the session behind the bearer token. Its access and refresh tokens stop working at once.
#[utoipa::path(
    operation_id = "delete_session",
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), ReadErrors)
)]
#[post("/auth/logout")]
pub async fn delete_session(state: State, caller: Bearer) -> Result<HttpResponse, ApiError> {
    let sid = caller.session_id().ok_or_else(|| {
        ApiError::bad_request("not_a_session", "machine tokens expire on their own; there is no session to end")
    })?;
    state
        .db
        .tx_as(caller, move |conn, _caller| {
            diesel::update(auth_sessions::table.find(sid.to_string()))
                .set(auth_sessions::revoked_at.eq(crate::now()))
                .execute(conn)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Verifies `secret` against the stored hash (or a dummy one, so unknown accounts cost the same)
/// on the blocking pool; `Some(what)` when it matches.
async fn slow_check<T: Send + 'static>(secret: String, row: Option<(T, String)>) -> Result<Option<T>, ApiError> {
    actix_web::web::block(move || {
        let ok = auth::verify_password(&secret, row.as_ref().map(|r| r.1.as_str()));
        row.filter(|_| ok).map(|r| r.0)
    })
    .await
    .map_err(ApiError::internal)
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
    tag = "auth",
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
    let row: Option<(String, String, String, Option<NaiveDateTime>)> = state
        .db
        .run(move |conn| {
            Ok(api_clients::table
                .filter(api_clients::client_id.eq(&client_id))
                .select((api_clients::id, api_clients::secret_hash, api_clients::scopes, api_clients::revoked_at))
                .first(conn)
                .optional()?)
        })
        .await?;
    let checked = match slow_check(secret, row.map(|(id, hash, scopes, revoked)| ((id, scopes, revoked), hash))).await {
        Ok(Some((id, scopes, revoked))) => issue_client_token(&state, &id, &scopes, revoked, requested).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    match checked {
        Ok(Some(token)) => {
            attempt.succeeded();
            state.throttle.clear(&keys[0].0);
            Ok(token)
        }
        Ok(None) => {
            attempt.failed();
            Err(invalid_client())
        }
        Err(e) => Err(e),
    }
}

/// Who the caller is: a user with their role and context, or a machine client with its scopes and schools.
#[utoipa::path(operation_id = "get_me", tag = "auth", security(("bearer" = [])), responses((status = 200, body = Me), ReadErrors))]
#[get("/me")]
pub async fn get_me(state: State, caller: Bearer) -> Result<Json<Me>, ApiError> {
    let me = state
        .db
        .run_as(caller, move |conn, caller| match caller.principal {
            Principal::User(u) => {
                let (email, display_name): (String, String) =
                    users::table.find(u.user_id.to_string()).select((users::email, users::display_name)).first(conn)?;
                Ok(Me::User(MeUser {
                    user_id: u.user_id,
                    email,
                    display_name,
                    role: u.role,
                    person_id: u.person_id,
                    organisation_id: u.organisation_id,
                    school_id: u.school_id,
                }))
            }
            Principal::Client(c) => {
                let (client_id, name, trust): (String, String, Option<String>) = api_clients::table
                    .find(c.client_id.to_string())
                    .select((api_clients::client_id, api_clients::name, api_clients::trust_id))
                    .first(conn)?;
                let mut school_ids: Vec<Uuid> = api_client_schools::table
                    .filter(api_client_schools::client_id.eq(c.client_id.to_string()))
                    .select(api_client_schools::school_id)
                    .load::<String>(conn)?
                    .iter()
                    .map(|s| uuid(s))
                    .collect::<Result<_, _>>()?;
                school_ids.sort();
                Ok(Me::Client(MeClient {
                    client_id,
                    name,
                    scopes: c.scopes,
                    school_ids,
                    trust_id: opt_uuid(trust.as_deref())?,
                }))
            }
        })
        .await?;
    Ok(Json(me))
}
