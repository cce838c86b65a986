//! A cohort as a command: what a request to run a programme says, checked once, every fault
//! collected, before anything is stored.

use chrono::NaiveDate;

use crate::ids::{HubId, PersonId, ProgrammeId, SchoolId};

/// One field's fault, with its stable code (the API reports it in a problem's `errors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFault {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldFault {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> FieldFault {
        FieldFault { field: field.into(), code, message: message.into() }
    }
}

/// A cohort's dates, consistent with each other: it ends on or after it starts, and its induction
/// is on or before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CohortDates {
    pub induction: NaiveDate,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl CohortDates {
    pub fn new(induction: NaiveDate, start: NaiveDate, end: NaiveDate) -> Result<CohortDates, Vec<FieldFault>> {
        let mut faults = vec![];
        if end < start {
            faults.push(FieldFault::new("end_date", "end_before_start", "the cohort must end on or after its start"));
        }
        if induction > end {
            faults.push(FieldFault::new(
                "induction_date",
                "induction_after_end",
                "induction must be on or before the end date",
            ));
        }
        if faults.is_empty() { Ok(CohortDates { induction, start, end }) } else { Err(faults) }
    }
}

/// A cohort to create: its programme, name (trimmed), dates, where it meets, and its facilitators
/// (each once, in id order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortPlan {
    pub programme_id: ProgrammeId,
    pub name: String,
    pub dates: CohortDates,
    pub hub_id: Option<HubId>,
    pub host_school_id: Option<SchoolId>,
    pub facilitator_ids: Vec<PersonId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn cohort_dates_report_every_fault_at_once() {
        assert!(CohortDates::new(d("2026-09-15"), d("2026-09-15"), d("2027-07-16")).is_ok());
        assert!(CohortDates::new(d("2026-09-15"), d("2026-09-15"), d("2026-09-15")).is_ok(), "one day is fine");
        let faults = CohortDates::new(d("2027-09-01"), d("2026-09-15"), d("2026-09-01")).unwrap_err();
        let codes: Vec<_> = faults.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(codes, [("end_date", "end_before_start"), ("induction_date", "induction_after_end")]);
    }
}
