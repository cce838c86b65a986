//! Programme evaluation (seed 001): interviews with heads and governors at the interim and end
//! stages, and a cohort's evaluation report — the cohort's statistics, attendance by kind of
//! session, withdrawals with their reasons, what heads expected, the impact seen, the challenges,
//! the impact posters by theme, and the evaluator's own words.

use super::*;

pub use trellis_domain::evaluation::{EvaluationStage, IntervieweeRole};

/// An interview as recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateEvaluationInterview {
    pub stage: EvaluationStage,
    pub role: IntervieweeRole,
    /// A school with someone enrolled in the cohort.
    pub school_id: Uuid,
    /// Who was interviewed, as the report names them ("Head, Oakfield Primary").
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub interviewee: String,
    /// On or after the cohort starts, not after today.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub held_on: NaiveDate,
    /// What they expected from the programme when their leaders enrolled.
    #[cfg_attr(feature = "validate", validate(length(max = 4000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub expected: String,
    /// The impact they have seen.
    #[cfg_attr(feature = "validate", validate(length(max = 4000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub impact: String,
    /// What made it harder.
    #[cfg_attr(feature = "validate", validate(length(max = 4000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub challenges: String,
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

/// An interview.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EvaluationInterview {
    pub id: Uuid,
    pub stage: EvaluationStage,
    pub role: IntervieweeRole,
    pub school_id: Uuid,
    pub school_name: String,
    pub interviewee: String,
    pub held_on: NaiveDate,
    pub expected: String,
    pub impact: String,
    pub challenges: String,
    pub notes: String,
}

/// The evaluator's own words for the report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct EvaluationNarrative {
    /// Who commissioned and ran the programme, and why.
    #[cfg_attr(feature = "validate", validate(length(max = 8000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 8000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub background: String,
    /// The challenges met in running it (staff turnover, heads' buy-in…).
    #[cfg_attr(feature = "validate", validate(length(max = 8000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 8000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub challenges: String,
    #[cfg_attr(feature = "validate", validate(length(max = 8000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 8000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub conclusion: String,
}

/// How many enrolments are in a state.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatusCount {
    pub status: EnrolmentStatus,
    pub count: u32,
}

/// Withdrawals for one reason, with the details given.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WithdrawalCount {
    pub reason: WithdrawalReasonKind,
    pub count: u32,
    pub details: Vec<String>,
}

/// Attendance at one kind of session.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KindAttendance {
    pub kind: SessionKind,
    /// Sessions held (not cancelled, begun).
    pub sessions: u32,
    pub marked: u32,
    pub present: u32,
    pub late: u32,
    pub absent: u32,
    pub apologies: u32,
    /// Present or late, of the marks.
    pub attendance_percent: Option<u32>,
}

/// The cohort in numbers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CohortStatistics {
    /// Enrolments, whatever became of them (governors enrolled counted under governors only).
    pub participants: u32,
    pub schools: u32,
    /// Governors engaged: enrolled in the cohort, or interviewed for its evaluation.
    pub governors: u32,
    /// The schools those governors represent.
    pub governor_schools: u32,
    pub by_status: Vec<StatusCount>,
    pub withdrawals: Vec<WithdrawalCount>,
    pub attendance: Vec<KindAttendance>,
    /// Completed or certified, of those who started (every enrolment not still nominated).
    pub completed: u32,
    pub started: u32,
    pub completion_percent: Option<u32>,
}

/// A theme and its posters' count.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ThemeCount {
    pub theme: PosterTheme,
    pub posters: u32,
}

/// A poster, as the report's annex lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PosterSummary {
    pub entry_id: Uuid,
    pub title: String,
    pub participant: String,
    pub school_name: String,
    pub focus: String,
    pub impact: String,
    pub themes: Vec<PosterTheme>,
}

/// One of the interview's questions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EvaluationQuestion {
    pub field: String,
    pub question: String,
}

/// A cohort's evaluation report, as the seed's Year 1 report is laid out.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EvaluationReport {
    pub cohort_id: Uuid,
    pub cohort_name: String,
    pub programme_name: String,
    pub provider_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub statistics: CohortStatistics,
    pub questions: Vec<EvaluationQuestion>,
    /// Oldest first.
    pub interviews: Vec<EvaluationInterview>,
    /// Handed-in impact posters by theme, in the seed's order (empty themes included, at 0).
    pub themes: Vec<ThemeCount>,
    pub posters: Vec<PosterSummary>,
    pub narrative: EvaluationNarrative,
    /// When the narrative was last written.
    pub updated_at: Option<DateTime<Utc>>,
}
