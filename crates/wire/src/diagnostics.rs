//! The 360 diagnostic: rounds per enrolment, raters nominated by group and answering through a
//! one-time link, the participant's self-review, and the report, which never shows one rater's
//! ratings.

use super::*;

pub use trellis_domain::diagnostic::{
    Answers, Cell as ReportCell, ChangeCell, ChangeRow, Column as ReportColumn, ColumnKey, GroupAnswered, GroupCount,
    Item as DiagnosticItem, ItemKind, RaterStatus, Rating, Report as RoundReport, RoundStatus, Row as ReportRow,
    SelfReviewStatus,
};
pub use trellis_domain::rules::definition::{DiagnosticRound as RoundKind, RaterGroup};

/// Opens a round of an enrolment's diagnostic.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateDiagnosticRound {
    pub round: RoundKind,
    /// The last day raters can answer (today or later).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub closes_on: NaiveDate,
}

/// Moves an open round's closing date (the links move with it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct UpdateDiagnosticRound {
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub closes_on: NaiveDate,
}

/// A round of the diagnostic: what it rates, where it stands and who has answered — never what.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DiagnosticRoundSummary {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub round: RoundKind,
    pub status: RoundStatus,
    pub closes_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// The behaviours and learning areas rated, in order.
    pub items: Vec<DiagnosticItem>,
    /// A group other than self and line manager is shown only with this many answers.
    pub threshold: u32,
    pub self_review: SelfReviewStatus,
    /// Nominations and answers per group, with the programme's minimums.
    pub groups: Vec<GroupCount>,
    /// The raters and where each stands: for those who run the round (the participant and the
    /// cohort's facilitators), `null` for others.
    pub raters: Option<Vec<Rater>>,
    /// What still stops the round closing.
    pub close_blockers: Vec<String>,
    /// The caller may nominate, close and move the date.
    pub may_run: bool,
    /// The caller writes the self-review (the participant).
    pub may_self_review: bool,
    /// The caller may read the report once the round is closed (the participant and coach).
    pub may_read_report: bool,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DiagnosticRoundList {
    pub items: Vec<DiagnosticRoundSummary>,
}

/// A nominated rater and where they stand.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Rater {
    pub id: Uuid,
    pub group: RaterGroup,
    pub name: String,
    pub email: String,
    pub status: RaterStatus,
    pub decline_reason: Option<String>,
    pub invited_at: DateTime<Utc>,
    pub reminded_at: Option<DateTime<Utc>>,
}

/// Raters to invite: each is emailed a link of their own.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct NominateRaters {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 30), nested))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 30))]
    pub raters: Vec<Nominee>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct Nominee {
    pub group: RaterGroup,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$",
            example = "Priya Shah"
        )
    )]
    pub name: String,
    #[cfg_attr(feature = "validate", validate(email, length(max = 320)))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 320, format = "email", example = "priya.shah@oakfield.example")
    )]
    pub email: String,
}

/// The participant's own review.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SelfReview {
    pub status: SelfReviewStatus,
    pub items: Vec<DiagnosticItem>,
    pub answers: Answers,
    pub saved_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// Saves the self-review; `submit` hands it in (every item rated or not observed), after which
/// it cannot change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct SaveSelfReview {
    pub answers: Answers,
    #[serde(default)]
    pub submit: bool,
}

/// An enrolment's reports: each closed round's, and baseline against end when both are closed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DiagnosticReport {
    pub enrolment_id: Uuid,
    pub participant_name: String,
    pub programme_name: String,
    pub baseline: Option<ClosedRound>,
    pub end: Option<ClosedRound>,
    /// Per item and column, baseline against end (empty until both are closed).
    pub change: Vec<ChangeRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClosedRound {
    pub round_id: Uuid,
    pub closed_on: NaiveDate,
    pub report: RoundReport,
}

/// What a rater's link opens: whom they are asked about, and their saved answers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RaterForm {
    pub rater_name: String,
    pub group: RaterGroup,
    pub participant_name: String,
    pub programme_name: String,
    pub round: RoundKind,
    pub closes_on: NaiveDate,
    pub threshold: u32,
    pub items: Vec<DiagnosticItem>,
    pub status: RaterStatus,
    pub answers: Answers,
}

/// A rater's answers, with the link's secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RaterAnswers {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
    pub answers: Answers,
}

/// Declining to rate, with a reason the participant sees.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct DeclineRating {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub reason: String,
}
