//! Request and response bodies of the Trellis API (`/api/v1`).
//!
//! These types are the contract: the server serialises them, the typed client and the SPA
//! deserialise them, and utoipa turns their doc comments into the OpenAPI document. Request
//! bodies refuse unknown fields, so a misspelt field is an error rather than silently ignored.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
#[cfg(feature = "validate")]
use validator::Validate;

pub use trellis_domain::{
    EnrolmentStatus, OrganisationKind, Role, SchoolPhase, StaffRole,
    authz::Scope,
    enrolment::{TransitionKind, WithdrawalReason, WithdrawalReasonKind},
    rules::{Definition, Preset, Progress, Requirement, RequirementStatus, TermCalendar, calendar::Term},
};

/// Largest page a list endpoint returns.
pub const MAX_PAGE: u32 = 200;
/// Page size when `limit` is not given.
pub const DEFAULT_PAGE: u32 = 50;

/// Free text is checked by the domain's one text rule ([`trellis_domain::text`]); the schema
/// attributes carry the same rule as `pattern`s (a test keeps them equal).
#[cfg(feature = "validate")]
mod checks {
    use trellis_domain::text::{self, TextError};
    use validator::ValidationError;

    fn err(e: TextError) -> ValidationError {
        ValidationError::new(e.code()).with_message(e.to_string().into())
    }

    pub fn name(s: &str) -> Result<(), ValidationError> {
        text::name(s).map_err(err)
    }

    pub fn line(s: &str) -> Result<(), ValidationError> {
        text::line(s).map_err(err)
    }

    pub fn multiline(s: &str) -> Result<(), ValidationError> {
        text::multiline(s).map_err(err)
    }
}

/// An RFC 9457 problem document: every 4xx and 5xx response has this shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Problem {
    /// A URI naming the problem type (`about:blank` or `https://trellis.example/problems/<code>`).
    #[serde(rename = "type")]
    pub type_: String,
    /// A short summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A stable snake_case code to branch on, e.g. `invalid_urn` or `illegal_transition`.
    #[cfg_attr(feature = "openapi", schema(example = "validation_failed"))]
    pub code: String,
    /// For validation problems: each offending field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// On `/auth/token` only: the RFC 6749 §5.2 error code, for OAuth 2.0 client libraries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// On `/auth/token` only: RFC 6749 `error_description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// One field that failed validation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldError {
    /// The field's name as sent, e.g. `urn` or `name`.
    pub field: String,
    /// A stable code for the failure, e.g. `blank`, `length`, `invalid_urn`.
    pub code: String,
    pub message: String,
}

/// Paging and delta parameters shared by every list endpoint.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Page size, 1 to 200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page, as given (empty means the first page).
    #[cfg_attr(feature = "openapi", param(max_length = 100, pattern = r"^[A-Za-z0-9_-]*$"))]
    pub cursor: Option<String>,
    /// Only items created or changed at or after this instant (RFC 3339).
    #[cfg_attr(feature = "openapi", param(pattern = r"^(19[0-9]{2}|[2-9][0-9]{3})-"))]
    pub updated_since: Option<DateTime<Utc>>,
}

macro_rules! page {
    ($name:ident, $item:ty) => {
        /// One page of results; follow `next_cursor` until it is null.
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(ToSchema))]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; null on the last page.
            pub next_cursor: Option<String>,
        }
    };
}

page!(OrganisationPage, Organisation);
page!(SchoolPage, School);
page!(HubPage, Hub);
page!(PersonPage, Person);
page!(ProgrammePage, Programme);
page!(CohortPage, Cohort);
page!(EnrolmentPage, Enrolment);

/// Service health.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.1.0"))]
    pub version: String,
    /// The database engine in use: `sqlite` or `postgres`.
    #[cfg_attr(feature = "openapi", schema(example = "sqlite"))]
    pub backend: String,
}

// ---- auth -------------------------------------------------------------------------------------

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
    pub role: Role,
    pub person_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
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

// ---- organisations, hubs, schools -------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    /// Real term dates for this organisation's schools, where they differ from the defaults.
    pub term_calendar: Option<TermCalendar>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisation {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Oakfield Learning Trust"))]
    pub name: String,
    pub kind: OrganisationKind,
}

