//! The dates and instants the API accepts. chrono reads years from -262144 to +262143 (JSON such
//! as `"+262000-01-01"`), but PostgreSQL's DATE and TIMESTAMP end at 4713 BC, and date arithmetic
//! near chrono's limits overflows; nothing Trellis records lies centuries away. So dates outside
//! these ranges are refused where they enter, as the client's mistake, and never reach the
//! database or the rules.

use chrono::{Datelike, NaiveDate};
use std::ops::RangeInclusive;
use trellis_wire::FieldError;

use crate::error::ApiError;

/// The date progress is evaluated as of: the one asked for (`as_of`, within [`YEARS`]) or today.
pub fn as_of(asked: Option<NaiveDate>, clock: &crate::clock::Clock) -> Result<NaiveDate, ApiError> {
    let date = asked.unwrap_or_else(|| clock.today());
    require_query("as_of", date.year(), YEARS)?;
    Ok(date)
}

/// Years a date in a request may fall in: cohort dates, coaching days, session times, `as_of`.
pub const YEARS: RangeInclusive<i32> = trellis_domain::YEARS;
/// Years an `updated_since` instant may fall in: wide, since a client may ask for "everything".
pub const SINCE_YEARS: RangeInclusive<i32> = 1900..=9999;

/// `out_of_range` for `field` when `year` lies outside [`YEARS`].
pub fn check_year(field: &str, year: i32) -> Option<FieldError> {
    (!YEARS.contains(&year)).then(|| FieldError {
        field: field.into(),
        code: "out_of_range".into(),
        message: format!("must fall between the years {} and {}", YEARS.start(), YEARS.end()),
    })
}

/// Every one of these body dates that lies outside [`YEARS`].
pub fn check(fields: &[(&str, NaiveDate)]) -> Vec<FieldError> {
    fields.iter().filter_map(|(field, date)| check_year(field, date.year())).collect()
}

/// 422 listing every one of these body dates that lies outside [`YEARS`].
pub fn require(fields: &[(&str, NaiveDate)]) -> Result<(), ApiError> {
    let errors = check(fields);
    if errors.is_empty() { Ok(()) } else { Err(ApiError::invalid("validation_failed", errors)) }
}

/// 400 `invalid_query` naming the query parameter `field` when `year` lies outside `years`.
pub fn require_query(field: &str, year: i32, years: RangeInclusive<i32>) -> Result<(), ApiError> {
    if years.contains(&year) {
        return Ok(());
    }
    Err(ApiError::bad_param(
        "invalid_query",
        field,
        format!("{field} must fall between the years {} and {}", years.start(), years.end()),
    ))
}

/// A session time as the API takes it (see [`trellis_domain::delivery::parse_instant`]): RFC 3339,
/// or Europe/London wall-clock time, in [`YEARS`].
pub fn parse_instant(field: &str, s: &str) -> Result<chrono::NaiveDateTime, FieldError> {
    trellis_domain::delivery::parse_instant(field, s, YEARS).map_err(FieldError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn body_dates_outside_the_range_are_each_named() {
        assert!(check(&[("a", d("1900-01-01")), ("b", d("2200-12-31"))]).is_empty());
        let errors = check(&[("a", d("1899-12-31")), ("b", d("2026-09-01")), ("c", d("+262000-01-01"))]);
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, [("a", "out_of_range"), ("c", "out_of_range")]);
        assert!(require(&[("a", d("-262000-01-01"))]).is_err_and(|e| e.status.as_u16() == 422));
    }

    #[test]
    fn query_dates_outside_the_range_are_bad_requests() {
        assert!(require_query("updated_since", 9999, SINCE_YEARS).is_ok());
        let e = require_query("updated_since", -9999, SINCE_YEARS).err();
        let e = e.map(|e| (e.status.as_u16(), e.code, e.errors[0].field.clone()));
        assert_eq!(e, Some((400, "invalid_query", "updated_since".to_owned())));
    }
}
