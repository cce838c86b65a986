//! The time the API works to. Handlers ask the [`Clock`] in the app state, never the system
//! directly (`e2e/tests/invariants.rs`), so a deployment or a test can say what "now" is.

use chrono::{DurationRound, NaiveDate, NaiveDateTime, TimeDelta, Utc};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    /// `None`: the system clock. `Some`: always this instant (UTC).
    fixed: Option<NaiveDateTime>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock that always reads `at` (UTC).
    pub fn fixed(at: NaiveDateTime) -> Clock {
        Clock { fixed: Some(at) }
    }

    /// The current instant in UTC at the precision both databases keep (microseconds), so a value
    /// read back equals the value written, on either backend.
    pub fn now(&self) -> NaiveDateTime {
        let now = self.fixed.unwrap_or_else(|| Utc::now().naive_utc());
        now.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(now)
    }

    /// Today's date (UTC).
    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_reads_its_instant_at_microsecond_precision() {
        let at = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_nano_opt(9, 30, 0, 123_456_789).unwrap();
        let clock = Clock::fixed(at);
        assert_eq!(clock.now().and_utc().timestamp_subsec_nanos(), 123_456_000);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        let system = Clock::system().now();
        assert!((Utc::now().naive_utc() - system).num_seconds().abs() < 5);
    }
}
