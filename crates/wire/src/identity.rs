//! Identity: signing in, tokens, and who the caller is.

use super::*;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "validate", validate(length(min = 3, max = 320), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 3,
            max_length = 320,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "head.a@trellis.test"))]
    pub email: String,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 1024)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    #[cfg_attr(feature = "openapi", schema(example = "trellis-demo"))]
    pub password: String,
}

/// Tokens for a signed-in user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenPair {
    /// A short-lived JWT; send as `Authorization: Bearer <token>`.
    pub access_token: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: exchange at `/auth/refresh` for a new pair.
    pub refresh_token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub refresh_token: String,
}

/// OAuth 2.0 client-credentials request (RFC 6749 §4.4), form-encoded. The client may instead
/// authenticate with HTTP Basic (`client_id:client_secret`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClientTokenRequest {
    /// Must be `client_credentials`.
    #[cfg_attr(feature = "openapi", schema(example = "client_credentials", required = true, value_type = String, pattern = "^client_credentials$"))]
    pub grant_type: Option<String>,
    /// With `client_secret`, unless the client authenticates with HTTP Basic.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub client_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub client_secret: Option<String>,
    /// Space-separated subset of the client's scopes; all of them when absent.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "roster:write progress:read",
            pattern = r"^(roster:write|progress:read)( (roster:write|progress:read))*$"
        )
    )]
    pub scope: Option<String>,
}

/// An access token for a machine client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClientToken {
    pub access_token: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    pub expires_in: i64,
    /// The granted scopes, space-separated.
    pub scope: String,
}

/// Who the caller is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Me {
    User(MeUser),
    Client(MeClient),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MeUser {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    /// The role this sign-in acts in (one of `roles`), and its context.
    pub role: Role,
    pub role_id: Uuid,
    pub person_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
    /// Every role the user holds; switch with `PUT /auth/role`.
    pub roles: Vec<UserRole>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MeClient {
    pub client_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub school_ids: Vec<Uuid>,
    pub trust_id: Option<Uuid>,
}
