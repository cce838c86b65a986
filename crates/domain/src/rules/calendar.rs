//! Dates as programmes count them: calendar months after induction, and school terms.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// `date` plus `months` calendar months. A day that does not exist in the target month becomes
/// that month's last day (31 Jan + 1 month = 28 or 29 Feb), as calendar arithmetic does.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Whole calendar months and remaining days from `from` to `to` (`to` ≥ `from`), e.g. (11, 30).
pub fn months_and_days(from: NaiveDate, to: NaiveDate) -> (u32, u32) {
    if to <= from {
        return (0, 0);
    }
    let mut months = (to.year() - from.year()) as u32 * 12 + to.month() - 1 - (from.month() - 1);
    // Step back while the month count overshoots (the day of month has not been reached yet).
    while months > 0 && add_months(from, months) > to {
        months -= 1;
    }
    let days = (to - add_months(from, months)).num_days().max(0) as u32;
    (months, days)
}

/// Describes a span such as "11 months and 30 days".
pub fn describe_months_and_days(months: u32, days: u32) -> String {
    let m = match months {
        1 => "1 month".to_owned(),
        n => format!("{n} months"),
    };
    match days {
        0 => m,
        1 => format!("{m} and 1 day"),
        d => format!("{m} and {d} days"),
    }
}

/// Whether `date` falls within `[induction + from, induction + to]` months, bounds included.
pub fn within_months_after(induction: NaiveDate, date: NaiveDate, from: u32, to: u32) -> bool {
    date >= add_months(induction, from) && date <= add_months(induction, to)
}

/// One school term: first and last day, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub name: TermName,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(20[0-9]{2}|2100)-"))]
    pub starts: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(20[0-9]{2}|2100)-"))]
    pub ends: NaiveDate,
}

crate::wire_enum! {
    pub enum TermName {
        Autumn => "autumn",
        Spring => "spring",
        Summer => "summer",
    }
}

impl Term {
    pub fn days(&self) -> i64 {
        (self.ends - self.starts).num_days() + 1
    }

    /// Days of this term on which something running from `start` to `end` (inclusive) was running.
    pub fn overlap(&self, start: NaiveDate, end: NaiveDate) -> i64 {
        let from = start.max(self.starts);
        let to = end.min(self.ends);
        if to < from { 0 } else { (to - from).num_days() + 1 }
    }
}

/// An organisation's term dates: the default pattern (autumn 1 Sep–20 Dec, spring 5 Jan–31 Mar,
/// summer 15 Apr–22 Jul), with real dates overriding it where the organisation gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TermCalendar {
    /// Real term dates; a default term that overlaps one of these is replaced by it.
    #[serde(default)]
    pub overrides: Vec<Term>,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The default terms of the academic year that starts in September of `year`.
pub fn default_terms(year: i32) -> [Term; 3] {
    [
        Term { name: TermName::Autumn, starts: ymd(year, 9, 1), ends: ymd(year, 12, 20) },
        Term { name: TermName::Spring, starts: ymd(year + 1, 1, 5), ends: ymd(year + 1, 3, 31) },
        Term { name: TermName::Summer, starts: ymd(year + 1, 4, 15), ends: ymd(year + 1, 7, 22) },
    ]
}

impl TermCalendar {
    /// What is wrong with these term dates: terms that end before they start, overlap, or lie
    /// outside 2000–2100.
    pub fn faults(&self) -> Vec<super::DefinitionFault> {
        let mut out = vec![];
        let mut fault = |path: String, code: &str, message: String| {
            out.push(super::DefinitionFault { path, code: code.into(), message })
        };
        if self.overrides.len() > 300 {
            fault("$.overrides".into(), "too_many", "at most 300 terms".into());
        }
        for (i, t) in self.overrides.iter().enumerate() {
            if t.ends < t.starts {
                fault(
                    format!("$.overrides[{i}].ends"),
                    "ends_before_start",
                    "a term must end on or after its first day".into(),
                );
            }
            if !(2000..=2100).contains(&t.starts.year()) || !(2000..=2100).contains(&t.ends.year()) {
                fault(format!("$.overrides[{i}]"), "out_of_range", "term dates must fall between 2000 and 2100".into());
            }
            if let Some(j) = self.overrides[..i].iter().position(|o| o.starts <= t.ends && t.starts <= o.ends) {
                fault(format!("$.overrides[{i}]"), "overlap", format!("overlaps term {j}"));
            }
        }
        out
    }

    /// Every term that overlaps `[from, to]`, in order.
    pub fn terms_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<Term> {
        if to < from {
            return vec![];
        }
        let mut terms: Vec<Term> = vec![];
        // Spans longer than a century are not programmes; capping keeps absurd input cheap.
        let last_year = to.year().min(from.year().saturating_add(100));
        for year in (from.year() - 1)..=last_year {
            for t in default_terms(year) {
                if !self.overrides.iter().any(|o| o.starts <= t.ends && t.starts <= o.ends) {
                    terms.push(t);
                }
            }
        }
        terms.extend(self.overrides.iter().copied());
        terms.retain(|t| t.starts <= to && from <= t.ends && t.ends >= t.starts);
        terms.sort_by_key(|t| t.starts);
        terms.dedup();
        terms
    }

