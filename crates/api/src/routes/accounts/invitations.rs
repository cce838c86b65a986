//! Invitations: an emailed, one-time, expiring link to take a role. Accepting creates the account
//! (the invitee chooses a password) or, for an email that has one, adds the role to it.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web::Json, web::Path, web::Query};
use chrono::{Duration, NaiveDateTime};
use trellis_domain::ids::InvitationId;
use trellis_wire::{
    AcceptInvitation, CreateInvitation, Invitation, InvitationPage, InvitationPreview, InvitationStatus, LinkToken,
    ListParams, TokenPair,
};
use validator::Validate;

use super::{actor, check_password};
use crate::auth::{self, Bearer};
use crate::db::allowed::{self, account};
use crate::db::facts::{opt_uuid, uuid};
use crate::db::invitations::{self, InvitationRow, NewInvitation};
use crate::db::{DbConn, audit, outbox, roles, users};
use crate::error::ApiError;
use crate::paging::PageRequest;
use crate::routes::{BodyErrors, ReadErrors, State, WriteErrors};

fn status(row: &InvitationRow, now: NaiveDateTime) -> InvitationStatus {
    if row.accepted_at.is_some() {
        InvitationStatus::Accepted
    } else if row.revoked_at.is_some() {
        InvitationStatus::Revoked
    } else if row.expires_at < now {
        InvitationStatus::Expired
    } else {
        InvitationStatus::Pending
    }
}

fn to_wire(row: &InvitationRow, now: NaiveDateTime) -> Result<Invitation, ApiError> {
    Ok(Invitation {
        id: uuid(&row.id)?,
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        role: row.role.parse().map_err(ApiError::internal)?,
        organisation_id: opt_uuid(row.organisation_id.as_deref())?,
        school_id: opt_uuid(row.school_id.as_deref())?,
        person_id: opt_uuid(row.person_id.as_deref())?,
        status: status(row, now),
        created_at: row.created_at.and_utc(),
        expires_at: row.expires_at.and_utc(),
        accepted_at: row.accepted_at.map(|t| t.and_utc()),
    })
}

/// How a role reads in an email ("school lead", "trust admin").
fn role_words(role: trellis_domain::Role) -> String {
    role.as_str().replace('_', " ")
}

/// Invites someone to take a role: the invitee is emailed a link that works once, for 14 days.
/// Trust admins invite for their trust and its schools, school leads for their school,
/// facilitators their provider's facilitators, coaches and assessors; platform admins anyone.
/// Inviting the same email to the same role again replaces the earlier link.
#[utoipa::path(
    operation_id = "create_invitation",
    tag = "accounts",
    security(("bearer" = [])),
    responses((status = 201, body = Invitation), WriteErrors)
)]
#[post("/invitations")]
pub async fn create_invitation(
    state: State,
    req: HttpRequest,
    caller: Bearer,
    body: Json<CreateInvitation>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let origin = state.net.public_origin(&req);
    let body = body.into_inner();
    let out = state
        .db
        .tx_as(caller, move |conn, caller| {
            body.validate()?;
            let org = body.organisation_id.map(Into::into);
            let school = body.school_id.map(Into::into);
            let person = body.person_id.map(Into::into);
            let email = body.email.trim().to_lowercase();
            let grant = allowed::new_grant(conn, &caller, &email, body.role, org, school, person)?;
            let now = clock.now();
            let token = auth::random_token();
            let by = actor(&caller);
            let (org, school, person) = (
                grant.grant.organisation_id.map(|o| o.to_string()),
                grant.grant.school.map(|s| s.id.to_string()),
                grant.person_id.map(|p| p.to_string()),
            );
            let new = NewInvitation {
                email: &email,
                display_name: body.display_name.trim(),
                role: body.role,
                organisation_id: org.as_deref(),
                school_id: school.as_deref(),
                person_id: person.as_deref(),
                token_hash: &auth::token_hash(&token),
                invited_by: by.as_deref(),
                expires_at: now + Duration::days(auth::INVITATION_TTL_DAYS),
            };
            let id = invitations::insert(conn, &new, now)?;
            let row = invitations::find(conn, &id)?.ok_or_else(|| ApiError::internal("invitation vanished"))?;
            let inviter = match &by {
                Some(u) => users::profile(conn, uuid(u)?)?.1,
                None => "Trellis".to_owned(),
            };
            let context = invitations::context_name(conn, &row)?;
            let link = format!("{origin}/accept-invitation#token={token}");
            let expires = row.expires_at.format("%-d %B %Y").to_string();
            let message = crate::mail::templates::invitation(
                &email,
                &row.display_name,
                &inviter,
                &role_words(body.role),
                context.as_deref(),
                &link,
                &expires,
            );
            outbox::enqueue(conn, &message, now)?;
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: by.as_deref(),
                    action: "invitation.created",
                    subject_kind: "invitation",
                    subject_id: &id,
                    organisation_id: org.as_deref(),
                    school_id: school.as_deref(),
                    detail: serde_json::json!({"email": email, "role": body.role, "person_id": person}),
                },
                now,
            )?;
            to_wire(&row, now)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The invitations into roles the caller could give, oldest first, whatever their status.
#[utoipa::path(
    operation_id = "list_invitations",
    tag = "accounts",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = InvitationPage), (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json"), ReadErrors)
)]
#[get("/invitations")]
pub async fn list_invitations(
    state: State,
    caller: Bearer,
    params: Query<ListParams>,
) -> Result<Json<InvitationPage>, ApiError> {
    let page = PageRequest::parse(&params)?;
    let clock = state.clock;
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let scope = allowed::account_scope(&caller)?;
            let rows = invitations::list(conn, &scope, &page)?;
            let (rows, next) = page.finish(rows, |r| &r.id);
            let now = clock.now();
            Ok(InvitationPage {
                items: rows.iter().map(|r| to_wire(r, now)).collect::<Result<_, _>>()?,
                next_cursor: next,
            })
        })
        .await?;
    Ok(Json(out))
}

