//! Trust expectations (seed 002, "Schools self-assess and Trust assess against 'ALP Expectations'
//! across themes, teaching and wellbeing"): a trust keeps a framework of statements grouped by
//! theme; each term each of its schools rates every statement on a 1–4 scale with evidence, and the
//! trust rates it too; where the two differ by [`GAP_FLAG`] or more the statement is flagged.
//! Support ("provision is allocated with termly reviews") is allocated per school and reviewed
//! each term. Everything here is per **school**, never per person.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::rules::calendar::TermName;

/// A school year's term, named by its season and the calendar year it falls in: `2026-autumn`
/// (September to December 2026), `2027-spring`, `2027-summer`. Orders by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TermKey {
    pub year: i32,
    pub name: TermName,
}

impl TermKey {
    /// The wire spelling, as a regular expression (years 2000–2100).
    pub const PATTERN: &'static str = r"^(20[0-9]{2}|2100)-(autumn|spring|summer)$";

    fn season(self) -> i32 {
        match self.name {
            TermName::Spring => 0,
            TermName::Summer => 1,
            TermName::Autumn => 2,
        }
    }

    /// Terms since the start of year 0: consecutive terms differ by one.
    pub fn ordinal(self) -> i32 {
        self.year * 3 + self.season()
    }

    fn from_ordinal(n: i32) -> TermKey {
        let name = match n.rem_euclid(3) {
            0 => TermName::Spring,
            1 => TermName::Summer,
            _ => TermName::Autumn,
        };
        TermKey { year: n.div_euclid(3), name }
    }

    /// The term a date belongs to: January to March spring, April to August summer (the summer
    /// holiday counts with the term before it), September to December autumn.
    pub fn of(date: NaiveDate) -> TermKey {
        let name = match date.month() {
            1..=3 => TermName::Spring,
            4..=8 => TermName::Summer,
            _ => TermName::Autumn,
        };
        TermKey { year: date.year(), name }
    }

    pub fn next(self) -> TermKey {
        TermKey::from_ordinal(self.ordinal() + 1)
    }

    pub fn previous(self) -> TermKey {
        TermKey::from_ordinal(self.ordinal() - 1)
    }

    /// A day well inside the term under any real calendar (1 November, 15 February, 1 June): where
    /// the programme rules count "a self-assessment this term".
    pub fn midpoint(self) -> NaiveDate {
        let (m, d) = match self.name {
            TermName::Autumn => (11, 1),
            TermName::Spring => (2, 15),
            TermName::Summer => (6, 1),
        };
        NaiveDate::from_ymd_opt(self.year, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// "Autumn 2026".
    pub fn label(self) -> String {
        let season = match self.name {
            TermName::Autumn => "Autumn",
            TermName::Spring => "Spring",
            TermName::Summer => "Summer",
        };
        format!("{season} {}", self.year)
    }

    /// Every term from `self` to `last`, inclusive, in order (none when `last` is earlier).
    pub fn through(self, last: TermKey) -> Vec<TermKey> {
        (self.ordinal()..=last.ordinal()).map(TermKey::from_ordinal).collect()
    }
}

impl PartialOrd for TermKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TermKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.ordinal().cmp(&other.ordinal())
    }
}

impl fmt::Display for TermKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.year, self.name)
    }
}

/// Why a term key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a term is written like 2026-autumn, 2027-spring or 2027-summer (years 2000–2100)")]
pub struct InvalidTerm;

impl FromStr for TermKey {
    type Err = InvalidTerm;

    fn from_str(s: &str) -> Result<TermKey, InvalidTerm> {
        let (year, name) = s.split_once('-').ok_or(InvalidTerm)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidTerm);
        }
        let year: i32 = year.parse().map_err(|_| InvalidTerm)?;
        if !(2000..=2100).contains(&year) {
            return Err(InvalidTerm);
        }
        Ok(TermKey { year, name: name.parse().map_err(|_| InvalidTerm)? })
    }
}

