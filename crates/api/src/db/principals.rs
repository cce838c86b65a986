//! The caller behind a verified access token, looked up on the connection that does the work.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use trellis_domain::authz::{ClientPrincipal, Principal, Role, UserPrincipal};
use uuid::Uuid;

use crate::auth::{Claims, TokenKind, parse_scopes, parse_uuid};
use crate::db::schema::{api_client_schools, api_clients, auth_sessions, user_roles, users};
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;

/// (user id, role, person, organisation, school, session revoked at, session expires at, user
/// deactivated at, role revoked at)
type SessionUserRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// The principal a verified token speaks for, and its sign-in session: one query for a user
/// (session joined to its role and user), two for a client (the client, its schools).
pub fn of_claims(conn: &mut DbConn, claims: &Claims) -> Result<(Principal, Option<Uuid>), ApiError> {
    let invalid = || ApiError::unauthorized("invalid_token", "the access token is not valid");
    let now = crate::now();
    match claims.kind {
        TokenKind::User => {
            let sid = claims.sid.as_deref().ok_or_else(invalid)?;
            let query = auth_sessions::table
                .inner_join(users::table)
                .inner_join(user_roles::table)
                .filter(auth_sessions::id.eq(sid))
                .filter(users::id.eq(&claims.sub))
                .select((
                    users::id,
                    user_roles::role,
                    users::person_id,
                    user_roles::organisation_id,
                    user_roles::school_id,
                    auth_sessions::revoked_at,
                    auth_sessions::expires_at,
                    users::deactivated_at,
                    user_roles::revoked_at,
                ));
            let row: Option<SessionUserRow> = on_backend!(conn, |c| query.first(c).optional())?;
            let (user_id, role, person, org, school, revoked, expires, deactivated, role_revoked) =
                row.ok_or_else(invalid)?;
            // Deactivation ends the sessions too; say why.
            if deactivated.is_some() {
                return Err(ApiError::unauthorized("account_deactivated", "this account has been deactivated"));
            }
            // Taking a role away ends its sessions too; say why.
            if role_revoked.is_some() {
                return Err(ApiError::unauthorized(
                    "role_revoked",
                    "the role this sign-in acted in has been taken away; sign in again",
                ));
            }
            if revoked.is_some() || expires < now {
                return Err(ApiError::unauthorized("token_revoked", "this sign-in has ended; sign in again"));
            }
            let id = |s: Option<String>| s.as_deref().and_then(parse_uuid);
            Ok((
                Principal::User(UserPrincipal {
                    user_id: parse_uuid(&user_id).ok_or_else(invalid)?.into(),
                    person_id: id(person).map(Into::into),
                    role: role.parse::<Role>().map_err(ApiError::internal)?,
                    organisation_id: id(org).map(Into::into),
                    school_id: id(school).map(Into::into),
                }),
                parse_uuid(sid),
            ))
        }
        TokenKind::Client => {
            let row: Option<(String, Option<String>, Option<NaiveDateTime>)> = api_clients::table
                .filter(api_clients::id.eq(&claims.sub))
                .select((api_clients::id, api_clients::trust_id, api_clients::revoked_at))
                .first(conn)
                .optional()?;
            let (id, trust, revoked) = row.ok_or_else(invalid)?;
            if revoked.is_some() {
                return Err(ApiError::unauthorized("token_revoked", "this client has been revoked"));
            }
            let schools: Vec<String> = api_client_schools::table
                .filter(api_client_schools::client_id.eq(&id))
                .select(api_client_schools::school_id)
                .load(conn)?;
            let scopes = parse_scopes(claims.scope.as_deref().unwrap_or_default()).map_err(|_| invalid())?;
            Ok((
                Principal::Client(ClientPrincipal {
                    client_id: parse_uuid(&id).ok_or_else(invalid)?.into(),
                    scopes,
                    school_ids: schools.iter().filter_map(|s| parse_uuid(s)).map(Into::into).collect(),
                    trust_id: trust.as_deref().and_then(parse_uuid).map(Into::into),
                }),
                None,
            ))
        }
    }
}
