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