impl serde::Serialize for TermKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for TermKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TermKey, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for TermKey {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(TermKey::PATTERN))
            .description(Some("A term: its calendar year and season, e.g. `2026-autumn`, `2027-spring`."))
            .examples(["2026-autumn"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for TermKey {}

crate::wire_enum! {
    /// Whose judgement a rating is: the school's own, or the trust's of the school.
    pub enum Side {
        School => "school",
        Trust => "trust",
    }
}

/// The scale, 1 to 4, with the words the SPA and the emails use.
pub const RATINGS: [(u8, &str); 4] = [(1, "Not yet"), (2, "Developing"), (3, "Secure"), (4, "Strong")];

/// Evidence files one side may hold against one statement.
pub const MAX_FILES_PER_STATEMENT: usize = 5;

/// A school's rating and the trust's of the same statement differ by this much or more: flagged.
pub const GAP_FLAG: u8 = 2;

pub fn rating_label(r: u8) -> &'static str {
    RATINGS.iter().find(|(n, _)| *n == r).map_or("", |(_, l)| l)
}

/// The difference between the two judgements of a statement, when both are given.
pub fn gap(school: Option<u8>, trust: Option<u8>) -> Option<u8> {
    Some(school?.abs_diff(trust?))
}

pub fn flagged(school: Option<u8>, trust: Option<u8>) -> bool {
    gap(school, trust).is_some_and(|g| g >= GAP_FLAG)
}

/// How many statements rated on both sides are flagged: `(statement, rating)` pairs of each side.
pub fn count_flagged<K: PartialEq>(school: &[(K, u8)], trust: &[(K, u8)]) -> u32 {
    school.iter().filter(|(k, r)| flagged(Some(*r), trust.iter().find(|(t, _)| t == k).map(|(_, r)| *r))).count() as u32
}

/// The mean of some ratings, to one decimal place; none of none.
pub fn mean(ratings: impl IntoIterator<Item = u8>) -> Option<f64> {
    let (sum, n) = ratings.into_iter().fold((0u32, 0u32), |(s, n), r| (s + u32::from(r), n + 1));
    (n > 0).then(|| (f64::from(sum) / f64::from(n) * 10.0).round() / 10.0)
}

crate::wire_enum! {
    /// How a theme's mean moved since the term before.
    pub enum Trend {
        Up => "up",
        Down => "down",
        Steady => "steady",
    }
}

/// Up or down by at least a quarter point counts as a move; less is steady.
pub fn trend(before: Option<f64>, now: Option<f64>) -> Option<Trend> {
    let d = now? - before?;
    Some(if d >= 0.25 {
        Trend::Up
    } else if d <= -0.25 {
        Trend::Down
    } else {
        Trend::Steady
    })
}

/// Why a framework, a rating or a submission was refused, as the API's stable codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpectationError {
    #[error("a framework has between 1 and 12 themes")]
    ThemeCount,
    #[error("each theme has between 1 and 30 statements")]
    StatementCount { theme: usize },
    #[error("two themes have the same name")]
    DuplicateTheme { theme: usize },
    #[error("this statement appears twice in its theme")]
    DuplicateStatement { theme: usize, statement: usize },
    #[error("this statement is not in the trust's framework")]
    UnknownStatement { index: usize },
    #[error("a rating is from 1 to 4")]
    RatingOutOfRange { index: usize },
    #[error("the same statement is rated twice")]
    RatedTwice { index: usize },
    #[error("{0} is still to come: a term is assessed once it has begun")]
    FutureTerm(TermKey),
    #[error("this assessment is submitted: it no longer changes")]
    Submitted,
    #[error("{missing} statements are not yet rated")]
    Incomplete { missing: usize },
}

impl ExpectationError {
    pub fn code(&self) -> &'static str {
        match self {
            ExpectationError::ThemeCount | ExpectationError::StatementCount { .. } => "invalid_framework",
            ExpectationError::DuplicateTheme { .. } => "duplicate_theme",
            ExpectationError::DuplicateStatement { .. } => "duplicate_statement",
            ExpectationError::UnknownStatement { .. } => "unknown_statement",
            ExpectationError::RatingOutOfRange { .. } => "rating_out_of_range",
            ExpectationError::RatedTwice { .. } => "rated_twice",
            ExpectationError::FutureTerm(_) => "term_not_started",
            ExpectationError::Submitted => "assessment_submitted",
            ExpectationError::Incomplete { .. } => "assessment_incomplete",
        }
    }

    /// The offending field, for the problem's `errors`.
    pub fn field(&self) -> Option<String> {
        match self {
            ExpectationError::ThemeCount => Some("themes".into()),
            ExpectationError::StatementCount { theme } => Some(format!("themes[{theme}].statements")),
            ExpectationError::DuplicateTheme { theme } => Some(format!("themes[{theme}].name")),
            ExpectationError::DuplicateStatement { theme, statement } => {
                Some(format!("themes[{theme}].statements[{statement}].text"))
            }
            ExpectationError::UnknownStatement { index } | ExpectationError::RatedTwice { index } => {
                Some(format!("ratings[{index}].statement_id"))
            }
            ExpectationError::RatingOutOfRange { index } => Some(format!("ratings[{index}].rating")),
            ExpectationError::FutureTerm(_) => Some("term".into()),
            ExpectationError::Submitted | ExpectationError::Incomplete { .. } => None,
        }
    }
}

fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A framework's shape: 1–12 themes with distinct names, each with 1–30 distinct statements.
pub fn check_framework<'a>(themes: &[(&'a str, Vec<&'a str>)]) -> Result<(), ExpectationError> {
    if themes.is_empty() || themes.len() > 12 {
        return Err(ExpectationError::ThemeCount);
    }
    for (i, (name, statements)) in themes.iter().enumerate() {
        if themes[..i].iter().any(|(n, _)| folded(n) == folded(name)) {
            return Err(ExpectationError::DuplicateTheme { theme: i });
        }
        if statements.is_empty() || statements.len() > 30 {
            return Err(ExpectationError::StatementCount { theme: i });
        }
        for (j, s) in statements.iter().enumerate() {
            if statements[..j].iter().any(|t| folded(t) == folded(s)) {
                return Err(ExpectationError::DuplicateStatement { theme: i, statement: j });
            }
        }
    }
    Ok(())
}

/// Ratings saved to a draft: each of the framework's statements (`known`) at most once, each
/// rating 1–4, and a term that has begun.
pub fn check_ratings<T: PartialEq>(
    term: TermKey,
    today: NaiveDate,
    known: &[T],
    ratings: &[(T, u32)],
) -> Result<(), ExpectationError> {
    if term > TermKey::of(today) {
        return Err(ExpectationError::FutureTerm(term));
    }
    for (i, (statement, rating)) in ratings.iter().enumerate() {
        if !known.contains(statement) {
            return Err(ExpectationError::UnknownStatement { index: i });
        }
        if !(1..=4).contains(rating) {
            return Err(ExpectationError::RatingOutOfRange { index: i });
        }
        if ratings[..i].iter().any(|(s, _)| s == statement) {
            return Err(ExpectationError::RatedTwice { index: i });
        }
    }
    Ok(())
}

/// Submitting: every statement of the framework rated.
pub fn check_complete<T: PartialEq>(statements: &[T], rated: &[T]) -> Result<(), ExpectationError> {
    let missing = statements.iter().filter(|s| !rated.contains(s)).count();
    if missing > 0 { Err(ExpectationError::Incomplete { missing }) } else { Ok(()) }
}

crate::wire_enum! {
    /// What a termly review decided for a piece of support.
    pub enum SupportDecision {
        /// Carry on next term.
        Continue => "continue",
        /// It did its job: no more.
        Complete => "complete",
        /// It is not working: stop it.
        Stop => "stop",
    }
}

