//! Authentication: argon2id passwords, short-lived JWT access tokens, rotating refresh tokens,
//! OAuth2 client credentials for machines, and the [`Bearer`] extractor every protected handler takes.

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use trellis_domain::authz::{Principal, Scope};
use uuid::Uuid;

use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

pub const ACCESS_TTL_SECS: i64 = 15 * 60;
pub const CLIENT_TTL_SECS: i64 = 60 * 60;
pub const REFRESH_TTL_DAYS: i64 = 30;
/// How long an invitation link works.
pub const INVITATION_TTL_DAYS: i64 = 14;
/// How long a password-reset link works.
pub const RESET_TTL_MINUTES: i64 = 60;
const ISSUER: &str = "trellis";

/// 256 random bits, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256, hex: for high-entropy tokens only (never for passwords or client secrets).
pub fn token_hash(token: &str) -> String {
    let digest = sha2::Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(ApiError::internal)
}

/// Checks a password against a stored argon2id hash. With no stored hash (unknown user) it still
/// does the work of a verification, so timing does not reveal which emails exist.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    let Ok(hash) = PasswordHash::new(stored.unwrap_or(DUMMY_HASH)) else { return false };
    let ok = Argon2::default().verify_password(password.as_bytes(), &hash).is_ok();
    ok && stored.is_some()
}

/// A well-formed argon2id hash (default parameters) of nothing anyone knows, verified against
/// when an account does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG0Xc3ke1dLso";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    User,
    Client,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id or client row id.
    pub sub: String,
    pub kind: TokenKind,
    /// The sign-in session (users only): revoking it revokes the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Granted scopes, space-separated (clients only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> JwtKeys {
        JwtKeys { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }

    pub fn issue(
        &self,
        sub: Uuid,
        kind: TokenKind,
        sid: Option<Uuid>,
        scope: Option<String>,
        ttl: i64,
    ) -> Result<String, ApiError> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: sub.to_string(),
            kind,
            sid: sid.map(|s| s.to_string()),
            scope,
            iss: ISSUER.into(),
            iat: now,
            exp: now + ttl,
            jti: Uuid::new_v4().to_string(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(ApiError::internal)
    }

    fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map(|d| d.claims).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            match e.kind() {
                ErrorKind::ExpiredSignature => ApiError::unauthorized("token_expired", "the access token has expired"),
                _ => ApiError::unauthorized("invalid_token", "the access token is not valid"),
            }
        })
    }
}

/// The authenticated caller: every protected handler takes one.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// The session behind a user token (for logout).
    pub session_id: Option<Uuid>,
}

impl Caller {
    /// The signed-in user's account id; a machine client has none (403).
    pub fn user_uuid(&self) -> Result<Uuid, ApiError> {
        match &self.principal {
            Principal::User(u) => Ok(u.user_id.uuid()),
            Principal::Client(_) => Err(ApiError::forbidden()),
        }
    }

    /// A short label for audit records.
    pub fn actor(&self) -> String {
        match &self.principal {
            Principal::User(u) => format!("user:{}", u.user_id),
            Principal::Client(c) => format!("client:{}", c.client_id),
        }
    }
}

pub fn parse_uuid(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s).ok()
}

/// Parses a space-separated scope list.
pub fn parse_scopes(s: &str) -> Result<Vec<Scope>, String> {
    let mut scopes = vec![];
    for word in s.split_whitespace() {
        let scope = word.parse::<Scope>().map_err(|_| word.to_owned())?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    Ok(scopes)
}

pub fn format_scopes(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
}

/// A verified access token, not yet looked up: every protected handler takes one and hands it to
/// [`crate::db::Db::run_as`] or [`crate::db::Db::tx_as`], which resolve it to the [`Caller`] on the
/// connection that does the work. The signature and expiry are checked here, before the handler
/// runs; the session or client (revoked at once on every node) is checked in the database.
#[derive(Debug, Clone)]
pub struct Bearer {
    claims: Claims,
}

impl Bearer {
    /// Who holds the token, for keys scoped to a caller (`user:<id>` or `client:<id>`): checked
    /// for signature and expiry only, as the handler still resolves the caller itself.
    /// The machine client's row id, for a client's token.
    pub fn client(&self) -> Option<&str> {
        (self.claims.kind == TokenKind::Client).then_some(self.claims.sub.as_str())
    }

    pub fn subject(&self) -> String {
        match self.claims.kind {
            TokenKind::User => format!("user:{}", self.claims.sub),
            TokenKind::Client => format!("client:{}", self.claims.sub),
        }
    }

    /// The sign-in session the token belongs to (user tokens only).
    pub fn session_id(&self) -> Option<Uuid> {
        self.claims.sid.as_deref().and_then(parse_uuid)
    }

    /// Looks the caller up: the user's sign-in session or the machine client, refused if revoked.
    pub fn resolve(&self, conn: &mut DbConn) -> Result<Caller, ApiError> {
        let (principal, session_id) = crate::db::principals::of_claims(conn, &self.claims)?;
        Ok(Caller { principal, session_id })
    }
}

impl FromRequest for Bearer {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Bearer, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(bearer(req))
    }
}

pub(crate) fn bearer(req: &HttpRequest) -> Result<Bearer, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::internal("application state missing"))?;
    let unauthenticated = || ApiError::unauthorized("unauthenticated", "send an Authorization: Bearer token");
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .ok_or_else(unauthenticated)?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(unauthenticated)?;
    Ok(Bearer { claims: state.jwt.verify(token)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_accounts_cost_a_real_verification() {
        // If the dummy hash did not parse, unknown emails would answer faster than known ones.
        let parsed = PasswordHash::new(DUMMY_HASH).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(!verify_password("anything", None));
    }

    #[test]
    fn passwords_round_trip_through_argon2id() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", Some(&h)));
        assert!(!verify_password("wrong", Some(&h)));
        assert!(!verify_password("correct horse", Some("not a hash")));
    }

    #[test]
    fn scopes_parse_strictly() {
        assert_eq!(
            parse_scopes("roster:write  progress:read roster:write"),
            Ok(vec![Scope::RosterWrite, Scope::ProgressRead])
        );
        assert_eq!(parse_scopes("admin"), Err("admin".to_owned()));
    }
}
