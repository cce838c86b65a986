//! Projects: the work-based project, its stages, action log, impact measures and presentations.

use super::*;

pub use trellis_domain::project::FocusArea;
pub use trellis_domain::rules::definition::{Audience, ProjectStage, TeamSize};

/// The activity-system worksheet (seed 001): the parts of the activity the project changes.
/// Every part is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct ActivitySystem {
    /// Who is acting: the participant, the team.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub subject: String,
    /// What the activity is directed at, and the outcome sought.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub object: String,
    /// Tools and resources that mediate the work.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub tools: String,
    /// Rules, norms and routines that shape it.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub rules: String,
    /// The community with a stake in it.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub community: String,
    /// Who does what.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub division_of_labour: String,
    /// The outcome hoped for.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub outcome: String,
}

/// Starts a project for a team of one to six enrolments of the cohort. A participant puts
/// themselves on the team; a facilitator may start one for any team. The programme's rules are
/// checked first: its team sizes, and at least its minimum number of terms between the dates
/// (`project_too_short`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
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
    pub focus_area: FocusArea,
    /// What the focus is, in a line; required when `focus_area` is `other`.
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub focus_detail: Option<String>,
    /// Where the project happens: for a project in one's own school, every team member's school.
    pub host_school_id: Uuid,
    /// The enrolments on the team, of this cohort, each on no other project.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 6)))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 6))]
    pub team: Vec<Uuid>,
    /// The senior leader the project was agreed with, a person at the host school.
    pub sponsor_person_id: Option<Uuid>,
    /// The tutor who supports it: one of the cohort's facilitators.
    pub tutor_person_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub starts_on: NaiveDate,
    /// Planned end.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub ends_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(nested))]
    pub worksheet: Option<ActivitySystem>,
}

/// Replaces what a project says about itself (its team and host school stay as they were).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct UpdateProject {
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
    pub focus_area: FocusArea,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub focus_detail: Option<String>,
    pub sponsor_person_id: Option<Uuid>,
    pub tutor_person_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub starts_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub ends_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(nested))]
    pub worksheet: Option<ActivitySystem>,
}

/// A person a project names (its sponsor, its tutor, a team member).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectPerson {
    pub person_id: Uuid,
    pub display_name: String,
}

/// One of the team.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectMember {
    pub enrolment_id: Uuid,
    pub person_id: Uuid,
    pub display_name: String,
    pub school_id: Uuid,
}

/// A stage completed, with its date and a short account of it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectStageRecord {
    pub stage: ProjectStage,
    pub completed_on: NaiveDate,
    pub account: String,
}

/// Records a stage as completed (again: replaces its date and account). Stages go in the
/// programme's order, each dated on or after the one before (`stage_out_of_order`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RecordProjectStage {
    pub stage: ProjectStage,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub completed_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 5000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub account: String,
}

/// An entry of the action log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectAction {
    pub id: Uuid,
    pub taken_on: NaiveDate,
    pub description: String,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateProjectAction {
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub taken_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub description: String,
}

/// A dated reading of an impact measure.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImpactReading {
    pub taken_on: NaiveDate,
    pub value: f64,
    pub note: Option<String>,
}

/// What the project measures to show its impact, e.g. "KS1 phonics screening pass rate", from a
/// baseline towards a target, with dated readings (oldest first).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImpactMeasure {
    pub id: Uuid,
    pub name: String,
    /// e.g. "%", "pupils", "days".
    pub unit: String,
    pub baseline: f64,
    pub baseline_on: NaiveDate,
    pub target: f64,
    pub readings: Vec<ImpactReading>,
    /// How far the latest reading has come from the baseline to the target, in per cent.
    pub towards_target: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateImpactMeasure {
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
    #[cfg_attr(feature = "validate", validate(length(max = 40), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub unit: String,
    #[cfg_attr(feature = "validate", validate(range(min = -1.0e9, max = 1.0e9)))]
    #[cfg_attr(feature = "openapi", schema(minimum = -1.0e9, maximum = 1.0e9))]
    pub baseline: f64,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub baseline_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(range(min = -1.0e9, max = 1.0e9)))]
    #[cfg_attr(feature = "openapi", schema(minimum = -1.0e9, maximum = 1.0e9))]
    pub target: f64,
}

/// Records a reading; a second reading on the same day replaces the first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RecordImpactReading {
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub taken_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(range(min = -1.0e9, max = 1.0e9)))]
    #[cfg_attr(feature = "openapi", schema(minimum = -1.0e9, maximum = 1.0e9))]
    pub value: f64,
    #[cfg_attr(feature = "validate", validate(length(max = 500), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 500,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub note: Option<String>,
}

/// The project's outcomes presented to an audience.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectPresentation {
    pub id: Uuid,
    pub audience: Audience,
    pub presented_on: NaiveDate,
    pub next_steps: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateProjectPresentation {
    pub audience: Audience,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub presented_on: NaiveDate,
    /// What happens next, as agreed with the audience.
    #[cfg_attr(feature = "validate", validate(length(max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub next_steps: Option<String>,
}

/// A project, whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Project {
    pub id: Uuid,
    pub cohort_id: Uuid,
    pub title: String,
    pub focus_area: FocusArea,
    pub focus_detail: Option<String>,
    pub host_school_id: Uuid,
    pub host_school_name: String,
    pub team: Vec<ProjectMember>,
    pub sponsor: Option<ProjectPerson>,
    pub tutor: Option<ProjectPerson>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Terms the planned dates cover, against the trust's calendar.
    pub terms: u32,
    /// Terms the programme requires (0: no minimum).
    pub min_terms: u32,
    /// The programme's stages, in order.
    pub stage_order: Vec<ProjectStage>,
    /// Those completed, in the programme's order.
    pub stages: Vec<ProjectStageRecord>,
    /// Newest first.
    pub actions: Vec<ProjectAction>,
    pub measures: Vec<ImpactMeasure>,
    pub presentations: Vec<ProjectPresentation>,
    /// The audiences the programme requires the outcomes to be presented to.
    pub present_to: Vec<Audience>,
    pub worksheet: Option<ActivitySystem>,
    /// The caller may change it (a team member, a facilitator of the cohort).
    pub may_edit: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A project as listed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectSummary {
    pub id: Uuid,
    pub title: String,
    pub focus_area: FocusArea,
    pub host_school_id: Uuid,
    pub team: Vec<ProjectMember>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The last stage completed, if any.
    pub stage: Option<ProjectStage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectList {
    pub items: Vec<ProjectSummary>,
}
