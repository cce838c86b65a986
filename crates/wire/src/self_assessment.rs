//! Trust expectations (seed 002): the trust's framework of themes and statements, each school's
//! termly self-assessment and the trust's assessment of it, the heatmap of schools × themes with
//! the gaps flagged, the history by term, and the support allocated to each school and reviewed
//! termly.

use super::*;

pub use trellis_domain::expectations::{Side as AssessmentSide, SupportDecision, TermKey, Trend};

/// A statement of the framework.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExpectationStatement {
    pub id: Uuid,
    pub text: String,
}

/// A theme and its statements, in the trust's order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExpectationTheme {
    pub id: Uuid,
    pub name: String,
    pub statements: Vec<ExpectationStatement>,
}

/// One step of the 1–4 scale.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatingLevel {
    pub rating: u8,
    pub label: String,
}

/// What the caller may do with a trust's expectations: the SPA shows exactly these.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExpectationActions {
    /// Edit the framework (the trust's admins).
    pub edit: bool,
    /// See the heatmap of every school (the trust's admins).
    pub heatmap: bool,
}

/// A trust's expectations framework.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExpectationFramework {
    pub organisation_id: Uuid,
    /// Empty until the trust writes its framework.
    pub themes: Vec<ExpectationTheme>,
    /// The rating scale, 1 to 4.
    pub scale: Vec<RatingLevel>,
    /// A school's rating and the trust's that differ by this much or more are flagged.
    pub gap_flag: u8,
    /// The term today falls in.
    pub current_term: TermKey,
    pub actions: ExpectationActions,
}

/// A statement as written in an edit: with the `id` of one it replaces (its ratings stay with
/// it), or without for a new one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct StatementInput {
    pub id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(length(max = 500), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 500,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub text: String,
}

/// A theme as written in an edit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct ThemeInput {
    pub id: Option<Uuid>,
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
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 30), nested))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 30))]
    pub statements: Vec<StatementInput>,
}

/// The framework as it should now be: themes and statements left out are retired (past terms keep
/// their ratings of them).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct UpdateExpectationFramework {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 12), nested))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 12))]
    pub themes: Vec<ThemeInput>,
}

/// Where one side's assessment of a school for a term stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    NotStarted,
    /// Begun, not yet submitted: its ratings are its authors' alone.
    Draft,
    Submitted,
}

/// One side's assessment of a school for a term.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssessmentState {
    pub side: AssessmentSide,
    pub status: AssessmentStatus,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Statements rated, of the framework's (only where the caller sees the ratings).
    pub rated: Option<u32>,
    pub statements: u32,
    /// Whether the caller sees its ratings (its authors; everyone with access once submitted).
    pub visible: bool,
    /// Whether the caller may rate and submit it now.
    pub editable: bool,
}

/// One rating: the level, its word, and the evidence behind it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatingView {
    pub rating: u8,
    pub label: String,
    pub evidence: String,
}

/// A statement with both sides' ratings, as far as the caller may see them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewStatement {
    pub id: Uuid,
    pub text: String,
    /// No longer in the framework, shown because this term rated it.
    pub retired: bool,
    pub school: Option<RatingView>,
    pub trust: Option<RatingView>,
    /// The difference between the two, when both are visible.
    pub gap: Option<u8>,
    /// The gap is `gap_flag` or more.
    pub flagged: bool,
    /// Evidence files behind each side's rating, where the caller sees that side.
    pub school_files: Vec<ExpectationFile>,
    pub trust_files: Vec<ExpectationFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewTheme {
    pub id: Uuid,
    pub name: String,
    /// Means of the visible ratings, to one decimal place.
    pub school_mean: Option<f64>,
    pub trust_mean: Option<f64>,
    pub flagged: u32,
    pub statements: Vec<ReviewStatement>,
}

/// A school's expectations review for one term: both sides, as far as the caller may see them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SchoolExpectations {
    pub school_id: Uuid,
    pub school_name: String,
    pub organisation_id: Uuid,
    pub term: TermKey,
    /// "Autumn 2026".
    pub term_label: String,
    pub current_term: TermKey,
    pub school: AssessmentState,
    pub trust: AssessmentState,
    pub themes: Vec<ReviewTheme>,
    /// Statements flagged, over all themes.
    pub flagged: u32,
    pub scale: Vec<RatingLevel>,
}

/// One statement's rating, saved to a draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    pub statement_id: Uuid,
    /// 1 (not yet) to 4 (strong).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 4))]
    #[serde(deserialize_with = "trellis_domain::whole::u32")]
    pub rating: u32,
    /// What the rating rests on: notes, data, where the evidence is.
    #[cfg_attr(feature = "validate", validate(length(max = 4000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub evidence: String,
}

