//! Awarding, revoking and reading certificates, and the credential a holder downloads.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web::Json, web::Path};
use trellis_domain::enrolment::{EnrolmentStatus, Transition};
use trellis_domain::ids::{CertificateId, EnrolmentId};
use trellis_wire::{Certificate, CertificateCredential, FieldError, RevokeCertificate, ShareCertificateEvidence};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Bearer;
use crate::credentials::{self, Achievement, EvidenceLink};
use crate::db::allowed::{self, certificate};
use crate::db::{DbConn, certificates, rule_facts};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors};

/// Awards the enrolment's certificate: the lifecycle's `certify` move (from completed), made by
/// the certifier the programme names — a trust admin of the participant's trust for Leading Active
/// Learning, a facilitator of the provider after a passed assessment for NPQML — and only when
/// the programme's rules say the enrolment is certifiable (409 `not_certifiable`, each unmet
/// requirement in `errors`). 409 `illegal_transition` unless the enrolment is completed.
#[utoipa::path(
    operation_id = "issue_certificate",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 201, body = Certificate), WriteErrors)
)]
#[post("/enrolments/{id}/certificate")]
pub async fn issue_certificate(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    id: Path<EnrolmentId>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let origin = state.net.public_origin(&req);
    let id = id.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let target = allowed::new_certificate(conn, &caller, id)?;
            let before = target.row.state()?;
            if before.status == EnrolmentStatus::Certified {
                return Err(ApiError::conflict("illegal_transition", "this enrolment is certified already"));
            }
            let after = before.apply(&Transition::Certify).map_err(|_| {
                ApiError::conflict(
                    "illegal_transition",
                    format!("a certificate follows completion; this enrolment is {}", before.status),
                )
            })?;
            let now = clock.now();
            let (programme, progress) = rule_facts::progress_of(conn, &target, now.date())?;
            if !progress.certifiable {
                let unmet: Vec<_> = progress
                    .requirements
                    .iter()
                    .filter(|r| r.status != trellis_domain::rules::RequirementStatus::Met)
                    .collect();
                let mut err = ApiError::conflict(
                    "not_certifiable",
                    format!("{} of the programme's requirements are not met", unmet.len()),
                );
                err.errors = unmet
                    .iter()
                    .map(|r| FieldError {
                        field: r.id.clone(),
                        code: "requirement_not_met".into(),
                        message: format!("{}: {}", r.label, r.explanation),
                    })
                    .collect();
                return Err(err);
            }
            let (issuer_id, issuer_name) = certificates::issuer_of(conn, &target, &programme)?;
            let holder = format!("{} {}", target.person.0, target.person.1);
            let user = caller.user_uuid()?.to_string();
            let actor = caller.actor();
            let award = certificates::Award {
                holder_name: &holder,
                programme_name: &programme.name,
                issuer_id: &issuer_id,
                issuer_name: &issuer_name,
                issued_by: &user,
                actor: &actor,
            };
            let Some(cert) = certificates::award(conn, &target, &before, &after, &award, now)? else {
                return Err(ApiError::conflict(
                    "illegal_transition",
                    "the enrolment changed while this request was made; reload it and try again",
                ));
            };
            let c = allowed::certificate::<certificate::Read>(conn, &caller, facts_id(&cert)?)?;
            let revocable = allowed::may_award(&caller, &c);
            certificates::view(conn, &c, &origin, revocable)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

fn facts_id(s: &str) -> Result<CertificateId, ApiError> {
    s.parse().map_err(ApiError::internal)
}

/// The enrolment's certificate (404 when it has none), for whoever may see the enrolment.
#[utoipa::path(
    operation_id = "get_enrolment_certificate",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enrolment id")),
    responses((status = 200, body = Certificate), ReadErrors)
)]
#[get("/enrolments/{id}/certificate")]
pub async fn get_enrolment_certificate(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    id: Path<EnrolmentId>,
) -> Result<Json<Certificate>, ApiError> {
    let origin = state.net.public_origin(&req);
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let c = allowed::enrolment_certificate(conn, &caller, id)?;
            let revocable = allowed::may_award(&caller, &c);
            certificates::view(conn, &c, &origin, revocable)
        })
        .await?;
    Ok(Json(out))
}

#[utoipa::path(
    operation_id = "get_certificate",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Certificate id")),
    responses((status = 200, body = Certificate), ReadErrors)
)]
#[get("/certificates/{id}")]
pub async fn get_certificate(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    id: Path<CertificateId>,
) -> Result<Json<Certificate>, ApiError> {
    let origin = state.net.public_origin(&req);
    let id = id.into_inner();
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let c = allowed::certificate::<certificate::Read>(conn, &caller, id)?;
            let revocable = allowed::may_award(&caller, &c);
            certificates::view(conn, &c, &origin, revocable)
        })
        .await?;
    Ok(Json(out))
}

