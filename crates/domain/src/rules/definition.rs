//! A programme's rules as data: what a participant must do, and by when, to be certified.

use serde::{Deserialize, Serialize};

/// The definition format's current version. Definitions carry it so old ones can be migrated.
pub const SCHEMA_VERSION: u32 = 1;

crate::wire_enum! {
    /// Kinds of session a programme runs.
    pub enum SessionKind {
        Induction => "induction",
        CoreWorkshop => "core_workshop",
        StudySession => "study_session",
        FaceToFaceDay => "face_to_face_day",
        SchoolImprovementHalfDay => "school_improvement_half_day",
        ClusterMeeting => "cluster_meeting",
        ActionLearningSet => "action_learning_set",
        PublicSeminar => "public_seminar",
        ImpactPresentation => "impact_presentation",
    }
}

crate::wire_enum! {
    pub enum CoachingMode {
        FaceToFace => "face_to_face",
        Phone => "phone",
        Email => "email",
    }
}

crate::wire_enum! {
    pub enum DiagnosticRound {
        /// Before induction.
        Baseline => "baseline",
        /// At the end of the programme.
        End => "end",
    }
}

crate::wire_enum! {
    pub enum RaterGroup {
        SelfReview => "self",
        LineManager => "line_manager",
        Peer => "peer",
        DirectReport => "direct_report",
        /// The participant's coach, who may be a reviewer (seed 004).
        Coach => "coach",
    }
}

impl RaterGroup {
    /// Reported on its own whatever its size: the participant's own view and the line manager's.
    /// Every other group is reported only with at least the anonymity threshold's answers.
    pub fn named(self) -> bool {
        matches!(self, RaterGroup::SelfReview | RaterGroup::LineManager)
    }
}

crate::wire_enum! {
    pub enum TeamSize {
        Individual => "individual",
        Pair => "pair",
        SmallGroup => "small_group",
    }
}

crate::wire_enum! {
    /// Stages a project passes through. Improvement projects use initiation, implementation and
    /// evaluation; school-to-school partnership projects use the need-to-findings stages.
    pub enum ProjectStage {
        Initiation => "initiation",
        Implementation => "implementation",
        Evaluation => "evaluation",
        NeedPosted => "need_posted",
        Matched => "matched",
        DataCollection => "data_collection",
        FindingsPresented => "findings_presented",
    }
}

crate::wire_enum! {
    /// Who a project's outcomes are presented to.
    pub enum Audience {
        Staff => "staff",
        SeniorTeam => "senior_team",
        Governors => "governors",
        Cohort => "cohort",
    }
}

crate::wire_enum! {
    /// Where a project takes place.
    pub enum ProjectSetting {
        OwnSchool => "own_school",
        OtherSchool => "other_school",
    }
}

crate::wire_enum! {
    pub enum PortfolioEntryKind {
        Reflection => "reflection",
        AnalyticalStory => "analytical_story",
        EvidenceItem => "evidence_item",
        ImpactPoster => "impact_poster",
    }
}

crate::wire_enum! {
    /// Who awards the certificate.
    pub enum Certifier {
        Provider => "provider",
        Trust => "trust",
    }
}

/// The whole definition. Every component but the duration is optional: a programme requires
/// only what it lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Always 1 for this format.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1))]
    #[serde(deserialize_with = "crate::whole::u32")]
    pub schema_version: u32,
    /// How long the programme runs from induction, in calendar months.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 60))]
    #[serde(deserialize_with = "crate::whole::u32")]
    pub duration_months: u32,
    /// Sessions a participant must attend.
    #[serde(default)]
    pub sessions: Vec<SessionRequirement>,
    /// The content areas the programme covers (shown, not evaluated).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::text::NameSchema>))]
    pub learning_areas: Vec<String>,
    /// Leadership behaviours the programme develops and the diagnostic rates.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::text::NameSchema>))]
    pub behaviours: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coaching: Option<CoachingRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<DiagnosticRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<PortfolioRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<AssessmentRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<SelfAssessmentRule>,
    pub certification: CertificationRule,
}