/// A group of schools; one of them hosts the hub's sessions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Hub {
    pub id: Uuid,
    pub name: String,
    pub organisation_id: Uuid,
    pub host_school_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateHub {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub name: String,
    pub organisation_id: Uuid,
    pub host_school_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct School {
    pub id: Uuid,
    /// The six-digit Unique Reference Number.
    #[cfg_attr(feature = "openapi", schema(example = "100000"))]
    pub urn: String,
    pub name: String,
    pub phase: SchoolPhase,
    pub trust_id: Option<Uuid>,
    pub hub_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateSchool {
    /// Exactly six digits.
    #[cfg_attr(feature = "openapi", schema(example = "100000", pattern = r"^[0-9]{6}$"))]
    pub urn: String,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Oakfield Primary School"))]
    pub name: String,
    pub phase: SchoolPhase,
    /// The trust the school belongs to, if any (an organisation of kind `trust`).
    pub trust_id: Option<Uuid>,
    pub hub_id: Option<Uuid>,
}

// ---- people -----------------------------------------------------------------------------------

/// A member of staff or a governor of a school.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Person {
    pub id: Uuid,
    pub school_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub staff_role: StaffRole,
    /// The school MIS's own staff id; unique within the school.
    pub mis_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreatePerson {
    #[cfg_attr(feature = "validate", validate(length(max = 100), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Amira"))]
    pub given_name: String,
    #[cfg_attr(feature = "validate", validate(length(max = 100), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Khan"))]
    pub family_name: String,
    #[cfg_attr(feature = "validate", validate(email, length(max = 320)))]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 320))]
    pub email: Option<String>,
    pub staff_role: StaffRole,
    #[cfg_attr(feature = "validate", validate(length(max = 64), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 64,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "STF-0042"))]
    pub mis_id: Option<String>,
}

// ---- programmes and cohorts ---------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Programme {
    pub id: Uuid,
    pub name: String,
    /// The provider organisation that runs it.
    pub provider_id: Uuid,
    /// The preset it was created from, if any.
    pub preset_key: Option<String>,
    /// The programme's rules as data.
    pub definition: Definition,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateProgramme {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "NPQ for Middle Leadership"))]
    pub name: String,
    pub provider_id: Uuid,
    /// A preset key from `/programme-presets`; give this or `definition`, not both.
    #[cfg_attr(feature = "openapi", schema(example = "npq-middle-leadership"))]
    pub preset: Option<String>,
    /// A full definition (see the `Definition` schema); give this or `preset`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Definition>))]
    #[serde(default)]
    pub definition: Option<serde_json::Value>,
}

/// The built-in programme definitions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PresetList {
    pub items: Vec<Preset>,
}

/// When to evaluate progress.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ProgressParams {
    /// Evaluate as of this date (default: today, UTC).
    #[cfg_attr(feature = "openapi", param(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub as_of: Option<NaiveDate>,
}

/// Where one enrolment stands against its programme's rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EnrolmentProgress {
    pub enrolment_id: Uuid,
    pub programme_id: Uuid,
    pub as_of: NaiveDate,
    pub progress: Progress,
}

/// A cohort's progress, one summary per enrolment the caller may see.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CohortProgress {
    pub cohort_id: Uuid,
    pub programme_id: Uuid,
    pub as_of: NaiveDate,
    pub items: Vec<EnrolmentProgressSummary>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EnrolmentProgressSummary {
    pub enrolment_id: Uuid,
    pub person_name: String,
    pub school_id: Uuid,
    pub status: EnrolmentStatus,
    pub met: u32,
    pub pending: u32,
    pub overdue: u32,
    pub failed: u32,
    pub total: u32,
    pub certifiable: bool,
}

/// A participant's working draft of their final report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportDraft {
    pub enrolment_id: Uuid,
    pub text: String,
    /// The word count, as the programme's rules count words.
    pub words: u32,
    /// The programme's word limit, if it has one.
    pub word_limit: Option<u32>,
    pub over_limit: bool,
    /// Null until first saved.
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct SaveReportDraft {
    /// The whole draft (at most 200,000 characters).
    #[cfg_attr(feature = "validate", validate(length(max = 200000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 200000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub text: String,
}