/// Withdraws a pending invitation: its link stops working.
#[utoipa::path(
    operation_id = "delete_invitation",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Withdrawn"), WriteErrors)
)]
#[delete("/invitations/{id}")]
pub async fn delete_invitation(state: State, caller: Bearer, id: Path<InvitationId>) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    state
        .db
        .tx_as(caller, move |conn, caller| {
            let row = allowed::invitation::<account::Manage>(conn, &caller, id)?;
            if row.accepted_at.is_some() {
                return Err(ApiError::conflict(
                    "invitation_accepted",
                    "this invitation was accepted; take the role away from the account instead",
                ));
            }
            let now = clock.now();
            invitations::revoke(conn, &row.id, now)?;
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: actor(&caller).as_deref(),
                    action: "invitation.withdrawn",
                    subject_kind: "invitation",
                    subject_id: &row.id,
                    organisation_id: row.organisation_id.as_deref(),
                    school_id: row.school_id.as_deref(),
                    detail: serde_json::json!({"email": row.email}),
                },
                now,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The invitation behind a link's token, if it can still be accepted.
fn usable(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> Result<InvitationRow, ApiError> {
    use actix_web::http::StatusCode;
    let row = invitations::by_token_hash(conn, &auth::token_hash(token))?.ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "unknown_invitation", "this invitation link is not valid")
    })?;
    match status(&row, now) {
        InvitationStatus::Pending => Ok(row),
        InvitationStatus::Accepted => Err(ApiError::new(
            StatusCode::GONE,
            "invitation_used",
            "this invitation has been used already; sign in instead",
        )),
        InvitationStatus::Expired => {
            Err(ApiError::new(StatusCode::GONE, "invitation_expired", "this invitation has expired; ask for a new one"))
        }
        InvitationStatus::Revoked => Err(ApiError::new(
            StatusCode::GONE,
            "invitation_withdrawn",
            "this invitation was withdrawn or replaced by a newer one",
        )),
    }
}

/// What an invitation link offers, for the page that accepts it. No sign-in: the link is the secret.
#[utoipa::path(
    operation_id = "preview_invitation",
    tag = "accounts",
    responses(
        (status = 200, body = InvitationPreview),
        (status = 404, description = "`unknown_invitation`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`invitation_used`, `invitation_expired` or `invitation_withdrawn`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/invitation-links/preview")]
pub async fn preview_invitation(state: State, body: Json<LinkToken>) -> Result<Json<InvitationPreview>, ApiError> {
    body.validate()?;
    let clock = state.clock;
    let token = body.into_inner().token;
    let out = state
        .db
        .run(move |conn| {
            let row = usable(conn, &token, clock.now())?;
            Ok(InvitationPreview {
                email: row.email.clone(),
                display_name: row.display_name.clone(),
                role: row.role.parse().map_err(ApiError::internal)?,
                context_name: invitations::context_name(conn, &row)?,
                expires_at: row.expires_at.and_utc(),
                account_exists: users::email_taken(conn, &row.email)?,
            })
        })
        .await?;
    Ok(Json(out))
}