/// Attendance at one kind of session: a number of sessions, or a number of days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionRequirement {
    /// The session kinds that count towards this requirement.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub kinds: Vec<SessionKind>,
    /// At least this many sessions attended.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::whole::option_u32")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub min_sessions: Option<u32>,
    /// At least this many days attended (half-days count 0.5); a multiple of 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(exclusive_minimum = 0, maximum = 400, multiple_of = 0.5))]
    pub min_days: Option<f64>,
    /// What the programme calls these, e.g. "study sessions".
    #[cfg_attr(feature = "openapi", schema(value_type = crate::text::NameSchema))]
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CoachingRule {
    /// Sessions required in `count_modes`.
    #[serde(deserialize_with = "crate::whole::u32")]
    pub min_sessions: u32,
    /// Modes that count towards `min_sessions`.
    pub count_modes: Vec<CoachingMode>,
    /// Modes offered at all.
    pub modes: Vec<CoachingMode>,
    /// Coaching is offered to one participant per school in a cohort.
    #[serde(default)]
    pub one_per_school: bool,
    /// A named coach with a supporting statement is required from application.
    #[serde(default)]
    pub named_coach_required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DiagnosticRule {
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub rounds: Vec<DiagnosticRound>,
    pub rater_groups: Vec<RaterGroup>,
    /// A rater group other than self and line manager is reported only with at least this many answers.
    #[cfg_attr(feature = "openapi", schema(minimum = 2))]
    #[serde(deserialize_with = "crate::whole::u32")]
    pub anonymity_threshold: u32,
    /// The fewest answers a round needs from each group before it can close (groups not listed: none).
    #[serde(default)]
    pub min_raters: Vec<RaterMinimum>,
}

impl DiagnosticRule {
    /// The fewest answers the programme asks of `group` in a round.
    pub fn minimum(&self, group: RaterGroup) -> u32 {
        self.min_raters.iter().filter(|m| m.group == group).map(|m| m.count).max().unwrap_or(0)
    }
}

/// At least `count` answers from `group` in each round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RaterMinimum {
    pub group: RaterGroup,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 20))]
    #[serde(deserialize_with = "crate::whole::u32")]
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProjectRule {
    pub setting: ProjectSetting,
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub team_sizes: Vec<TeamSize>,
    /// The project must run for at least this many terms (on at least half the days of each).
    #[serde(default, deserialize_with = "crate::whole::u32")]
    pub min_terms: u32,
    /// Stages the project must complete, in order.
    pub stages: Vec<ProjectStage>,
    /// Outcomes must be presented to each of these.
    #[serde(default)]
    pub present_to: Vec<Audience>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PortfolioRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reflections: Option<ReflectionRule>,
    /// Other entries required, one of each.
    #[serde(default)]
    pub entries: Vec<PortfolioEntryKind>,
}

/// Reflections on sessions, e.g. on 3 cluster meetings, at least 1 of them led by the participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReflectionRule {
    pub on: SessionKind,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    #[serde(deserialize_with = "crate::whole::u32")]
    pub count: u32,
    #[serde(default, deserialize_with = "crate::whole::u32")]
    pub led_by_participant_min: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssessmentRule {
    /// The written report's word limit (supporting documents excluded).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::whole::option_u32")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub word_limit: Option<u32>,
    /// Criteria the assessor judges, e.g. initiation, implementation, evaluation.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::text::NameSchema>))]
    pub criteria: Vec<String>,
    /// Submission window in calendar months after induction, bounds included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<MonthWindow>,
    #[serde(default)]
    pub external_assessor: bool,
    /// The coach must verify the evidence before it is assessed.
    #[serde(default)]
    pub coach_verification: bool,
    /// Months a referred participant has to resubmit, from the day the outcome is released
    /// (3 where not given).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::whole::option_u32")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 24))]
    pub resubmission_months: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MonthWindow {
    #[serde(deserialize_with = "crate::whole::u32")]
    pub from_months: u32,
    #[serde(deserialize_with = "crate::whole::u32")]
    pub to_months: u32,
}

/// A termly self-assessment cycle (trust expectations): the school assesses, the trust assesses.
/// It is per school: every enrolment from a school shares the school's record. What is assessed
/// is the trust's own framework of themes and statements (`/organisations/{id}/expectations`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SelfAssessmentRule {
    /// Optional headings to show with the requirement; the statements assessed, and their themes,
    /// are the trust's framework, not the programme's.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::text::NameSchema>))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    #[serde(default)]
    pub trust_assessment: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CertificationRule {
    pub by: Certifier,
    /// Certification needs a passed final assessment.
    #[serde(default)]
    pub requires_assessment_pass: bool,
}

/// One thing wrong with a definition, at a JSON path such as `$.assessment.window`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionFault {
    pub path: String,
    pub code: String,
    pub message: String,
}

