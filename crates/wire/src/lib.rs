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
    enrolment::{TrainingStatus, TransitionKind, WithdrawalReason, WithdrawalReasonKind},
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

impl From<trellis_domain::cohort::FieldFault> for FieldError {
    fn from(f: trellis_domain::cohort::FieldFault) -> FieldError {
        FieldError { field: f.field, code: f.code.into(), message: f.message }
    }
}

mod accounts;
mod assessment;
mod certificates;
mod coaching;
mod cohorts;
mod dashboards;
mod delivery;
mod diagnostics;
mod directory;
mod evaluation;
mod identity;
mod mail;
mod partnerships;
mod portfolio;
mod programmes;
mod projects;
mod roster;
mod self_assessment;
mod service;
mod webhooks;

pub use accounts::*;
pub use assessment::*;
pub use certificates::*;
pub use coaching::*;
pub use cohorts::*;
pub use dashboards::*;
pub use delivery::*;
pub use diagnostics::*;
pub use directory::*;
pub use evaluation::*;
pub use identity::*;
pub use mail::*;
pub use partnerships::*;
pub use portfolio::*;
pub use programmes::*;
pub use projects::*;
pub use roster::*;
pub use self_assessment::*;
pub use service::*;
pub use webhooks::*;