/// Ratings to save to one side's draft: those given replace that side's earlier ratings of the
/// same statements; the others stay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct SaveExpectationRatings {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 400), nested))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 400))]
    pub ratings: Vec<RatingInput>,
}

/// A theme, as a column of the heatmap or the history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ThemeHeading {
    pub id: Uuid,
    pub name: String,
}

/// A school × theme cell: both sides' means (submitted sides only) and the flagged statements.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HeatmapCell {
    pub theme_id: Uuid,
    pub school: Option<f64>,
    pub trust: Option<f64>,
    pub flagged: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HeatmapRow {
    pub school_id: Uuid,
    pub school_name: String,
    pub school_status: AssessmentStatus,
    pub trust_status: AssessmentStatus,
    pub cells: Vec<HeatmapCell>,
    pub flagged: u32,
    /// Hours of support allocated and still running.
    pub support_hours: f64,
    /// Reviews of its support owed for past terms.
    pub reviews_overdue: u32,
}

/// Every school of the trust × every theme, for one term.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExpectationHeatmap {
    pub organisation_id: Uuid,
    pub term: TermKey,
    pub term_label: String,
    pub themes: Vec<ThemeHeading>,
    pub rows: Vec<HeatmapRow>,
    pub flagged: u32,
    pub gap_flag: u8,
}

/// `?term=2026-autumn` (the current term when left out).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TermQuery {
    pub term: Option<TermKey>,
}

/// One term of a school's history: each theme's means (submitted sides only).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HistoryTerm {
    pub term: TermKey,
    pub term_label: String,
    /// In the order of `themes`.
    pub school: Vec<Option<f64>>,
    pub trust: Vec<Option<f64>>,
    pub school_overall: Option<f64>,
    pub trust_overall: Option<f64>,
    pub flagged: u32,
}

/// How a theme moved between the last two terms with ratings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ThemeTrend {
    pub theme_id: Uuid,
    pub school: Option<Trend>,
    pub trust: Option<Trend>,
}

/// A school's expectations by term, oldest first, with the trend.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExpectationHistory {
    pub school_id: Uuid,
    pub school_name: String,
    pub themes: Vec<ThemeHeading>,
    pub terms: Vec<HistoryTerm>,
    pub trends: Vec<ThemeTrend>,
}

/// Where a piece of support stands, from its reviews.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SupportStatus {
    Active,
    Complete,
    Stopped,
}

/// A termly review of a piece of support.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SupportReview {
    pub term: TermKey,
    pub hours_used: f64,
    pub impact: String,
    pub decision: SupportDecision,
    pub reviewed_at: DateTime<Utc>,
}

/// Support the trust allocated a school: what, who provides it, how many hours, and its reviews.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Support {
    pub id: Uuid,
    pub school_id: Uuid,
    /// The term it was allocated in.
    pub term: TermKey,
    pub what: String,
    pub provided_by: String,
    pub hours: f64,
    pub status: SupportStatus,
    pub hours_used: f64,
    pub reviews: Vec<SupportReview>,
    /// Past terms still owed a review.
    pub reviews_overdue: Vec<TermKey>,
    /// The current term is not yet reviewed.
    pub review_due: bool,
    /// Whether the caller may review it.
    pub reviewable: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SupportList {
    /// Newest first.
    pub items: Vec<Support>,
    /// Whether the caller may allocate more (the trust's admins).
    pub allocate: bool,
}

/// Support to allocate a school.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateSupport {
    /// The term it starts in (the current term when left out); not one still to come.
    pub term: Option<TermKey>,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub what: String,
    /// Who provides it: a person, a team, a partner school.
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub provided_by: String,
    /// In half hours: 0.5 to 1,000.
    #[cfg_attr(feature = "openapi", schema(minimum = 0.5, maximum = 1000, multiple_of = 0.5))]
    pub hours: f64,
}

/// A term's review of a piece of support (saving it again for the same term replaces it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct ReviewSupport {
    /// Hours used this term, in half hours: 0 to 1,000.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000, multiple_of = 0.5))]
    pub hours_used: f64,
    /// What difference it made.
    #[cfg_attr(feature = "validate", validate(length(max = 4000), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 4000,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub impact: String,
    pub decision: SupportDecision,
}

/// An evidence file behind a rating.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExpectationFile {
    pub id: Uuid,
    pub statement_id: Uuid,
    pub side: AssessmentSide,
    pub filename: String,
    /// Told from the file's bytes.
    pub media_type: String,
    pub size_bytes: u64,
    pub created_at: DateTime<Utc>,
}

/// Which statement an uploaded evidence file is for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ExpectationFileTarget {
    pub statement_id: Uuid,
}