impl Definition {
    /// The session kinds a cohort of this programme may timetable: those its requirements count
    /// and its portfolio reflects on, plus induction and impact presentations, which every
    /// programme has.
    pub fn session_kinds(&self) -> Vec<SessionKind> {
        let mut kinds = vec![SessionKind::Induction, SessionKind::ImpactPresentation];
        for s in &self.sessions {
            kinds.extend(s.kinds.iter().copied());
        }
        kinds.extend(self.portfolio.iter().filter_map(|p| p.reflections.as_ref()).map(|r| r.on));
        kinds.sort_by_key(|k| k.as_str());
        kinds.dedup();
        kinds
    }

    /// Everything contradictory or impossible in the definition (serde has already refused
    /// unknown fields, unknown kinds and negative counts).
    pub fn faults(&self) -> Vec<DefinitionFault> {
        let none: Vec<String> = Vec::new();
        let mut out = vec![];
        let mut fault =
            |path: String, code: &str, message: String| out.push(DefinitionFault { path, code: code.into(), message });
        if self.schema_version != SCHEMA_VERSION {
            fault(
                "$.schema_version".into(),
                "unsupported_version",
                format!("only schema_version {SCHEMA_VERSION} is supported"),
            );
        }
        if self.duration_months == 0 || self.duration_months > 60 {
            fault("$.duration_months".into(), "out_of_range", "duration_months must be between 1 and 60".into());
        }
        for (i, s) in self.sessions.iter().enumerate() {
            let at = format!("$.sessions[{i}]");
            if s.kinds.is_empty() {
                fault(format!("{at}.kinds"), "empty", "name at least one session kind".into());
            }
            if s.min_sessions.is_none() && s.min_days.is_none() {
                fault(at.clone(), "no_threshold", "give min_sessions or min_days".into());
            }
            if s.min_sessions == Some(0) {
                fault(format!("{at}.min_sessions"), "out_of_range", "min_sessions must be at least 1".into());
            }
            if let Some(days) = s.min_days
                && (!(days > 0.0 && days <= 400.0) || (days * 2.0).fract() != 0.0)
            {
                fault(format!("{at}.min_days"), "not_half_days", "min_days must be a positive multiple of 0.5".into());
            }
            if let Err(e) = crate::text::name(&s.label) {
                fault(format!("{at}.label"), e.code(), format!("label {e}"));
            }
        }
        let lists = [
            ("$.learning_areas", &self.learning_areas),
            ("$.behaviours", &self.behaviours),
            ("$.assessment.criteria", self.assessment.as_ref().map(|a| &a.criteria).unwrap_or(&none)),
            ("$.self_assessment.themes", self.self_assessment.as_ref().map(|a| &a.themes).unwrap_or(&none)),
        ];
        for (at, items) in lists {
            for (i, item) in items.iter().enumerate() {
                if let Err(e) = crate::text::name(item) {
                    fault(format!("{at}[{i}]"), e.code(), e.to_string());
                } else if item.chars().count() > 200 {
                    fault(format!("{at}[{i}]"), "length", "at most 200 characters".into());
                }
            }
        }
        if let Some(c) = &self.coaching {
            if let Some(m) = c.count_modes.iter().find(|m| !c.modes.contains(m)) {
                fault(
                    "$.coaching.count_modes".into(),
                    "mode_not_offered",
                    format!("{m} counts but is not among the modes offered"),
                );
            }
            if c.min_sessions > 0 && c.count_modes.is_empty() {
                fault("$.coaching.count_modes".into(), "empty", "say which modes count towards min_sessions".into());
            }
        }
        if let Some(d) = &self.diagnostic {
            if d.rounds.is_empty() {
                fault("$.diagnostic.rounds".into(), "empty", "a diagnostic needs at least one round".into());
            }
            if d.anonymity_threshold < 2 {
                fault(
                    "$.diagnostic.anonymity_threshold".into(),
                    "out_of_range",
                    "an anonymity threshold below 2 identifies raters".into(),
                );
            }
            if self.behaviours.is_empty() && self.learning_areas.is_empty() {
                fault(
                    "$.behaviours".into(),
                    "empty",
                    "a diagnostic rates the programme's behaviours or learning areas: name at least one".into(),
                );
            }
            for (i, m) in d.min_raters.iter().enumerate() {
                let at = format!("$.diagnostic.min_raters[{i}]");
                if m.group == RaterGroup::SelfReview {
                    fault(
                        format!("{at}.group"),
                        "self_not_a_rater",
                        "the self-review is always one: no minimum".into(),
                    );
                } else if !d.rater_groups.contains(&m.group) {
                    fault(
                        format!("{at}.group"),
                        "group_not_offered",
                        format!("{} is not among the rater groups", m.group),
                    );
                }
                if !(1..=20).contains(&m.count) {
                    fault(format!("{at}.count"), "out_of_range", "a minimum is 1 to 20 raters".into());
                }
            }
        }
        if let Some(p) = &self.project {
            // A term is about four months of the calendar: more terms than the programme spans cannot be met.
            let max_terms = self.duration_months.div_ceil(4) + 1;
            if p.min_terms > max_terms {
                fault(
                    "$.project.min_terms".into(),
                    "unreachable",
                    format!("a {}-month programme spans at most {max_terms} terms", self.duration_months),
                );
            }
            if p.team_sizes.is_empty() {
                fault("$.project.team_sizes".into(), "empty", "allow at least one team size".into());
            }
        }
        if let Some(r) = self.portfolio.as_ref().and_then(|p| p.reflections.as_ref()) {
            if r.count == 0 {
                fault("$.portfolio.reflections.count".into(), "out_of_range", "count must be at least 1".into());
            }
            if r.led_by_participant_min > r.count {
                fault(
                    "$.portfolio.reflections.led_by_participant_min".into(),
                    "exceeds_count",
                    format!("cannot need {} led reflections out of {}", r.led_by_participant_min, r.count),
                );
            }
        }
        if let Some(a) = &self.assessment {
            if a.word_limit == Some(0) {
                fault("$.assessment.word_limit".into(), "out_of_range", "word_limit must be at least 1".into());
            }
            if a.resubmission_months.is_some_and(|m| !(1..=24).contains(&m)) {
                fault(
                    "$.assessment.resubmission_months".into(),
                    "out_of_range",
                    "resubmission_months is 1 to 24".into(),
                );
            }
            if let Some(w) = a.window
                && w.from_months > w.to_months
            {
                fault(
                    "$.assessment.window".into(),
                    "window_reversed",
                    format!("the window opens at {} months but closes at {}", w.from_months, w.to_months),
                );
            }
        }
        if self.certification.requires_assessment_pass && self.assessment.is_none() {
            fault(
                "$.certification.requires_assessment_pass".into(),
                "no_assessment",
                "certification needs an assessment the definition does not have".into(),
            );
        }
        out
    }
}
