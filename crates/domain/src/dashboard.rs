//! What a trust dashboard counts: enrolments tallied by where they stand, with completion and
//! attendance rates worked out one way for the API, the SPA and the CSV exports.

use serde::{Deserialize, Serialize};

use crate::EnrolmentStatus;

/// One enrolment, as a tally counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub status: EnrolmentStatus,
    pub met: u32,
    pub total: u32,
    pub overdue: u32,
    pub sessions_attended: u32,
    pub sessions_marked: u32,
    pub left_school: bool,
}

/// A group of enrolments (a school's on a programme, or a whole trust's), counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    /// Every enrolment, whatever its status.
    pub enrolments: u32,
    /// Nominated, approved or active: still under way.
    pub live: u32,
    /// Completed or certified.
    pub completed: u32,
    pub certified: u32,
    pub withdrawn: u32,
    /// Deferred to a later cohort.
    pub deferred: u32,
    /// Live enrolments with at least one requirement overdue.
    pub with_overdue: u32,
    /// Overdue requirements across the live enrolments.
    pub overdue_requirements: u32,
    pub requirements_met: u32,
    pub requirements_total: u32,
    pub sessions_attended: u32,
    pub sessions_marked: u32,
    /// Enrolments flagged because the participant left their school.
    pub left_school: u32,
    /// Completed of those who did not withdraw or defer, in whole per cent (null when none).
    pub completion_percent: Option<u32>,
    /// Sessions attended of those marked, in whole per cent (null when no register is marked).
    pub attendance_percent: Option<u32>,
}

/// `part` of `whole` in per cent, rounded half up; `None` of nothing.
pub fn percent(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| ((u64::from(part) * 200 + u64::from(whole)) / (2 * u64::from(whole))) as u32)
}

impl Tally {
    pub fn add(&mut self, e: Counted) {
        use EnrolmentStatus as S;
        self.enrolments += 1;
        match e.status {
            S::Nominated | S::Approved | S::Active => {
                self.live += 1;
                if e.overdue > 0 {
                    self.with_overdue += 1;
                }
                self.overdue_requirements += e.overdue;
            }
            S::Completed => self.completed += 1,
            S::Certified => {
                self.completed += 1;
                self.certified += 1;
            }
            S::Withdrawn => self.withdrawn += 1,
            S::Deferred => self.deferred += 1,
        }
        self.requirements_met += e.met;
        self.requirements_total += e.total;
        self.sessions_attended += e.sessions_attended;
        self.sessions_marked += e.sessions_marked;
        self.left_school += u32::from(e.left_school);
        self.refresh();
    }

    pub fn merge(&mut self, o: &Tally) {
        self.enrolments += o.enrolments;
        self.live += o.live;
        self.completed += o.completed;
        self.certified += o.certified;
        self.withdrawn += o.withdrawn;
        self.deferred += o.deferred;
        self.with_overdue += o.with_overdue;
        self.overdue_requirements += o.overdue_requirements;
        self.requirements_met += o.requirements_met;
        self.requirements_total += o.requirements_total;
        self.sessions_attended += o.sessions_attended;
        self.sessions_marked += o.sessions_marked;
        self.left_school += o.left_school;
        self.refresh();
    }

    fn refresh(&mut self) {
        self.completion_percent = percent(self.completed, self.enrolments - self.withdrawn - self.deferred);
        self.attendance_percent = percent(self.sessions_attended, self.sessions_marked);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn counted() -> impl Strategy<Value = Counted> {
        use EnrolmentStatus as S;
        let status = prop::sample::select(vec![
            S::Nominated,
            S::Approved,
            S::Active,
            S::Completed,
            S::Certified,
            S::Deferred,
            S::Withdrawn,
        ]);
        (status, 0u32..10, 0u32..5, 0u32..20, 0u32..20, any::<bool>()).prop_map(
            |(status, met, overdue, attended, extra, left_school)| Counted {
                status,
                met,
                total: met + overdue + 2,
                overdue,
                sessions_attended: attended,
                sessions_marked: attended + extra,
                left_school,
            },
        )
    }

    #[test]
    fn percentages_round_half_up_and_are_null_of_nothing() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13), "12.5 rounds up");
        assert_eq!(percent(u32::MAX, u32::MAX), Some(100));
    }

    #[test]
    fn completion_leaves_out_who_withdrew_or_deferred() {
        let mut t = Tally::default();
        let e = |status| Counted {
            status,
            met: 0,
            total: 1,
            overdue: 0,
            sessions_attended: 0,
            sessions_marked: 0,
            left_school: false,
        };
        t.add(e(EnrolmentStatus::Certified));
        t.add(e(EnrolmentStatus::Active));
        t.add(e(EnrolmentStatus::Withdrawn));
        t.add(e(EnrolmentStatus::Deferred));
        assert_eq!((t.enrolments, t.completed, t.certified, t.live), (4, 1, 1, 1));
        assert_eq!(t.completion_percent, Some(50));
        assert_eq!(t.attendance_percent, None);
    }

    proptest! {
        /// Tallying rows into cells and merging the cells is the same as tallying them all at once,
        /// so a dashboard's totals always agree with its rows.
        #[test]
        fn merged_cells_equal_the_whole(rows in prop::collection::vec((counted(), 0usize..4), 0..40)) {
            let mut whole = Tally::default();
            let mut cells = [Tally::default(); 4];
            for (c, cell) in &rows {
                whole.add(*c);
                cells[*cell].add(*c);
            }
            let mut merged = Tally::default();
            for c in &cells {
                merged.merge(c);
            }
            prop_assert_eq!(merged, whole);
            prop_assert_eq!(whole.live + whole.completed + whole.withdrawn + whole.deferred, whole.enrolments);
            prop_assert!(whole.with_overdue <= whole.live);
        }
    }
}
