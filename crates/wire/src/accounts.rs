//! Accounts: users and their roles, invitations, password resets, machine-client
//! administration, and the audit trail.

use super::*;

page!(UserPage, User);
page!(InvitationPage, Invitation);
page!(MachineClientPage, MachineClient);
page!(AuditEventPage, AuditEvent);

/// One role a user holds, in its context.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UserRole {
    pub id: Uuid,
    pub role: Role,
    /// The trust or provider, for trust admins, facilitators, coaches and assessors.
    pub organisation_id: Option<Uuid>,
    pub organisation_name: Option<String>,
    /// The school, for school leads and participants.
    pub school_id: Option<Uuid>,
    pub school_name: Option<String>,
    pub granted_at: DateTime<Utc>,
}

/// Chooses which of the user's roles this sign-in session acts in, from the next request on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SwitchRole {
    pub role_id: Uuid,
}

/// A user account, as those who manage it see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub person_id: Option<Uuid>,
    /// The roles the user holds (revoked ones are not listed).
    pub roles: Vec<UserRole>,
    /// Set when the account is deactivated: it cannot sign in and its tokens no longer work.
    pub deactivated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Filters for the user list.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    #[cfg_attr(feature = "openapi", param(max_length = 100, pattern = r"^[A-Za-z0-9_-]*$"))]
    pub cursor: Option<String>,
    /// Part of a name or email address, ignoring case.
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: Option<String>,
}

/// An invitation to take a role. The invitee gets an email with a one-time link.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateInvitation {
    #[cfg_attr(feature = "validate", validate(email, length(max = 320)))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 320, format = "email", example = "sam.jones@oakfield.example")
    )]
    pub email: String,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Sam Jones"))]
    pub display_name: String,
    pub role: Role,
    /// Required for trust admins, facilitators, coaches and assessors.
    pub organisation_id: Option<Uuid>,
    /// Required for school leads and participants.
    pub school_id: Option<Uuid>,
    /// The member of staff the account belongs to (a person of the school, or a provider's coach).
    pub person_id: Option<Uuid>,
}

trellis_domain::wire_enum! {
    /// Where an invitation stands.
    pub enum InvitationStatus {
        Pending => "pending",
        Accepted => "accepted",
        Expired => "expired",
        Revoked => "revoked",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub status: InvitationStatus,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

/// The secret from an emailed link.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct LinkToken {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
}

/// What an invitation link offers, for the page that accepts it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvitationPreview {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The trust, provider or school the role is held in.
    pub context_name: Option<String>,
    pub expires_at: DateTime<Utc>,
    /// True when the email already has an account: accepting then takes that account's
    /// password and adds the role to it.
    pub account_exists: bool,
}

/// Accepts an invitation: sets the new account's password (or, for an existing account, proves
/// it) and signs in in the new role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
    /// At least 10 characters, not a common password, not the email address.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 1024)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RequestPasswordReset {
    #[cfg_attr(feature = "validate", validate(length(min = 3, max = 320), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 3,
            max_length = 320,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$",
            example = "head.a@trellis.test"
        )
    )]
    pub email: String,
}

/// The same answer whether or not the email has an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordResetRequested {
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CompletePasswordReset {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 1024)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
}

/// A machine client (a school MIS, a trust dashboard). The secret is shown only when created or rotated.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MachineClient {
    pub id: Uuid,
    /// What the client sends as `client_id` to `/auth/token`.
    pub client_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// Every school of this trust, when set.
    pub trust_id: Option<Uuid>,
    pub school_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub secret_rotated_at: Option<DateTime<Utc>>,
    /// When the client last took an access token.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Requests per minute it may make (its own limit, or the server's default); more get 429
    /// `rate_limited` with `Retry-After`.
    pub rate_limit_per_minute: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateMachineClient {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Oakfield dashboard"))]
    pub name: String,
    /// At least one.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 2)))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 2))]
    pub scopes: Vec<Scope>,
    /// Act for every school of this trust (trust admins).
    pub trust_id: Option<Uuid>,
    /// Or act for these schools.
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    #[serde(default)]
    pub school_ids: Vec<Uuid>,
    /// Its own limit in requests per minute (default: the server's, `TRELLIS_CLIENT_RATE_LIMIT`).
    #[cfg_attr(feature = "validate", validate(range(min = 1, max = 100000)))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    #[serde(default)]
    pub rate_limit_per_minute: Option<u32>,
}

/// One day of a client's requests.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClientUsageDay {
    pub day: NaiveDate,
    pub requests: u32,
    /// Of those, refused with 429 for going over the limit.
    pub refused: u32,
}

/// What a client has asked of the API: its limit, this minute's count, and each day with requests.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClientUsage {
    pub rate_limit_per_minute: u32,
    pub this_minute: u32,
    /// The last `days` days, oldest first; days without requests are left out.
    pub days: Vec<ClientUsageDay>,
}

/// How many days of usage to give.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ClientUsageParams {
    /// 1 to 90 (default 30), today included.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 90))]
    pub days: Option<u32>,
}

/// A client with its new secret: store it now, it is not shown again.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MachineClientSecret {
    pub client: MachineClient,
    pub client_secret: String,
}

/// One change, recorded in the transaction that made it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The user who made the change (none for the system or the token holder of a link).
    pub actor_user_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(example = "invitation.created"))]
    pub action: String,
    #[cfg_attr(feature = "openapi", schema(example = "invitation"))]
    pub subject_kind: String,
    pub subject_id: Uuid,
    /// What changed (never a secret).
    pub detail: serde_json::Value,
}