/// One run of a programme.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Cohort {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub name: String,
    pub induction_date: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub hub_id: Option<Uuid>,
    /// The school that hosts the cohort's sessions.
    pub host_school_id: Option<Uuid>,
    /// Person ids of the facilitators.
    pub facilitator_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateCohort {
    pub programme_id: Uuid,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Autumn 2026, North hub"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub induction_date: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub start_date: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub end_date: NaiveDate,
    pub hub_id: Option<Uuid>,
    pub host_school_id: Option<Uuid>,
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub facilitator_ids: Vec<Uuid>,
}

// ---- enrolments -------------------------------------------------------------------------------

/// One of the caller's own enrolments, with the name of its cohort: what a participant's home page lists.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MyEnrolment {
    pub enrolment: Enrolment,
    pub cohort_name: String,
}

/// All of the caller's own enrolments, newest first (a person has a handful, so there is no paging).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MyEnrolmentList {
    pub items: Vec<MyEnrolment>,
}

/// A person in a cohort.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Enrolment {
    pub id: Uuid,
    pub cohort_id: Uuid,
    pub person_id: Uuid,
    /// The participant's name, for lists.
    pub person_name: String,
    pub school_id: Uuid,
    pub school_name: String,
    pub status: EnrolmentStatus,
    /// While deferred: the status a resume returns to.
    pub deferred_from: Option<EnrolmentStatus>,
    /// Set when withdrawn.
    pub withdrawal_reason: Option<WithdrawalReason>,
    pub coach_person_id: Option<Uuid>,
    /// The coach's supporting statement, given at application.
    pub coach_statement: Option<String>,
    /// The lifecycle moves legal from the current status (whether the caller may make them is
    /// decided per request).
    pub allowed_transitions: Vec<TransitionKind>,
    /// The moves the caller may make now: those legal from the current status that they are
    /// permitted to make (what a client should offer).
    pub actions: Vec<TransitionKind>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateEnrolment {
    /// The person to nominate.
    pub person_id: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct WithdrawRequest {
    pub reason: WithdrawalReasonKind,
    /// Required when `reason` is `other`.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub details: Option<String>,
}

// ---- delivery: sessions and registers ----------------------------------------------------------

pub use trellis_domain::delivery::{AttendanceStatus, SessionAudience};
pub use trellis_domain::rules::definition::SessionKind;

/// A session of a cohort. Times are UTC; `starts_local`/`ends_local` give Europe/London time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Session {
    pub id: Uuid,
    pub cohort_id: Uuid,
    pub kind: SessionKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Start in Europe/London, with its offset, e.g. `2026-10-24T10:00:00+01:00`.
    pub starts_local: String,
    pub ends_local: String,
    /// The host school, when the venue is a school.
    pub venue_school_id: Option<Uuid>,
    /// Free-text venue (an address, "Online").
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<Uuid>,
    /// The enrolment whose participant leads it (cluster meetings).
    pub led_by_enrolment_id: Option<Uuid>,
    pub audience: SessionAudience,
    pub group_id: Option<Uuid>,
    /// Set when cancelled: the session keeps its register but no longer counts.
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

page!(SessionPage, Session);

/// A new session. Times are RFC 3339 with an offset (`2026-10-24T09:00:00Z`), or a local
/// Europe/London time without one (`2026-10-24T10:00`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    pub kind: SessionKind,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Face-to-face day 2: Leading with impact"))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(example = "2026-10-24T10:00"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)| ([01]\d|2[0-3]):[0-5]\d)$"
        )
    )]
    pub starts_at: String,
    #[cfg_attr(feature = "openapi", schema(example = "2026-10-24T15:30"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)| ([01]\d|2[0-3]):[0-5]\d)$"
        )
    )]
    pub ends_at: String,
    pub venue_school_id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(length(max = 300), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$")
    )]
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<Uuid>,
    pub led_by_enrolment_id: Option<Uuid>,
    /// Default `cohort`.
    pub audience: Option<SessionAudience>,
    pub group_id: Option<Uuid>,
}

/// Changes to a session; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct UpdateSession {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub title: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)| ([01]\d|2[0-3]):[0-5]\d)$"
        )
    )]
    pub starts_at: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)| ([01]\d|2[0-3]):[0-5]\d)$"
        )
    )]
    pub ends_at: Option<String>,
    pub venue_school_id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(length(max = 300), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$")
    )]
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<Uuid>,
    pub led_by_enrolment_id: Option<Uuid>,
    pub audience: Option<SessionAudience>,
}

