//! One way to name an enum value for people: `value.label()`.

use trellis_domain::delivery::AttendanceStatus;
use trellis_domain::enrolment::{TransitionKind, WithdrawalReasonKind};
use trellis_domain::rules::RequirementStatus;
use trellis_domain::{EnrolmentStatus, Role};

/// A value's name as the SPA shows it.
pub trait Label {
    fn label(self) -> &'static str;
}

impl Label for Role {
    fn label(self) -> &'static str {
        let role = self;
        match role {
            Role::PlatformAdmin => "Platform admin",
            Role::TrustAdmin => "Trust admin",
            Role::SchoolLead => "School lead",
            Role::Facilitator => "Facilitator",
            Role::Coach => "Coach",
            Role::Assessor => "Assessor",
            Role::Participant => "Participant",
        }
    }
}

impl Label for trellis_domain::SchoolPhase {
    fn label(self) -> &'static str {
        let p = self;
        use trellis_domain::SchoolPhase as P;
        match p {
            P::Nursery => "Nursery",
            P::Primary => "Primary",
            P::Secondary => "Secondary",
            P::AllThrough => "All-through",
            P::Special => "Special",
            P::AlternativeProvision => "Alternative provision",
        }
    }
}

impl Label for EnrolmentStatus {
    fn label(self) -> &'static str {
        let s = self;
        match s {
            EnrolmentStatus::Nominated => "Nominated",
            EnrolmentStatus::Approved => "Approved",
            EnrolmentStatus::Active => "Active",
            EnrolmentStatus::Completed => "Completed",
            EnrolmentStatus::Certified => "Certified",
            EnrolmentStatus::Deferred => "Deferred",
            EnrolmentStatus::Withdrawn => "Withdrawn",
        }
    }
}

impl Label for TransitionKind {
    fn label(self) -> &'static str {
        let k = self;
        match k {
            TransitionKind::Approve => "Approve",
            TransitionKind::Activate => "Activate",
            TransitionKind::Complete => "Complete",
            TransitionKind::Certify => "Certify",
            TransitionKind::Defer => "Defer",
            TransitionKind::Resume => "Resume",
            TransitionKind::Withdraw => "Withdraw",
        }
    }
}

impl Label for WithdrawalReasonKind {
    fn label(self) -> &'static str {
        let k = self;
        match k {
            WithdrawalReasonKind::LeftSchool => "Left the school",
            WithdrawalReasonKind::StaffTurnover => "Staff turnover",
            WithdrawalReasonKind::Workload => "Workload",
            WithdrawalReasonKind::Other => "Other (say why)",
        }
    }
}

impl Label for RequirementStatus {
    fn label(self) -> &'static str {
        let s = self;
        match s {
            RequirementStatus::Met => "Met",
            RequirementStatus::Pending => "To do",
            RequirementStatus::Overdue => "Overdue",
            RequirementStatus::Failed => "Not met",
        }
    }
}

impl Label for AttendanceStatus {
    fn label(self) -> &'static str {
        let s = self;
        match s {
            AttendanceStatus::Present => "Present",
            AttendanceStatus::Late => "Late",
            AttendanceStatus::Absent => "Absent",
            AttendanceStatus::Apologies => "Apologies",
        }
    }
}

impl Label for trellis_domain::StaffRole {
    fn label(self) -> &'static str {
        use trellis_domain::StaffRole as R;
        match self {
            R::Teacher => "Teacher",
            R::TeachingAssistant => "Teaching assistant",
            R::LearningSupportAssistant => "Learning support assistant",
            R::MiddleLeader => "Middle leader",
            R::SeniorLeader => "Senior leader",
            R::Head => "Head",
            R::Governor => "Governor",
            R::Other => "Other",
        }
    }
}

impl Label for trellis_domain::project::FocusArea {
    fn label(self) -> &'static str {
        use trellis_domain::project::FocusArea as F;
        match self {
            F::LiteracyAndMathematics => "Literacy and mathematics",
            F::BehaviourForLearning => "Behaviour for learning",
            F::SelfInitiatedLearningEarlyYears => "Self-initiated learning in the early years",
            F::IndependentStudy => "Independent study",
            F::HomeLearning => "Home learning",
            F::AttendanceOfTargetGroups => "Attendance of target groups",
            F::Transition => "Transition",
            F::RestorativeApproaches => "Restorative approaches",
            F::PupilVoice => "Pupil voice",
            F::InterventionTracking => "Intervention tracking",
            F::CurriculumMaterials => "Curriculum materials",
            F::Other => "Something else",
        }
    }
}

impl Label for trellis_domain::rules::definition::ProjectStage {
    fn label(self) -> &'static str {
        use trellis_domain::rules::definition::ProjectStage as S;
        match self {
            S::Initiation => "Initiation",
            S::Implementation => "Implementation",
            S::Evaluation => "Evaluation",
            S::NeedPosted => "Need posted",
            S::Matched => "Matched",
            S::DataCollection => "Data collection",
            S::FindingsPresented => "Findings presented",
        }
    }
}

