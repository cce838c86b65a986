//! The final assessment: the participant's submission (report, supporting documents, the project
//! it reports on), the coach's verification, assessors assigned by the provider, marks against the
//! programme's criteria, moderation, the released outcome, and outcomes shaped for the DfE.

use super::*;

pub use trellis_domain::assessment::{CriterionVerdict, JudgementKind, SubmissionStatus};
pub use trellis_domain::rules::progress::AssessmentOutcome;

/// A submission, as the participant makes it. Checked against the programme before it is
/// accepted: `report_over_word_limit`, `outside_assessment_window`, `project_too_short`,
/// `project_stages_incomplete`, `resubmission_closed` (each with its numbers).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateSubmission {
    /// The written report (supporting documents are not counted).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 100000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub report: String,
    /// The project it reports on: the participant's own.
    pub project_id: Uuid,
    /// Supporting documents: evidence files of the participant's portfolio, copied into the
    /// submission as they are now.
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    #[serde(default)]
    pub document_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct WithdrawSubmission {
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

/// The coach's statement that the evidence is the participant's and true.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct VerifySubmission {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 5000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub statement: String,
    pub verified_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct AssignAssessors {
    /// The assessor who marks it (an account holding the assessor role for the provider).
    pub marker_user_id: Uuid,
    /// A second assessor who moderates the mark before release.
    #[serde(default)]
    pub moderator_user_id: Option<Uuid>,
}

/// One criterion as judged.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CriterionJudgement {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub criterion: String,
    pub verdict: CriterionVerdict,
    #[cfg_attr(feature = "validate", validate(length(max = 5000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub feedback: String,
}

/// The marker's judgement: every criterion met or not yet met, with feedback, and the outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RecordMark {
    #[cfg_attr(feature = "validate", validate(length(max = 20), nested))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub criteria: Vec<CriterionJudgement>,
    pub outcome: AssessmentOutcome,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 10000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 10000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub feedback: String,
}

/// The moderator's judgement: confirms the mark, or overturns it with another outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RecordModeration {
    pub confirms: bool,
    /// The outcome instead, when overturning (`outcome_required` without it).
    #[serde(default)]
    pub outcome: Option<AssessmentOutcome>,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 5000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub reasons: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubmissionDocument {
    pub position: u32,
    pub filename: String,
    pub kind: FileKind,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoachVerification {
    pub statement: String,
    pub verified_on: NaiveDate,
    pub verified_by: String,
}

/// A judgement, kept as made: a later one never overwrites it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Judgement {
    pub id: Uuid,
    pub kind: JudgementKind,
    pub assessor_name: String,
    pub outcome: AssessmentOutcome,
    /// A moderation: it agrees with the mark.
    pub confirms: Option<bool>,
    pub criteria: Vec<CriterionJudgement>,
    pub feedback: String,
    pub recorded_at: DateTime<Utc>,
}

/// A submission. Its report and documents go to the participant, the coach, the cohort's
/// facilitators and the assessors assigned to it; its judgements to those who judge and run it,
/// and to the participant and coach once the outcome is released.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Submission {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub participant_name: String,
    pub cohort_name: String,
    /// 1, or 2 for the resubmission after a refer.
    pub attempt: u32,
    pub project_id: Uuid,
    pub status: SubmissionStatus,
    pub words: u32,
    pub word_limit: Option<u32>,
    pub criteria: Vec<String>,
    pub submitted_on: NaiveDate,
    pub submitted_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawal_reason: Option<String>,
    /// Absent for those who see only that it exists.
    pub report: Option<String>,
    pub documents: Vec<SubmissionDocument>,
    pub verification_required: bool,
    pub verification: Option<CoachVerification>,
    pub marker_user_id: Option<Uuid>,
    pub moderator_user_id: Option<Uuid>,
    /// Once released (or, before, to those who judge and run the assessment).
    pub outcome: Option<AssessmentOutcome>,
    pub released_at: Option<DateTime<Utc>>,
    /// After a refer: the last day the one resubmission is accepted.
    pub resubmit_by: Option<NaiveDate>,
    pub judgements: Vec<Judgement>,
    /// What the caller may do now: `withdraw`, `verify`, `assign`, `mark`, `moderate`, `release`.
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubmissionList {
    pub items: Vec<Submission>,
}

pub use trellis_domain::assessment::OutcomeState;

/// An outcome in the shape of the DfE Lead Provider API's NPQ outcomes (`state`,
/// `completion_date`, `course_identifier`), per enrolment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutcomeRecord {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub participant_id: Uuid,
    pub state: OutcomeState,
    pub completion_date: NaiveDate,
    /// The programme's preset key (e.g. `npq-middle-leadership`), else its id.
    pub course_identifier: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutcomeList {
    pub items: Vec<OutcomeRecord>,
}