    /// The terms in which something running from `start` to `end` ran on at least half the days.
    pub fn terms_lasted(&self, start: NaiveDate, end: NaiveDate) -> usize {
        self.terms_between(start, end).iter().filter(|t| 2 * t.overlap(start, end) >= t.days()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(add_months(d("2025-01-15"), 12), d("2026-01-15"));
        assert_eq!(add_months(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2025-08-31"), 18), d("2027-02-28"));
        assert!(within_months_after(d("2025-01-15"), d("2026-01-15"), 12, 18), "lower bound included");
        assert!(within_months_after(d("2025-01-15"), d("2026-07-15"), 12, 18), "upper bound included");
        assert!(!within_months_after(d("2025-01-15"), d("2026-01-14"), 12, 18));
        assert!(!within_months_after(d("2025-01-15"), d("2026-07-16"), 12, 18));
        assert_eq!(months_and_days(d("2025-01-15"), d("2026-01-14")), (11, 30));
        assert_eq!(describe_months_and_days(11, 30), "11 months and 30 days");
        assert_eq!(months_and_days(d("2025-01-31"), d("2025-02-28")), (1, 0));
    }

    #[test]
    fn default_terms_and_overrides() {
        let cal = TermCalendar::default();
        let terms = cal.terms_between(d("2025-09-01"), d("2026-07-22"));
        assert_eq!(
            terms.iter().map(|t| t.name).collect::<Vec<_>>(),
            [TermName::Autumn, TermName::Spring, TermName::Summer]
        );
        // A project from 1 Oct to 31 Mar ran on more than half of autumn and all of spring.
        assert_eq!(cal.terms_lasted(d("2025-10-01"), d("2026-03-31")), 2);
        // From 1 Nov it ran 50 of autumn's 111 days: less than half.
        assert_eq!(cal.terms_lasted(d("2025-11-01"), d("2026-03-31")), 1);
        let real = Term { name: TermName::Autumn, starts: d("2025-09-03"), ends: d("2025-10-24") };
        let cal = TermCalendar { overrides: vec![real] };
        let terms = cal.terms_between(d("2025-09-01"), d("2025-12-31"));
        assert_eq!(terms, vec![real], "the override replaces the default autumn term");
        assert_eq!(cal.terms_lasted(d("2025-10-01"), d("2025-12-31")), 0, "24 of 52 days is under half");
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (2000i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, day)| {
            (0..4).find_map(|back| NaiveDate::from_ymd_opt(y, m, day - back.min(day - 1))).unwrap()
        })
    }

    proptest! {
        #[test]
        fn terms_lasted_never_exceeds_terms_in_span(a in date(), days in 0i64..2000) {
            let b = a + chrono::Duration::days(days);
            let cal = TermCalendar::default();
            prop_assert!(cal.terms_lasted(a, b) <= cal.terms_between(a, b).len());
        }

        /// Month bounds agree with calendar arithmetic, month ends included: adding months never
        /// lands past the target month, and lands on the same day when that day exists.
        #[test]
        fn add_months_agrees_with_the_calendar(a in date(), n in 0u32..40) {
            let r = add_months(a, n);
            let target = a.year() * 12 + a.month0() as i32 + n as i32;
            prop_assert_eq!(r.year() * 12 + r.month0() as i32, target);
            match NaiveDate::from_ymd_opt(r.year(), r.month(), a.day()) {
                Some(same_day) => prop_assert_eq!(r, same_day),
                None => prop_assert!(r.day() < a.day() && (r + chrono::Duration::days(1)).month() != r.month()),
            }
            prop_assert!(within_months_after(a, r, n, n));
            prop_assert_eq!(months_and_days(a, r).0, n);
        }
    }
}

#[cfg(test)]
mod calendar_fault_tests {
    use super::*;

    #[test]
    fn bad_term_dates_are_listed() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let cal = TermCalendar {
            overrides: vec![
                Term { name: TermName::Autumn, starts: d("2026-09-02"), ends: d("2026-12-18") },
                Term { name: TermName::Spring, starts: d("2026-12-01"), ends: d("2027-03-26") },
                Term { name: TermName::Summer, starts: d("2027-07-21"), ends: d("2027-04-12") },
            ],
        };
        let faults: Vec<(String, String)> = cal.faults().into_iter().map(|f| (f.path, f.code)).collect();
        assert_eq!(
            faults,
            [
                ("$.overrides[1]".to_owned(), "overlap".to_owned()),
                ("$.overrides[2].ends".to_owned(), "ends_before_start".to_owned())
            ]
        );
    }
}
