//! School-to-school partnerships (seed 003): rounds a trust runs for its schools, the needs each
//! school posts, the colleague from another school matched to one, their visits, and the findings
//! and action plan presented to the host's senior team.

use super::*;

pub use trellis_domain::partnership::{DataCollection, NeedArea, NeedStatus, RoundStatus as PartnershipRoundStatus};

/// A new partnership round.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreatePartnershipRound {
    /// The trust that runs it: the caller's.
    pub organisation_id: Uuid,
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
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub starts_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub ends_on: NaiveDate,
    /// The trust's schools taking part (every school of the trust when left out).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 500)))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub school_ids: Option<Vec<Uuid>>,
}

/// A school taking part in a round.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoundSchool {
    pub id: Uuid,
    pub name: String,
    pub urn: String,
}

/// What the caller may do to a round or a need: the SPA shows exactly these.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipActions {
    /// Postpone, resume, circulate (the round); edit and acknowledge (a need).
    pub manage: bool,
    /// Post a need (the round); match a colleague (a need), for at least one school.
    pub contribute: bool,
    /// Log visits and write the findings up (a need).
    pub report: bool,
}

/// A partnership round.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipRound {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: PartnershipRoundStatus,
    /// While postponed: when it restarts, and why it was postponed.
    pub restart_on: Option<NaiveDate>,
    pub postponement_reason: Option<String>,
    /// When the board was last sent to the participating schools.
    pub circulated_at: Option<DateTime<Utc>>,
    pub schools: Vec<RoundSchool>,
    pub needs: u32,
    pub matched: u32,
    pub actions: PartnershipActions,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipRoundList {
    /// Newest first.
    pub items: Vec<PartnershipRound>,
}

/// Postpones a round: everyone affected (each school's leads, every matched colleague) is told by
/// email, with the restart date.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct PostponePartnershipRound {
    /// After today.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub restart_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(length(max = 500), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 500,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub reason: String,
}

/// How many people a notice or digest went to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipNotice {
    pub round: PartnershipRound,
    /// Emails queued in the outbox.
    pub recipients: u32,
}

/// A need a school posts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreatePartnershipNeed {
    /// The host: a school taking part, which the caller leads.
    pub school_id: Uuid,
    pub area: NeedArea,
    /// The subject or year group (`curriculum_review`), the topic (`other`); optional otherwise.
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$")
    )]
    pub area_detail: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub title: String,
    /// What the school would like looked at, and what improvement would look like.
    #[cfg_attr(feature = "validate", validate(length(max = 4000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub description: String,
    /// The time frame the work fits in.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub starts_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub ends_on: NaiveDate,
}

/// The colleague matched to a need.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipMatch {
    pub person_id: Uuid,
    pub person_name: String,
    pub school_id: Uuid,
    pub school_name: String,
    pub matched_at: DateTime<Utc>,
    /// Straight-line distance between the two schools, when both have coordinates.
    pub distance_km: Option<f64>,
}

/// A visit to the host school and how it collected data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipVisit {
    pub id: Uuid,
    pub visited_on: NaiveDate,
    pub data_collection: Vec<DataCollection>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
}

/// The write-up: findings, the action plan, and when they were presented.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipFindings {
    pub findings: String,
    pub action_plan: String,
    /// When they were presented to the host's senior team.
    pub presented_on: NaiveDate,
    /// Also to the governors.
    pub presented_to_governors: bool,
    pub reported_at: DateTime<Utc>,
    /// When the host school acknowledged them.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// A need on the board, with its match, visits and findings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipNeed {
    pub id: Uuid,
    pub round_id: Uuid,
    pub round_name: String,
    pub school_id: Uuid,
    pub school_name: String,
    pub area: NeedArea,
    pub area_detail: Option<String>,
    pub title: String,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: NeedStatus,
    #[serde(rename = "match")]
    pub matched: Option<PartnershipMatch>,
    /// Oldest first.
    pub visits: Vec<PartnershipVisit>,
    pub findings: Option<PartnershipFindings>,
    pub actions: PartnershipActions,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipNeedList {
    /// By host school name, then when posted.
    pub items: Vec<PartnershipNeed>,
}

/// Matches a member of the caller's school's staff to another school's need.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreatePartnershipMatch {
    pub person_id: Uuid,
}

/// A member of staff who might take a need on, ranked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipSuggestion {
    pub person_id: Uuid,
    pub person_name: String,
    pub school_id: Uuid,
    pub school_name: String,
    /// They offered to take on needs of this area in the round.
    pub offers_area: bool,
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipSuggestionList {
    /// Those who offered the area first, then the nearest, then by name; at most 50.
    pub items: Vec<PartnershipSuggestion>,
}

/// A member of staff's offer: the areas they would take a need on in (empty withdraws it).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct PartnershipOffer {
    #[cfg_attr(feature = "validate", validate(length(max = 10)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub areas: Vec<NeedArea>,
}

/// A visit the colleague made.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreatePartnershipVisit {
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub visited_on: NaiveDate,
    /// At least one; each at most once.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 5)))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5))]
    pub data_collection: Vec<DataCollection>,
    #[cfg_attr(feature = "validate", validate(length(max = 4000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub notes: String,
}

/// The write-up, replaced whole until the host acknowledges it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct WritePartnershipFindings {
    #[cfg_attr(feature = "validate", validate(length(max = 8000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 8000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub findings: String,
    #[cfg_attr(feature = "validate", validate(length(max = 8000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 8000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub action_plan: String,
    /// When they were presented to the host's senior team: on or after the first visit.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub presented_on: NaiveDate,
    #[serde(default)]
    pub presented_to_governors: bool,
}