/// One line of a register.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RegisterEntry {
    pub enrolment_id: Uuid,
    pub status: AttendanceStatus,
    /// Face-to-face days credited, in halves (e.g. 0.5 for leaving a full day at lunch). Default:
    /// what the session kind is worth.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1, multiple_of = 0.5))]
    pub days: Option<f64>,
    /// Minutes attended, where that matters (e.g. arriving late).
    #[cfg_attr(feature = "validate", validate(range(max = 1440)))]
    #[cfg_attr(feature = "openapi", schema(maximum = 1440))]
    #[serde(default, deserialize_with = "trellis_domain::whole::option_u32")]
    pub minutes: Option<u32>,
}

/// The whole register of a session: it replaces what was recorded before. Enrolments not
/// listed keep no mark.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct Register {
    #[cfg_attr(feature = "validate", validate(length(max = 500), nested))]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub entries: Vec<RegisterEntry>,
}

/// A register mark, with the session it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AttendanceRecord {
    pub session_id: Uuid,
    pub session_title: String,
    pub kind: SessionKind,
    pub starts_at: DateTime<Utc>,
    pub enrolment_id: Uuid,
    pub person_name: String,
    pub status: AttendanceStatus,
    /// Face-to-face days credited.
    pub days: f64,
    pub minutes: Option<u32>,
    /// Counts towards the programme: attended, and the session is not cancelled.
    pub counted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AttendanceList {
    pub items: Vec<AttendanceRecord>,
    /// Face-to-face days counted so far.
    pub days_counted: f64,
}

// ---- coaching ------------------------------------------------------------------------------------

pub use trellis_domain::rules::definition::CoachingMode;

/// Names an enrolment's coach.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct AssignCoach {
    pub coach_person_id: Uuid,
    /// The coach's statement of commitment, given at application.
    #[cfg_attr(feature = "validate", validate(length(max = 5000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub supporting_statement: Option<String>,
}

/// A coaching session. `focus` and `notes` are present only for the coach and the coachee;
/// others see that the session happened.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoachingSession {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub coach_person_id: Uuid,
    pub held_on: NaiveDate,
    pub minutes: u32,
    pub mode: CoachingMode,
    pub focus: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateCoachingSession {
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub held_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(range(min = 1, max = 600)))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 600))]
    #[serde(deserialize_with = "trellis_domain::whole::u32")]
    pub minutes: u32,
    pub mode: CoachingMode,
    #[cfg_attr(feature = "validate", validate(length(max = 500), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 500,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub focus: String,
    #[cfg_attr(feature = "validate", validate(length(max = 20000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 20000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoachingSessionList {
    pub items: Vec<CoachingSession>,
}

// ---- calendar feeds --------------------------------------------------------------------------------

/// Subscribe to a cohort's timetable, or (with no cohort) to your own.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateCalendarFeed {
    pub cohort_id: Option<Uuid>,
}

/// A calendar subscription. `url` is shown once, at creation: it is the only credential.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarFeed {
    pub id: Uuid,
    pub cohort_id: Option<Uuid>,
    /// The `webcal`-ready https/http URL of the feed; present only in the creation response.
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarFeedList {
    pub items: Vec<CalendarFeed>,
}

// ---- learning groups -------------------------------------------------------------------------------

pub use trellis_domain::delivery::LearningGroupKind;