/// Revokes the certificate, with the reason (its certifier). From then on its public page says
/// revoked and its bit in the issuer's status list is set. 409 `already_revoked`.
#[utoipa::path(
    operation_id = "revoke_certificate",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Certificate id")),
    responses((status = 200, body = Certificate), WriteErrors)
)]
#[post("/certificates/{id}/revoke")]
pub async fn revoke_certificate(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    id: Path<CertificateId>,
    body: Json<RevokeCertificate>,
) -> Result<Json<Certificate>, ApiError> {
    let clock = state.clock;
    let origin = state.net.public_origin(&req);
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let c = allowed::certificate::<certificate::Award>(conn, &caller, id)?;
            let by = caller.user_uuid()?.to_string();
            if !certificates::revoke(conn, &c, body.reason.trim(), &by, clock.now())? {
                return Err(ApiError::conflict("already_revoked", "this certificate is revoked already"));
            }
            let c = allowed::certificate::<certificate::Read>(conn, &caller, id)?;
            certificates::view(conn, &c, &origin, false)
        })
        .await?;
    Ok(Json(out))
}

/// The holder chooses which of their verified portfolio entries the credential shares as
/// evidence (replacing the earlier choice; none is allowed). Each is then readable, through the
/// certificate's code, by whoever holds the credential. 422 `entry_not_verified`.
#[utoipa::path(
    operation_id = "share_certificate_evidence",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Certificate id")),
    responses((status = 200, body = Certificate), WriteErrors)
)]
#[put("/certificates/{id}/evidence")]
pub async fn share_certificate_evidence(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    id: Path<CertificateId>,
    body: Json<ShareCertificateEvidence>,
) -> Result<Json<Certificate>, ApiError> {
    let clock = state.clock;
    let origin = state.net.public_origin(&req);
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            let c = allowed::certificate::<certificate::Share>(conn, &caller, id)?;
            let mut ids: Vec<String> = body.entry_ids.iter().map(Uuid::to_string).collect();
            ids.sort();
            ids.dedup();
            let bad = certificates::not_verified_of(conn, &c.row.enrolment_id, &ids)?;
            if !bad.is_empty() {
                let errors = body
                    .entry_ids
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| bad.contains(&e.to_string()))
                    .map(|(i, _)| FieldError {
                        field: format!("entry_ids[{i}]"),
                        code: "entry_not_verified".into(),
                        message: "share only verified entries of your own portfolio".into(),
                    })
                    .collect();
                return Err(ApiError::invalid("entry_not_verified", errors));
            }
            certificates::share(conn, &c, &ids, clock.now())?;
            let c = allowed::certificate::<certificate::Read>(conn, &caller, id)?;
            let revocable = allowed::may_award(&caller, &c);
            certificates::view(conn, &c, &origin, revocable)
        })
        .await?;
    Ok(Json(out))
}

/// The certificate as an Open Badges 3.0 `OpenBadgeCredential`, signed as a VC-JWT (EdDSA, the
/// key id in the header; the keys at `/.well-known/jwks.json`), with its entry in the issuer's
/// revocation status list and the evidence the holder shares. Signed afresh on each request, so
/// the evidence is the holder's current choice; its id and dates stay the same.
#[utoipa::path(
    operation_id = "get_certificate_credential",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Certificate id")),
    responses((status = 200, body = CertificateCredential), ReadErrors)
)]
#[get("/certificates/{id}/credential")]
pub async fn get_certificate_credential(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    id: Path<CertificateId>,
) -> Result<Json<CertificateCredential>, ApiError> {
    let origin = state.net.public_origin(&req);
    let id = id.into_inner();
    let credential = state
        .db
        .run_as(caller, move |conn, caller| {
            let c = allowed::certificate::<certificate::Read>(conn, &caller, id)?;
            credential_of(conn, &c, &origin)
        })
        .await?;
    let jwt = state.signer.sign(&credential)?;
    Ok(Json(CertificateCredential { jwt, credential }))
}

fn credential_of(
    conn: &mut DbConn,
    c: &allowed::Allowed<allowed::LoadedCertificate, certificate::Read>,
    origin: &str,
) -> Result<serde_json::Value, ApiError> {
    let today = c.row.issued_on;
    let (programme, progress) = rule_facts::progress_of(conn, &c.enrolment, today)?;
    let description = programme
        .preset_key
        .as_deref()
        .and_then(trellis_domain::rules::preset)
        .map(|p| p.summary)
        .unwrap_or_else(|| format!("{}, a leadership development programme", programme.name));
    let criteria = progress.requirements.iter().map(|r| r.label.clone()).collect::<Vec<_>>().join("; ");
    let evidence = certificates::shared_entries(conn, &c.row)?
        .into_iter()
        .map(|e| EvidenceLink {
            url: format!("{origin}/api/v1/verify/{}/evidence/{}", c.row.code, e.id),
            description: format!("{} verified {}", kind_name(&e.kind), verified_day(&e)),
            name: e.title,
        })
        .collect::<Vec<_>>();
    let a = Achievement {
        programme_id: &programme.id,
        description: &description,
        criteria: &criteria,
        holder_person_id: &c.enrolment.row.person_id,
    };
    Ok(credentials::open_badge(&c.row, &a, &evidence, origin))
}

fn kind_name(kind: &str) -> String {
    let mut s = kind.replace('_', " ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

fn verified_day(e: &crate::db::portfolio::EntryRow) -> String {
    e.verified_at.map(|t| t.format("%-d %B %Y").to_string()).unwrap_or_else(|| "by the programme".into())
}
