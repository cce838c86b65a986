//! Cohorts: enrolments and their lifecycle, progress, report drafts; and the cohort request as the domain's plan.

use super::*;

page!(CohortPage, Cohort);
page!(EnrolmentPage, Enrolment);

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
    /// Set when a roster sync said the participant left their school while this enrolment was
    /// open: for the school's leads to review (withdraw with `left_school`, or transfer).
    pub left_school_on: Option<NaiveDate>,
    /// The lifecycle moves the API offers from the current status (whether the caller may make them
    /// is decided per request; certification follows a passed assessment and is not offered).
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

/// Completing an enrolment. The body is optional: without it, every requirement other than the
/// final assessment's must be met; with `override_reason`, the facilitator completes it anyway and
/// the reason is recorded with the requirements that were not met.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CompleteEnrolment {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$",
            example = "Attended the partner school's equivalent day 4; evidence on file."
        )
    )]
    pub override_reason: Option<String>,
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
