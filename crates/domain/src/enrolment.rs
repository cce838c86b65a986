//! The enrolment lifecycle: `nominated → approved → active → completed → certified`, with the side
//! exits `deferred` (resumable to where it left off) and `withdrawn` (terminal, with a reason).
//! Neither side exit deletes anything: they are states, not removals.

use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// Where an enrolment stands.
    pub enum EnrolmentStatus {
        Nominated => "nominated",
        Approved => "approved",
        Active => "active",
        Completed => "completed",
        Certified => "certified",
        Deferred => "deferred",
        Withdrawn => "withdrawn",
    }
}

impl EnrolmentStatus {
    /// Whether the participant's own work on the enrolment (such as their report draft) may still
    /// change. A programme not yet started (nominated, approved), under way (active) or paused
    /// (deferred: it resumes where it left off) is open; once it is over (completed, certified,
    /// or withdrawn, which is final) the work stands as it was: still readable, no longer changed.
    pub fn open_for_work(self) -> bool {
        use EnrolmentStatus as S;
        match self {
            S::Nominated | S::Approved | S::Active | S::Deferred => true,
            S::Completed | S::Certified | S::Withdrawn => false,
        }
    }
}

crate::wire_enum! {
    /// Where an enrolment stands in the DfE Lead Provider API's terms: everything not deferred or
    /// withdrawn is `active` (a nomination not yet started included, as the DfE counts an accepted
    /// application).
    pub enum TrainingStatus {
        Active => "active",
        Deferred => "deferred",
        Withdrawn => "withdrawn",
    }
}

impl EnrolmentStatus {
    pub fn training_status(self) -> TrainingStatus {
        match self {
            EnrolmentStatus::Deferred => TrainingStatus::Deferred,
            EnrolmentStatus::Withdrawn => TrainingStatus::Withdrawn,
            _ => TrainingStatus::Active,
        }
    }
}

/// The DfE's `cohort` of a programme starting on `start`: the academic year it starts in, named by
/// the calendar year of its September (a cohort starting in January 2025 is cohort 2024).
pub fn dfe_cohort(start: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    if start.month() >= 9 { start.year() } else { start.year() - 1 }
}

crate::wire_enum! {
    /// Why an enrolment was withdrawn (the DfE Lead Provider API's reasons, narrowed to ours).
    pub enum WithdrawalReasonKind {
        LeftSchool => "left_school",
        StaffTurnover => "staff_turnover",
        Workload => "workload",
        Other => "other",
    }
}

crate::wire_enum! {
    /// A named move in the lifecycle; each is one API action.
    pub enum TransitionKind {
        Approve => "approve",
        Activate => "activate",
        Complete => "complete",
        Certify => "certify",
        Defer => "defer",
        Resume => "resume",
        Withdraw => "withdraw",
    }
}

/// A withdrawal reason; `Other` carries the free text that explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawalReason {
    pub kind: WithdrawalReasonKind,
    /// Free text: required (non-blank) for `other`, optional otherwise.
    pub details: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WithdrawalReasonError {
    #[error("a withdrawal for reason \"other\" needs details saying why")]
    OtherNeedsDetails,
    #[error("details are at most 2000 characters")]
    DetailsTooLong,
}

impl WithdrawalReason {
    pub fn parse(kind: WithdrawalReasonKind, details: Option<&str>) -> Result<Self, WithdrawalReasonError> {
        let details = details.map(str::trim).filter(|d| !d.is_empty());
        if details.is_some_and(|d| d.chars().count() > 2000) {
            return Err(WithdrawalReasonError::DetailsTooLong);
        }
        if kind == WithdrawalReasonKind::Other && details.is_none() {
            return Err(WithdrawalReasonError::OtherNeedsDetails);
        }
        Ok(WithdrawalReason { kind, details: details.map(str::to_owned) })
    }
}

/// A requested move. Only `Withdraw` carries data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Approve,
    Activate,
    Complete,
    Certify,
    Defer,
    Resume,
    Withdraw(WithdrawalReason),
}

