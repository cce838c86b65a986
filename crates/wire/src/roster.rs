//! Roster sync from a school's MIS, OneRoster 1.2-shaped: orgs and staff in (JSON or a CSV bundle),
//! a result per row out; and the OneRoster REST read of staff and orgs for off-the-shelf consumers.
//!
//! The OneRoster objects take the standard's own (camelCase) names and, unlike Trellis's own
//! request bodies, ignore fields Trellis does not use (`sms`, `grades`, `agents`, …), so a
//! producer can send its records as it has them.

use super::*;

pub use trellis_domain::roster::{RecordStatus, RowOutcome};

/// A reference to another OneRoster object.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OneRosterRef {
    pub sourced_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

/// A school as an MIS names it. Matched to a Trellis school the caller may staff by its
/// `identifier` (the school's URN) or by a `sourcedId` that is the Trellis school id; schools are
/// never created or closed by a roster.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RosterOrg {
    #[cfg_attr(feature = "openapi", schema(example = "org-1001"))]
    pub sourced_id: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// `school` (other org types are refused).
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    /// The school's URN.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "100001"))]
    pub identifier: Option<String>,
}

/// A user's role at an org (OneRoster 1.2 `roles`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OneRosterRole {
    /// `primary` or `secondary`: the primary role's org is the person's school.
    #[serde(default)]
    pub role_type: Option<String>,
    /// `teacher`, `aide`, `principal`, `administrator`, … (pupils and parents are refused).
    pub role: String,
    pub org: OneRosterRef,
}

/// Trellis's extension fields (`metadata`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RosterMetadata {
    /// One of Trellis's staff roles (`middle_leader`, `senior_leader`, `governor`, …), which
    /// OneRoster's roles cannot tell apart; it decides over `role`.
    #[serde(default, rename = "trellis.staffRole", skip_serializing_if = "Option::is_none")]
    pub staff_role: Option<String>,
}

/// A member of staff as an MIS sends them (OneRoster 1.2 `user`). Rows are checked one by one:
/// a bad row is refused in the result, never the whole sync.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RosterUser {
    /// The MIS's id for them: Trellis's `mis_id`, unique within the school.
    #[cfg_attr(feature = "openapi", schema(example = "T-0042"))]
    pub sourced_id: String,
    /// `active` (or absent) or `tobedeleted` (a leaver: marked as left, never deleted).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Their roles; the primary role's org is their school (a leaver needs none).
    #[serde(default)]
    pub roles: Vec<OneRosterRole>,
    /// Their school when `roles` is empty.
    #[serde(default)]
    pub primary_org: Option<OneRosterRef>,
    #[serde(default)]
    pub metadata: Option<RosterMetadata>,
}

/// A roster: the orgs its users belong to, and the users. A leaver (`tobedeleted`) with no role
/// is looked for in every school the caller may staff.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RosterSync {
    #[serde(default)]
    pub orgs: Vec<RosterOrg>,
    pub users: Vec<RosterUser>,
}

/// `POST /roster/sync` options.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RosterSyncParams {
    /// Check and compare everything, write nothing: the result says what a real sync would do.
    #[serde(default)]
    pub dry_run: bool,
}

/// What the sync did (or, in a dry run, would do) with one row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RosterRowResult {
    /// The row's number: in a CSV file its line (the header is line 1), in JSON its position in
    /// the list, from 1.
    pub row: u32,
    pub sourced_id: String,
    pub outcome: RowOutcome,
    /// The Trellis school the row is at.
    pub school_id: Option<Uuid>,
    /// The Trellis person it created, changed or matched (`null` in a dry run's `created`).
    pub person_id: Option<Uuid>,
    /// For `updated`: the fields that changed (their OneRoster names).
    pub changed: Vec<String>,
    /// For `left`: how many of their open enrolments were flagged "left school" for review.
    pub flagged_enrolments: u32,
    /// For `refused`: the code of the first reason, and every reason with its field.
    pub code: Option<String>,
    pub errors: Vec<FieldError>,
}

/// How many rows had each outcome.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RosterSummary {
    pub created: u32,
    pub updated: u32,
    pub left: u32,
    pub unchanged: u32,
    pub refused: u32,
    /// Open enrolments of leavers flagged "left school".
    pub flagged_enrolments: u32,
}

/// The per-row result of a sync. Each school's changes are written in one transaction.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RosterSyncResult {
    pub dry_run: bool,
    /// Counts over `users`.
    pub summary: RosterSummary,
    /// Each org: `unchanged` when matched to a school, else `refused`.
    pub orgs: Vec<RosterRowResult>,
    pub users: Vec<RosterRowResult>,
}

/// OneRoster REST paging and filtering (`limit`, `offset`, `filter=dateLastModified>'…'`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OneRosterParams {
    /// Page size, 1 to 1000 (default 100).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000))]
    pub limit: Option<u32>,
    /// How many records to skip.
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1000000000))]
    pub offset: Option<u32>,
    /// One predicate: `dateLastModified>'2026-09-01T00:00:00Z'` (also `>=`, or a date), or
    /// `status='active'` / `status='tobedeleted'`.
    #[cfg_attr(
        feature = "openapi",
        param(
            max_length = 200,
            pattern = r"^(dateLastModified>=?'(19[0-9]{2}|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2}))?'|status='(active|tobedeleted)')$"
        )
    )]
    pub filter: Option<String>,
}

/// A member of staff in OneRoster 1.2's REST shape.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OneRosterUser {
    /// Trellis's person id.
    pub sourced_id: Uuid,
    /// `tobedeleted` for a leaver.
    pub status: RecordStatus,
    pub date_last_modified: DateTime<Utc>,
    pub enabled_user: bool,
    pub username: String,
    /// The MIS's own id, as `{type: "MIS", identifier}`.
    pub user_ids: Vec<OneRosterUserId>,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub roles: Vec<OneRosterRole>,
    pub primary_org: OneRosterRef,
    pub metadata: RosterMetadata,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OneRosterUserId {
    #[serde(rename = "type")]
    pub type_: String,
    pub identifier: String,
}

/// A school in OneRoster 1.2's REST shape.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OneRosterOrg {
    /// Trellis's school id.
    pub sourced_id: Uuid,
    pub status: RecordStatus,
    pub date_last_modified: DateTime<Utc>,
    pub name: String,
    /// Always `school`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The school's URN.
    pub identifier: String,
    /// The trust, when the school is in one.
    pub parent: Option<OneRosterRef>,
}

/// `GET …/users`: a page of staff (the total in `X-Total-Count`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OneRosterUsers {
    pub users: Vec<OneRosterUser>,
}

/// `GET …/orgs`: a page of schools (the total in `X-Total-Count`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OneRosterOrgs {
    pub orgs: Vec<OneRosterOrg>,
}