/// The terms a piece of support, allocated in `allocated`, still owes a review for: every term
/// from its first up to (not including) `current` without one, until a review ended it. The
/// current term's review is due, not overdue.
pub fn reviews_overdue(allocated: TermKey, reviews: &[(TermKey, SupportDecision)], current: TermKey) -> Vec<TermKey> {
    let ended = reviews.iter().filter(|(_, d)| *d != SupportDecision::Continue).map(|(t, _)| *t).min();
    let last = match ended {
        Some(t) => t.min(current.previous()),
        None => current.previous(),
    };
    allocated.through(last).into_iter().filter(|t| !reviews.iter().any(|(r, _)| r == t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> TermKey {
        s.parse().unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn terms_parse_order_and_step() {
        assert_eq!(t("2026-autumn").to_string(), "2026-autumn");
        assert_eq!(t("2026-autumn").label(), "Autumn 2026");
        for bad in ["2026-winter", "26-autumn", "1999-autumn", "2101-spring", "2026autumn", "+026-autumn", ""] {
            assert!(bad.parse::<TermKey>().is_err(), "{bad}");
        }
        assert!(t("2026-summer") < t("2026-autumn") && t("2026-autumn") < t("2027-spring"));
        assert_eq!(t("2026-autumn").next(), t("2027-spring"));
        assert_eq!(t("2027-spring").previous(), t("2026-autumn"));
        assert_eq!(TermKey::of(d("2026-12-07")), t("2026-autumn"));
        assert_eq!(TermKey::of(d("2027-01-04")), t("2027-spring"));
        assert_eq!(TermKey::of(d("2027-08-20")), t("2027-summer"));
        assert_eq!(t("2026-summer").through(t("2027-spring")), [t("2026-summer"), t("2026-autumn"), t("2027-spring")]);
        assert!(t("2027-spring").through(t("2026-autumn")).is_empty());
        let json = serde_json::to_string(&t("2027-summer")).unwrap();
        assert_eq!(json, "\"2027-summer\"");
        assert_eq!(serde_json::from_str::<TermKey>(&json).unwrap(), t("2027-summer"));
    }

    #[test]
    fn a_terms_midpoint_is_inside_it_under_the_default_calendar() {
        use crate::rules::TermCalendar;
        let cal = TermCalendar::default();
        for key in t("2025-autumn").through(t("2028-summer")) {
            let inside = cal.terms_between(key.midpoint(), key.midpoint());
            assert_eq!(inside.iter().map(|x| x.name).collect::<Vec<_>>(), [key.name], "{key}");
            assert_eq!(TermKey::of(key.midpoint()), key);
        }
    }

    #[test]
    fn gaps_of_two_or_more_are_flagged() {
        assert_eq!(gap(Some(4), Some(2)), Some(2));
        assert!(flagged(Some(4), Some(2)) && flagged(Some(1), Some(4)));
        assert!(!flagged(Some(3), Some(2)) && !flagged(Some(4), None) && !flagged(None, None));
        assert_eq!(
            count_flagged(&[(1, 4), (2, 3), (3, 1)], &[(1, 2), (2, 2), (4, 4)]),
            1,
            "1 apart does not count, nor one side alone"
        );
        assert_eq!(mean([3, 4, 4]), Some(3.7));
        assert_eq!(mean([]), None);
        assert_eq!(trend(Some(2.0), Some(2.5)), Some(Trend::Up));
        assert_eq!(trend(Some(2.5), Some(2.3)), Some(Trend::Steady));
        assert_eq!(trend(Some(3.0), Some(2.0)), Some(Trend::Down));
        assert_eq!(trend(None, Some(2.0)), None);
        assert_eq!(rating_label(3), "Secure");
    }

    #[test]
    fn frameworks_and_ratings_are_checked() {
        let ok = vec![("Teaching", vec!["a", "b"]), ("Wellbeing", vec!["c"])];
        assert_eq!(check_framework(&ok), Ok(()));
        assert_eq!(check_framework(&[]), Err(ExpectationError::ThemeCount));
        let twice = vec![("Teaching", vec!["a"]), ("  teaching ", vec!["b"])];
        assert_eq!(check_framework(&twice), Err(ExpectationError::DuplicateTheme { theme: 1 }));
        let empty = vec![("Teaching", vec![])];
        assert_eq!(check_framework(&empty).unwrap_err().field().as_deref(), Some("themes[0].statements"));
        let same = vec![("Teaching", vec!["Plan well", "plan  well"])];
        assert_eq!(check_framework(&same).unwrap_err().code(), "duplicate_statement");

        let today = d("2026-12-07");
        let known = [1, 2, 3];
        assert_eq!(check_ratings(t("2026-autumn"), today, &known, &[(1, 4), (2, 1)]), Ok(()));
        assert_eq!(
            check_ratings(t("2027-spring"), today, &known, &[]),
            Err(ExpectationError::FutureTerm(t("2027-spring")))
        );
        assert_eq!(
            check_ratings(t("2026-autumn"), today, &known, &[(1, 4), (9, 1)]).unwrap_err().field().as_deref(),
            Some("ratings[1].statement_id")
        );
        assert_eq!(
            check_ratings(t("2026-autumn"), today, &known, &[(1, 5)]).unwrap_err().code(),
            "rating_out_of_range"
        );
        assert_eq!(
            check_ratings(t("2026-autumn"), today, &known, &[(1, 0)]).unwrap_err().code(),
            "rating_out_of_range"
        );
        assert_eq!(
            check_ratings(t("2026-autumn"), today, &known, &[(1, 2), (1, 3)]).unwrap_err().code(),
            "rated_twice"
        );
        assert_eq!(check_complete(&known, &[3, 1]), Err(ExpectationError::Incomplete { missing: 1 }));
        assert_eq!(check_complete(&known, &[3, 2, 1]), Ok(()));
    }

    #[test]
    fn support_owes_a_review_for_each_past_term_until_one_ends_it() {
        use SupportDecision as S;
        let now = t("2027-spring");
        assert_eq!(reviews_overdue(t("2027-spring"), &[], now), Vec::<TermKey>::new(), "due, not overdue");
        assert_eq!(reviews_overdue(t("2026-summer"), &[(t("2026-summer"), S::Continue)], now), [t("2026-autumn")]);
        assert_eq!(
            reviews_overdue(t("2026-summer"), &[(t("2026-summer"), S::Continue), (t("2026-autumn"), S::Continue)], now),
            Vec::<TermKey>::new()
        );
        assert_eq!(reviews_overdue(t("2026-spring"), &[(t("2026-spring"), S::Complete)], now), Vec::<TermKey>::new());
        assert_eq!(reviews_overdue(t("2026-spring"), &[(t("2026-summer"), S::Stop)], now), [t("2026-spring")]);
    }

    proptest! {
        #[test]
        fn term_keys_round_trip_and_step(year in 2000i32..=2099, season in 0usize..3) {
            let key = TermKey { year, name: TermName::ALL[season] };
            prop_assert_eq!(key.to_string().parse::<TermKey>().unwrap(), key);
            prop_assert_eq!(key.next().previous(), key);
            prop_assert!(key.next() > key);
            prop_assert_eq!(TermKey::of(key.midpoint()), key);
        }
    }
}
