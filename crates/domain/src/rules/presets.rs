//! The built-in programmes, each from one of the source documents in `shared/seeds/`.

use serde::{Deserialize, Serialize};

use super::definition::*;

/// A ready-made definition with a stable key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preset {
    /// Stable: programmes name presets by this key.
    pub key: String,
    pub name: String,
    pub summary: String,
    pub definition: Definition,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn sessions(
    kinds: &[SessionKind],
    min_sessions: Option<u32>,
    min_days: Option<f64>,
    label: &str,
) -> SessionRequirement {
    SessionRequirement { kinds: kinds.to_vec(), min_sessions, min_days, label: label.into() }
}

const ALL_RATERS: [RaterGroup; 5] =
    [RaterGroup::SelfReview, RaterGroup::LineManager, RaterGroup::Peer, RaterGroup::DirectReport, RaterGroup::Coach];

/// A line manager, two peers and two direct reports at least: with the threshold of 3, peers and
/// direct reports below it are merged rather than shown.
fn min_raters() -> Vec<RaterMinimum> {
    vec![
        RaterMinimum { group: RaterGroup::LineManager, count: 1 },
        RaterMinimum { group: RaterGroup::Peer, count: 2 },
        RaterMinimum { group: RaterGroup::DirectReport, count: 2 },
    ]
}

fn base(duration_months: u32, by: Certifier) -> Definition {
    Definition {
        schema_version: SCHEMA_VERSION,
        duration_months,
        sessions: vec![],
        learning_areas: vec![],
        behaviours: vec![],
        coaching: None,
        diagnostic: None,
        project: None,
        portfolio: None,
        assessment: None,
        self_assessment: None,
        certification: CertificationRule { by, requires_assessment_pass: false },
    }
}

/// Seed 000: twelve months; three hub study sessions; six participant-led cluster meetings; a
/// work-based activity presented to staff; a portfolio certified by the trust.
pub fn leading_active_learning() -> Definition {
    Definition {
        sessions: vec![
            sessions(&[SessionKind::StudySession], Some(3), None, "study sessions"),
            sessions(&[SessionKind::ClusterMeeting], Some(6), None, "cluster group meetings"),
        ],
        learning_areas: strings(&[
            "Leadership development",
            "Reflective practice",
            "Solution-focused approaches",
            "Building professional relationships",
        ]),
        project: Some(ProjectRule {
            setting: ProjectSetting::OwnSchool,
            team_sizes: vec![TeamSize::Individual, TeamSize::Pair, TeamSize::SmallGroup],
            min_terms: 0,
            stages: vec![],
            present_to: vec![Audience::Staff],
        }),
        portfolio: Some(PortfolioRule {
            reflections: Some(ReflectionRule { on: SessionKind::ClusterMeeting, count: 3, led_by_participant_min: 1 }),
            entries: vec![PortfolioEntryKind::AnalyticalStory],
        }),
        ..base(12, Certifier::Trust)
    }
}

/// Seed 001: a year of core workshops, public seminars and action learning sets; coaching for one
/// leader per school; a leadership diagnostic; an impact poster at the final session.
pub fn leadership_for_learning() -> Definition {
    Definition {
        sessions: vec![
            sessions(&[SessionKind::CoreWorkshop], Some(3), None, "core workshops"),
            sessions(&[SessionKind::PublicSeminar], Some(5), None, "public seminars"),
            sessions(&[SessionKind::ActionLearningSet], Some(6), None, "action learning set meetings"),
        ],
        // The seed's diagnostic "focused on their leadership competencies" without listing them:
        // these are drawn from what its heads wanted the programme to develop.
        behaviours: strings(&[
            "Understanding of the levels of leadership",
            "Strategic thinking for school improvement",
            "Focus on pupil outcomes",
            "Developing others",
            "Working with other leaders",
            "Reflective practice",
        ]),
        coaching: Some(CoachingRule {
            min_sessions: 4,
            count_modes: vec![CoachingMode::FaceToFace],
            modes: vec![CoachingMode::FaceToFace, CoachingMode::Phone, CoachingMode::Email],
            one_per_school: true,
            named_coach_required: false,
        }),
        diagnostic: Some(DiagnosticRule {
            rounds: vec![DiagnosticRound::Baseline],
            rater_groups: ALL_RATERS.to_vec(),
            anonymity_threshold: 3,
            min_raters: min_raters(),
        }),
        portfolio: Some(PortfolioRule { reflections: None, entries: vec![PortfolioEntryKind::ImpactPoster] }),
        ..base(12, Certifier::Provider)
    }
}