impl Transition {
    pub fn kind(&self) -> TransitionKind {
        match self {
            Transition::Approve => TransitionKind::Approve,
            Transition::Activate => TransitionKind::Activate,
            Transition::Complete => TransitionKind::Complete,
            Transition::Certify => TransitionKind::Certify,
            Transition::Defer => TransitionKind::Defer,
            Transition::Resume => TransitionKind::Resume,
            Transition::Withdraw(_) => TransitionKind::Withdraw,
        }
    }
}

/// The lifecycle state of one enrolment: its status and, while deferred, the status to resume to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentState {
    pub status: EnrolmentStatus,
    pub deferred_from: Option<EnrolmentStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {transition} an enrolment that is {from}")]
pub struct IllegalTransition {
    pub from: EnrolmentStatus,
    pub transition: TransitionKind,
}

impl EnrolmentState {
    /// A fresh nomination.
    pub const NOMINATED: EnrolmentState = EnrolmentState { status: EnrolmentStatus::Nominated, deferred_from: None };

    /// The state after `transition`, or why it is not allowed from here.
    pub fn apply(self, transition: &Transition) -> Result<EnrolmentState, IllegalTransition> {
        use EnrolmentStatus as S;
        let to = |status| Ok(EnrolmentState { status, deferred_from: None });
        match (self.status, transition) {
            (S::Nominated, Transition::Approve) => to(S::Approved),
            (S::Approved, Transition::Activate) => to(S::Active),
            (S::Active, Transition::Complete) => to(S::Completed),
            (S::Completed, Transition::Certify) => to(S::Certified),
            (S::Nominated | S::Approved | S::Active, Transition::Defer) => {
                Ok(EnrolmentState { status: S::Deferred, deferred_from: Some(self.status) })
            }
            // A deferred enrolment resumes where it left off; a state with no memory of that
            // (only possible through hand-edited data) resumes at the start rather than guessing higher.
            (S::Deferred, Transition::Resume) => to(self.deferred_from.unwrap_or(S::Nominated)),
            (S::Nominated | S::Approved | S::Active | S::Deferred, Transition::Withdraw(_)) => to(S::Withdrawn),
            (from, t) => Err(IllegalTransition { from, transition: t.kind() }),
        }
    }

    /// The moves allowed from here, for UIs that offer only what will succeed.
    pub fn allowed(self) -> Vec<TransitionKind> {
        let probe = |k: TransitionKind| match k {
            TransitionKind::Approve => Transition::Approve,
            TransitionKind::Activate => Transition::Activate,
            TransitionKind::Complete => Transition::Complete,
            TransitionKind::Certify => Transition::Certify,
            TransitionKind::Defer => Transition::Defer,
            TransitionKind::Resume => Transition::Resume,
            TransitionKind::Withdraw => {
                Transition::Withdraw(WithdrawalReason { kind: WithdrawalReasonKind::Workload, details: None })
            }
        };
        TransitionKind::ALL.iter().copied().filter(|k| self.apply(&probe(*k)).is_ok()).collect()
    }

    /// The moves the API offers from this state: the legal ones, less certification, which will
    /// follow a passed final assessment and cannot be made by hand (so it is not advertised).
    pub fn offered(self) -> Vec<TransitionKind> {
        self.allowed().into_iter().filter(|k| *k != TransitionKind::Certify).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EnrolmentStatus as S;

    #[test]
    fn certification_is_legal_from_completed_but_not_offered() {
        let completed = EnrolmentState { status: S::Completed, deferred_from: None };
        assert!(completed.allowed().contains(&TransitionKind::Certify));
        assert!(!completed.offered().contains(&TransitionKind::Certify));
        for status in S::ALL {
            let state = EnrolmentState { status: *status, deferred_from: None };
            assert!(state.offered().iter().all(|k| state.allowed().contains(k) && *k != TransitionKind::Certify));
        }
    }

    fn at(status: S) -> EnrolmentState {
        EnrolmentState { status, deferred_from: None }
    }

    fn withdraw() -> Transition {
        Transition::Withdraw(WithdrawalReason { kind: WithdrawalReasonKind::LeftSchool, details: None })
    }

    #[test]
    fn training_status_folds_the_lifecycle_into_three() {
        let ts: Vec<_> = S::ALL.iter().map(|s| s.training_status().as_str()).collect();
        assert_eq!(ts, ["active", "active", "active", "active", "active", "deferred", "withdrawn"]);
    }

    #[test]
    fn dfe_cohort_is_the_academic_year_of_the_start() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(dfe_cohort(d("2024-09-01")), 2024);
        assert_eq!(dfe_cohort(d("2025-01-15")), 2024);
        assert_eq!(dfe_cohort(d("2025-08-31")), 2024);
        assert_eq!(dfe_cohort(d("2025-09-01")), 2025);
    }