impl Label for trellis_domain::rules::definition::Audience {
    fn label(self) -> &'static str {
        use trellis_domain::rules::definition::Audience as A;
        match self {
            A::Staff => "Staff",
            A::SeniorTeam => "Senior team",
            A::Governors => "Governors",
            A::Cohort => "The cohort",
        }
    }
}

impl Label for trellis_domain::rules::definition::PortfolioEntryKind {
    fn label(self) -> &'static str {
        use trellis_domain::rules::definition::PortfolioEntryKind as K;
        match self {
            K::Reflection => "Reflection",
            K::AnalyticalStory => "Analytical story",
            K::EvidenceItem => "Evidence",
            K::ImpactPoster => "Impact poster",
        }
    }
}

impl Label for trellis_domain::portfolio::EntryState {
    fn label(self) -> &'static str {
        use trellis_domain::portfolio::EntryState as S;
        match self {
            S::Draft => "Draft",
            S::Submitted => "Submitted",
            S::Verified => "Verified",
            S::Returned => "Returned",
        }
    }
}

impl Label for trellis_domain::portfolio::EntryMove {
    fn label(self) -> &'static str {
        use trellis_domain::portfolio::EntryMove as M;
        match self {
            M::Submit => "Submit",
            M::Withdraw => "Withdraw",
            M::Verify => "Verify",
            M::Return => "Return with comments",
        }
    }
}

impl Label for trellis_domain::portfolio::PosterTheme {
    fn label(self) -> &'static str {
        use trellis_domain::portfolio::PosterTheme as T;
        match self {
            T::RaisedEngagementWithFamilies => "Raised engagement with families",
            T::ConstructiveUseOfEvidence => "Constructive use of evidence",
            T::ReflectionForAction => "Reflection for action",
            T::RaisingAttainment => "Raising attainment",
            T::ActiveCollaboration => "Active collaboration",
            T::DevelopingSustainability => "Developing sustainability",
        }
    }
}

impl Label for trellis_domain::assessment::SubmissionStatus {
    fn label(self) -> &'static str {
        use trellis_domain::assessment::SubmissionStatus as S;
        match self {
            S::Submitted => "Submitted",
            S::Withdrawn => "Withdrawn",
            S::Marked => "Marked",
            S::Released => "Outcome released",
        }
    }
}

impl Label for trellis_domain::rules::progress::AssessmentOutcome {
    fn label(self) -> &'static str {
        use trellis_domain::rules::progress::AssessmentOutcome as O;
        match self {
            O::Pass => "Pass",
            O::Refer => "Refer",
            O::Fail => "Fail",
        }
    }
}

impl Label for trellis_domain::assessment::CriterionVerdict {
    fn label(self) -> &'static str {
        use trellis_domain::assessment::CriterionVerdict as V;
        match self {
            V::Met => "Met",
            V::NotYetMet => "Not yet met",
        }
    }
}

impl Label for trellis_wire::RaterGroup {
    fn label(self) -> &'static str {
        use trellis_wire::RaterGroup as G;
        match self {
            G::SelfReview => "Self",
            G::LineManager => "Line manager",
            G::Peer => "Peers",
            G::DirectReport => "Direct reports",
            G::Coach => "Coach",
        }
    }
}

impl Label for trellis_wire::ColumnKey {
    fn label(self) -> &'static str {
        use trellis_wire::ColumnKey as K;
        match self {
            K::SelfReview => "Self",
            K::LineManager => "Line manager",
            K::Peer => "Peers",
            K::DirectReport => "Direct reports",
            K::Coach => "Coach",
            K::Others => "Others",
        }
    }
}

impl Label for trellis_wire::RaterStatus {
    fn label(self) -> &'static str {
        use trellis_wire::RaterStatus as S;
        match self {
            S::Invited => "Invited",
            S::Started => "Started",
            S::Answered => "Answered",
            S::Declined => "Declined",
        }
    }
}

impl Label for trellis_wire::RoundStatus {
    fn label(self) -> &'static str {
        use trellis_wire::RoundStatus as S;
        match self {
            S::Open => "Open",
            S::PastClosingDate => "Closing date passed",
            S::Closed => "Closed",
        }
    }
}

impl Label for trellis_wire::RoundKind {
    fn label(self) -> &'static str {
        use trellis_wire::RoundKind as R;
        match self {
            R::Baseline => "Baseline 360 (before induction)",
            R::End => "End-of-programme 360",
        }
    }
}

impl Label for trellis_wire::SelfReviewStatus {
    fn label(self) -> &'static str {
        use trellis_wire::SelfReviewStatus as S;
        match self {
            S::NotStarted => "Not started",
            S::Draft => "Draft saved",
            S::Submitted => "Handed in",
        }
    }
}