/// Accepts an invitation and signs in in the new role. A new account's password must be at least
/// 10 characters, not a common one and not the email address; an existing account proves its
/// password instead, and gains the role.
#[utoipa::path(
    operation_id = "accept_invitation",
    tag = "accounts",
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "`invalid_credentials`: the existing account's password is wrong", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 404, description = "`unknown_invitation`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`invitation_used`, `invitation_expired` or `invitation_withdrawn`", body = trellis_wire::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords (`too_many_attempts`)", body = trellis_wire::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/invitation-links/accept")]
pub async fn accept_invitation(
    state: State,
    req: HttpRequest,
    body: Json<AcceptInvitation>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let clock = state.clock;
    let AcceptInvitation { token, password } = body.into_inner();
    let t = token.clone();
    let (row, existing) = state
        .db
        .run(move |conn| {
            let row = usable(conn, &t, clock.now())?;
            let existing = users::login_by_email(conn, &row.email)?;
            Ok((row, existing))
        })
        .await?;
    // The slow hash work runs on the blocking pool, holding no database connection.
    let (user_id, new_hash) = match existing {
        Some(login) => {
            let address = state.net.client_ip(&req).map(|a| a.to_string()).unwrap_or_default();
            let keys = crate::signin::throttle_keys("login", &row.email, &address);
            let attempt = state.throttle.begin(&keys)?;
            actix_web::rt::time::sleep(attempt.delay()).await;
            let ok = crate::signin::slow_check(password, Some(((), login.password_hash))).await?;
            if ok.is_none() {
                attempt.failed();
                return Err(ApiError::unauthorized("invalid_credentials", "the password for this account is wrong"));
            }
            attempt.succeeded();
            if login.deactivated_at.is_some() {
                return Err(ApiError::unauthorized("account_deactivated", "this account has been deactivated"));
            }
            (Some(login.id), None)
        }
        None => {
            check_password(&password, &row.email, "password")?;
            let hash =
                actix_web::web::block(move || auth::hash_password(&password)).await.map_err(ApiError::internal)??;
            (None, Some(hash))
        }
    };
    let st = state.clone();
    let pair = state
        .db
        .tx(move |conn| {
            let now = clock.now();
            // Checked again inside the transaction: another request may have used the link meanwhile.
            let row = usable(conn, &token, now)?;
            let new_account = user_id.is_none();
            let user = match (user_id, new_hash) {
                (Some(id), _) => id,
                (None, Some(hash)) => {
                    if users::email_taken(conn, &row.email)? {
                        return Err(ApiError::conflict(
                            "email_taken",
                            "an account with this email was created meanwhile; sign in and try the link again",
                        ));
                    }
                    let new = users::NewUser {
                        email: &row.email,
                        password_hash: &hash,
                        display_name: &row.display_name,
                        person_id: row.person_id.as_deref(),
                    };
                    users::insert(conn, &new, now)?
                }
                (None, None) => return Err(ApiError::internal("no account and no password")),
            };
            if let Some(person) = &row.person_id {
                // Checked again here: the person may have been given an account meanwhile.
                if users::email_of_person(conn, person)?.is_some_and(|e| e != row.email) {
                    return Err(ApiError::conflict(
                        "person_has_account",
                        "the person this invitation names has been given another account meanwhile; ask for a new invitation",
                    ));
                }
            }
            let person = invitations::link_account(conn, &row, &user, now)?;
            let role: trellis_domain::Role = row.role.parse().map_err(ApiError::internal)?;
            let role_id =
                roles::grant(conn, &user, role, row.organisation_id.as_deref(), row.school_id.as_deref(), now)?;
            if !invitations::accept(conn, &row.id, &user, now)? {
                return Err(ApiError::new(
                    actix_web::http::StatusCode::GONE,
                    "invitation_used",
                    "this invitation has been used already",
                ));
            }
            audit::record(
                conn,
                &audit::Event {
                    actor_user_id: Some(&user),
                    action: "invitation.accepted",
                    subject_kind: "invitation",
                    subject_id: &row.id,
                    organisation_id: row.organisation_id.as_deref(),
                    school_id: row.school_id.as_deref(),
                    detail: serde_json::json!({"role": role, "role_id": role_id, "new_account": new_account, "person_id": person}),
                },
                now,
            )?;
            crate::signin::start_session(conn, &st, &user, Some(&role_id))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(pair))
}
