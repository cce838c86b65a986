//! What anyone may read without signing in: a certificate's public page data by its code, the
//! evidence its holder shares, the issuing keys, and each issuer's revocation status list.

use actix_web::{HttpResponse, get, web::Json, web::Path};
use trellis_domain::ids::OrganisationId;
use trellis_wire::{JsonWebKeySet, PublicCertificate, SharedEvidence};
use uuid::Uuid;

use crate::credentials;
use crate::db::certificates;
use crate::error::ApiError;
use crate::routes::State;

fn code_of(typed: &str) -> Result<String, ApiError> {
    trellis_domain::assessment::normalise_code(typed).ok_or_else(|| ApiError::not_found("certificate"))
}

/// A certificate by its code: the holder's name, the programme, the issuer, the date and the
/// status — nothing else. No sign-in. Codes are read as typed (any case; O for 0, I or L for 1).
#[utoipa::path(
    operation_id = "verify_certificate",
    tag = "certificates",
    params(("code" = String, Path, description = "The certificate's code, e.g. TRL-7KQ4M-2XD9A")),
    responses((status = 200, body = PublicCertificate), (status = 404, body = trellis_wire::Problem, content_type = "application/problem+json"))
)]
#[get("/verify/{code}")]
pub async fn verify_certificate(state: State, code: Path<String>) -> Result<HttpResponse, ApiError> {
    let code = code_of(&code)?;
    let out = state
        .db
        .run(move |conn| {
            Ok(certificates::by_code(conn, &code)?.ok_or_else(|| ApiError::not_found("certificate"))?.public())
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-cache")).json(out))
}

/// A piece of evidence the holder shares with the certificate's credential, while it is shared.
#[utoipa::path(
    operation_id = "get_shared_evidence",
    tag = "certificates",
    params(
        ("code" = String, Path, description = "The certificate's code"),
        ("entry_id" = Uuid, Path, description = "Portfolio entry id")
    ),
    responses((status = 200, body = SharedEvidence), (status = 404, body = trellis_wire::Problem, content_type = "application/problem+json"))
)]
#[get("/verify/{code}/evidence/{entry_id}")]
pub async fn get_shared_evidence(state: State, path: Path<(String, Uuid)>) -> Result<Json<SharedEvidence>, ApiError> {
    let (code, entry) = path.into_inner();
    let code = code_of(&code)?;
    let out = state
        .db
        .run(move |conn| {
            let cert = certificates::by_code(conn, &code)?.ok_or_else(|| ApiError::not_found("evidence"))?;
            let e = certificates::shared_entry(conn, &cert, &entry.to_string())?
                .ok_or_else(|| ApiError::not_found("evidence"))?;
            Ok(SharedEvidence {
                code: cert.code,
                kind: e.kind()?,
                title: e.title,
                body: e.body,
                verified_on: e.verified_at.map(|t| t.date()),
            })
        })
        .await?;
    Ok(Json(out))
}

/// The issuer's W3C Bitstring Status List credential (revocation), signed as a VC-JWT
/// (`application/vc+jwt`), valid for 24 hours from when it is served. A certificate's bit is set
/// once it is revoked.
#[utoipa::path(
    operation_id = "get_status_list",
    tag = "certificates",
    params(("issuer_id" = Uuid, Path, description = "The issuing trust or provider")),
    responses((status = 200, description = "A compact JWS", content_type = "application/vc+jwt", body = String), (status = 404, body = trellis_wire::Problem, content_type = "application/problem+json"))
)]
#[get("/credentials/status/{issuer_id}")]
pub async fn get_status_list(
    state: State,
    req: actix_web::HttpRequest,
    issuer: Path<OrganisationId>,
) -> Result<HttpResponse, ApiError> {
    let origin = state.net.public_origin(&req);
    let issuer = issuer.into_inner().to_string();
    let now = state.clock.now().and_utc();
    let list = state
        .db
        .run(move |conn| {
            if crate::db::organisations::kind(conn, issuer.parse().map_err(ApiError::internal)?)?.is_none() {
                return Err(ApiError::not_found("status list"));
            }
            let revoked = certificates::revoked_indices(conn, &issuer)?;
            credentials::status_list(&origin, &issuer, &revoked, now)
        })
        .await?;
    let jwt = state.signer.sign(&list)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vc+jwt")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(jwt))
}

/// The public keys certificates are signed with: the current one and every one it replaced, so a
/// credential issued before a rotation still verifies.
#[utoipa::path(
    operation_id = "get_jwks",
    tag = "certificates",
    responses((status = 200, body = JsonWebKeySet))
)]
#[get("/.well-known/jwks.json")]
pub async fn get_jwks(state: State) -> Result<HttpResponse, ApiError> {
    // The key folder is read afresh (off the request threads), so every node publishes every key.
    let st = state.clone();
    let set = actix_web::web::block(move || st.signer.jwks()).await.map_err(ApiError::internal)?;
    let keys = serde_json::to_value(set.keys).map_err(ApiError::internal)?;
    let serde_json::Value::Array(keys) = keys else { return Err(ApiError::internal("keys are not a list")) };
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "public, max-age=300")).json(JsonWebKeySet { keys }))
}