    #[test]
    fn happy_path_runs_to_certified() {
        let mut s = EnrolmentState::NOMINATED;
        for t in [Transition::Approve, Transition::Activate, Transition::Complete, Transition::Certify] {
            s = s.apply(&t).unwrap();
        }
        assert_eq!(s, at(S::Certified));
    }

    #[test]
    fn resume_returns_to_the_state_before_deferral() {
        for from in [S::Nominated, S::Approved, S::Active] {
            let deferred = at(from).apply(&Transition::Defer).unwrap();
            assert_eq!(deferred, EnrolmentState { status: S::Deferred, deferred_from: Some(from) });
            assert_eq!(deferred.apply(&Transition::Resume).unwrap(), at(from));
        }
    }

    #[test]
    fn illegal_moves_are_refused_with_their_names() {
        let err = at(S::Nominated).apply(&Transition::Complete).unwrap_err();
        assert_eq!(err, IllegalTransition { from: S::Nominated, transition: TransitionKind::Complete });
        assert_eq!(err.to_string(), "cannot complete an enrolment that is nominated");
        assert!(at(S::Withdrawn).apply(&Transition::Resume).is_err());
        assert!(at(S::Withdrawn).apply(&withdraw()).is_err(), "withdrawn is terminal");
        assert!(at(S::Certified).apply(&withdraw()).is_err());
        assert!(at(S::Completed).apply(&Transition::Defer).is_err());
        assert!(at(S::Active).apply(&Transition::Resume).is_err());
        assert!(at(S::Approved).apply(&Transition::Approve).is_err());
    }

    #[test]
    fn transition_table_is_exactly_the_documented_one() {
        let mut legal = vec![];
        for from in S::ALL {
            for kind in at(*from).allowed() {
                legal.push(format!("{from}:{kind}"));
            }
        }
        assert_eq!(
            legal,
            [
                "nominated:approve",
                "nominated:defer",
                "nominated:withdraw",
                "approved:activate",
                "approved:defer",
                "approved:withdraw",
                "active:complete",
                "active:defer",
                "active:withdraw",
                "completed:certify",
                "deferred:resume",
                "deferred:withdraw",
            ]
        );
    }

    #[test]
    fn work_stays_open_until_the_programme_is_over() {
        let open: Vec<_> = S::ALL.iter().filter(|s| s.open_for_work()).map(|s| s.as_str()).collect();
        assert_eq!(open, ["nominated", "approved", "active", "deferred"]);
    }

    #[test]
    fn withdrawal_reason_other_needs_details() {
        assert_eq!(
            WithdrawalReason::parse(WithdrawalReasonKind::Other, Some("   ")),
            Err(WithdrawalReasonError::OtherNeedsDetails)
        );
        let r = WithdrawalReason::parse(WithdrawalReasonKind::Other, Some(" moved abroad ")).unwrap();
        assert_eq!(r.details.as_deref(), Some("moved abroad"));
        assert!(WithdrawalReason::parse(WithdrawalReasonKind::Workload, None).is_ok());
        let long = "x".repeat(2001);
        assert_eq!(
            WithdrawalReason::parse(WithdrawalReasonKind::Workload, Some(&long)),
            Err(WithdrawalReasonError::DetailsTooLong)
        );
    }
}