/// An action learning set or cluster group: a facilitator and a few members of one cohort.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LearningGroup {
    pub id: Uuid,
    pub cohort_id: Uuid,
    pub name: String,
    pub kind: LearningGroupKind,
    pub facilitator_person_id: Option<Uuid>,
    /// The members the caller may see.
    pub member_enrolment_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateLearningGroup {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub name: String,
    pub kind: LearningGroupKind,
    pub facilitator_person_id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(length(max = 50)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub member_enrolment_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LearningGroupList {
    pub items: Vec<LearningGroup>,
}

// ---- commands: requests parsed once into the domain's terms ---------------------------------------

impl From<trellis_domain::cohort::FieldFault> for FieldError {
    fn from(f: trellis_domain::cohort::FieldFault) -> FieldError {
        FieldError { field: f.field, code: f.code.into(), message: f.message }
    }
}

/// A cohort request as the domain's plan: dates checked against each other (every fault
/// collected), the name trimmed, the facilitators each once in id order. Field rules (lengths,
/// text) are the `validate` derive's; references to stored objects are the API's.
impl TryFrom<&CreateCohort> for trellis_domain::cohort::CohortPlan {
    type Error = Vec<trellis_domain::cohort::FieldFault>;

    fn try_from(b: &CreateCohort) -> Result<Self, Self::Error> {
        let dates = trellis_domain::cohort::CohortDates::new(b.induction_date, b.start_date, b.end_date)?;
        let mut facilitator_ids: Vec<_> = b.facilitator_ids.iter().map(|&p| p.into()).collect();
        facilitator_ids.sort();
        facilitator_ids.dedup();
        Ok(trellis_domain::cohort::CohortPlan {
            programme_id: b.programme_id.into(),
            name: b.name.trim().to_owned(),
            dates,
            hub_id: b.hub_id.map(Into::into),
            host_school_id: b.host_school_id.map(Into::into),
            facilitator_ids,
        })
    }
}

impl From<&RegisterEntry> for trellis_domain::delivery::MarkEntry {
    fn from(e: &RegisterEntry) -> Self {
        trellis_domain::delivery::MarkEntry {
            enrolment_id: e.enrolment_id.into(),
            status: e.status,
            days: e.days,
            minutes: e.minutes,
        }
    }
}

/// A session request as the domain's plan: both times parsed (RFC 3339 or Europe/London wall-clock
/// time, in [`trellis_domain::YEARS`]), every fault collected; text trimmed; the audience defaults
/// to the cohort. Field rules are the `validate` derive's; whether the times are in order, the kind
/// is the programme's and the references exist are checked with the cohort.
impl TryFrom<&CreateSession> for trellis_domain::delivery::SessionPlan {
    type Error = Vec<trellis_domain::cohort::FieldFault>;

    fn try_from(b: &CreateSession) -> Result<Self, Self::Error> {
        use trellis_domain::delivery::{parse_instant, trimmed};
        let starts = parse_instant("starts_at", &b.starts_at, trellis_domain::YEARS);
        let ends = parse_instant("ends_at", &b.ends_at, trellis_domain::YEARS);
        let (starts, ends) = match (starts, ends) {
            (Ok(s), Ok(e)) => (s, e),
            (s, e) => return Err(s.err().into_iter().chain(e.err()).collect()),
        };
        Ok(trellis_domain::delivery::SessionPlan {
            kind: b.kind,
            title: b.title.trim().to_owned(),
            starts,
            ends,
            venue_school_id: b.venue_school_id.map(Into::into),
            venue_text: b.venue_text.as_deref().and_then(trimmed),
            facilitator_person_id: b.facilitator_person_id.map(Into::into),
            led_by_enrolment_id: b.led_by_enrolment_id.map(Into::into),
            audience: b.audience.unwrap_or(SessionAudience::Cohort),
            group_id: b.group_id.map(Into::into),
        })
    }
}

impl UpdateSession {
    /// The edit as the domain's changes, and the faults of the times that did not parse (those stay
    /// as they were; everything else is changed, so the rest can still be checked and reported).
    pub fn changes(&self) -> (trellis_domain::delivery::SessionChanges, Vec<trellis_domain::cohort::FieldFault>) {
        use trellis_domain::delivery::parse_instant;
        let mut faults = vec![];
        let mut parse =
            |field, t: &Option<String>| match t.as_deref().map(|t| parse_instant(field, t, trellis_domain::YEARS)) {
                Some(Ok(t)) => Some(t),
                Some(Err(f)) => {
                    faults.push(f);
                    None
                }
                None => None,
            };
        let (starts, ends) = (parse("starts_at", &self.starts_at), parse("ends_at", &self.ends_at));
        let changes = trellis_domain::delivery::SessionChanges {
            title: self.title.clone(),
            starts,
            ends,
            venue_school_id: self.venue_school_id.map(Into::into),
            venue_text: self.venue_text.clone(),
            facilitator_person_id: self.facilitator_person_id.map(Into::into),
            led_by_enrolment_id: self.led_by_enrolment_id.map(Into::into),
            audience: self.audience,
        };
        (changes, faults)
    }
}