/// Seed 003: a school-to-school project in a different school, from posted need to findings
/// presented to the host's senior team.
pub fn leadership_through_partnership() -> Definition {
    Definition {
        project: Some(ProjectRule {
            setting: ProjectSetting::OtherSchool,
            team_sizes: vec![TeamSize::Individual],
            min_terms: 0,
            stages: vec![
                ProjectStage::NeedPosted,
                ProjectStage::Matched,
                ProjectStage::DataCollection,
                ProjectStage::FindingsPresented,
            ],
            present_to: vec![Audience::SeniorTeam],
        }),
        ..base(12, Certifier::Provider)
    }
}

/// Seed 004: NPQ for Middle Leadership.
pub fn npq_middle_leadership() -> Definition {
    Definition {
        sessions: vec![sessions(
            &[SessionKind::Induction, SessionKind::FaceToFaceDay, SessionKind::SchoolImprovementHalfDay],
            None,
            Some(6.5),
            "face-to-face days",
        )],
        learning_areas: strings(&[
            "Strategy and Improvement",
            "Teaching and Curriculum Excellence",
            "Leading with Impact",
            "Working in Partnership",
            "Managing Resources and Risks",
            "Increasing Capability",
        ]),
        behaviours: strings(&[
            "Commitment",
            "Collaboration",
            "Personal drive",
            "Resilience",
            "Awareness",
            "Integrity",
            "Respect",
        ]),
        coaching: Some(CoachingRule {
            min_sessions: 0,
            count_modes: vec![],
            modes: vec![CoachingMode::FaceToFace, CoachingMode::Phone, CoachingMode::Email],
            one_per_school: false,
            named_coach_required: true,
        }),
        diagnostic: Some(DiagnosticRule {
            rounds: vec![DiagnosticRound::Baseline, DiagnosticRound::End],
            rater_groups: ALL_RATERS.to_vec(),
            anonymity_threshold: 3,
            min_raters: min_raters(),
        }),
        project: Some(ProjectRule {
            setting: ProjectSetting::OwnSchool,
            team_sizes: vec![TeamSize::Individual],
            min_terms: 2,
            stages: vec![ProjectStage::Initiation, ProjectStage::Implementation, ProjectStage::Evaluation],
            present_to: vec![],
        }),
        assessment: Some(AssessmentRule {
            word_limit: Some(4500),
            criteria: strings(&["Initiation", "Implementation", "Evaluation"]),
            window: Some(MonthWindow { from_months: 12, to_months: 18 }),
            external_assessor: true,
            coach_verification: true,
            resubmission_months: Some(3),
        }),
        certification: CertificationRule { by: Certifier::Provider, requires_assessment_pass: true },
        ..base(12, Certifier::Provider)
    }
}

/// Seed 002: not a course but the trust's termly cycle of self-assessment against its expectations.
/// The brochure's "Strategy" and "Implementation" are its page's headings, not themes: the themes
/// and statements are the trust's own framework, and the record is each school's, not a person's.
pub fn trust_expectations_review() -> Definition {
    Definition {
        self_assessment: Some(SelfAssessmentRule { themes: vec![], trust_assessment: true }),
        ..base(12, Certifier::Trust)
    }
}

/// All presets, in a stable order.
pub fn presets() -> Vec<Preset> {
    let p = |key: &str, name: &str, summary: &str, definition| Preset {
        key: key.into(),
        name: name.into(),
        summary: summary.into(),
        definition,
    };
    vec![
        p(
            "leading-active-learning",
            "Leading Active Learning",
            "12 months: 3 hub study sessions, 6 participant-led cluster meetings, a work-based activity presented to staff, and a portfolio certified by the trust.",
            leading_active_learning(),
        ),
        p(
            "leadership-for-learning",
            "Leadership for Learning",
            "A year of 3 core workshops, 5 public seminars and 6 action learning sets; coaching for one leader per school; a leadership diagnostic; an impact poster.",
            leadership_for_learning(),
        ),
        p(
            "leadership-through-partnership",
            "Developing Leadership through Partnership",
            "A school-to-school project in another school: need, match, visits with data collection, findings presented to the host's senior team.",
            leadership_through_partnership(),
        ),
        p(
            "npq-middle-leadership",
            "NPQ for Middle Leadership",
            "12 months; 6.5 face-to-face days; 360 diagnostic; a named coach; final assessment 12–18 months after induction: a 2-term project and a report of at most 4,500 words.",
            npq_middle_leadership(),
        ),
        p(
            "trust-expectations-review",
            "Trust expectations review",
            "The trust's termly cycle: schools self-assess against the trust's expectations and the trust assesses too.",
            trust_expectations_review(),
        ),
    ]
}

pub fn preset(key: &str) -> Option<Preset> {
    presets().into_iter().find(|p| p.key == key)
}
