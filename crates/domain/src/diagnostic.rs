//! The 360 leadership diagnostic: what a round rates, what an answer must hold, who may be
//! nominated, when a round may close, and the report — built so that no one rater's ratings can
//! be read from it.
//!
//! Anonymity rests on three rules, all here and property-tested:
//! - **Columns partition the raters.** The participant's own view and the line manager's are
//!   shown as such; every other group (peers, direct reports, the coach) is shown on its own only
//!   with at least the threshold's answers. Groups below it are pooled as "others"; when the pool
//!   is still below the threshold the smallest shown groups join it, and when everyone together
//!   is below it the pool is withheld. No rater is in two columns, so no column can be subtracted
//!   from another to single one out.
//! - **Every cell of a pooled or group column rests on at least the threshold's ratings** ("not
//!   observed" does not count), or it is withheld.
//! - **Free text** is shown only when at least the threshold's raters answered, unattributed and
//!   in an order that depends on the round and the words, not on who wrote first.
//!
//! The API adds the fourth: a report exists only once its round is closed, so no one can read a
//! single answer as the difference between two reports.

use serde::{Deserialize, Serialize};

use crate::cohort::FieldFault;
use crate::rules::definition::{Definition, DiagnosticRule, RaterGroup};

/// The rating scale.
pub const SCORE_MIN: u32 = 1;
pub const SCORE_MAX: u32 = 5;
/// The most characters of each free-text answer.
pub const TEXT_MAX_CHARS: usize = 4000;
/// A reminder goes to raters who have not answered this many days before the closing date.
pub const REMIND_DAYS_BEFORE: i64 = 3;

crate::wire_enum! {
    /// What an item of the diagnostic is drawn from.
    pub enum ItemKind {
        /// One of the programme's leadership behaviours.
        Behaviour => "behaviour",
        /// One of the programme's learning areas.
        Area => "area",
    }
}

crate::wire_enum! {
    /// Where a round stands.
    pub enum RoundStatus {
        /// Open for answers until its closing date.
        Open => "open",
        /// Its closing date has passed: links no longer work; it can be closed, or its date moved.
        PastClosingDate => "past_closing_date",
        /// Closed: no more answers; the report is available.
        Closed => "closed",
    }
}

crate::wire_enum! {
    /// Where a nominated rater stands (never what they said).
    pub enum RaterStatus {
        Invited => "invited",
        /// Saved answers to come back to.
        Started => "started",
        Answered => "answered",
        Declined => "declined",
    }
}

crate::wire_enum! {
    /// The participant's own review.
    pub enum SelfReviewStatus {
        NotStarted => "not_started",
        Draft => "draft",
        Submitted => "submitted",
    }
}

crate::wire_enum! {
    /// A column of the report.
    pub enum ColumnKey {
        SelfReview => "self",
        LineManager => "line_manager",
        Peer => "peer",
        DirectReport => "direct_report",
        Coach => "coach",
        /// Groups below the threshold, pooled.
        Others => "others",
    }
}

impl ColumnKey {
    fn of(group: RaterGroup) -> ColumnKey {
        match group {
            RaterGroup::SelfReview => ColumnKey::SelfReview,
            RaterGroup::LineManager => ColumnKey::LineManager,
            RaterGroup::Peer => ColumnKey::Peer,
            RaterGroup::DirectReport => ColumnKey::DirectReport,
            RaterGroup::Coach => ColumnKey::Coach,
        }
    }

    /// A column whose cells must each rest on the threshold's ratings.
    pub fn guarded(self) -> bool {
        !matches!(self, ColumnKey::SelfReview | ColumnKey::LineManager)
    }
}

/// One thing the diagnostic rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub kind: ItemKind,
    pub name: String,
}

/// What a round of the programme rates: its behaviours, then its learning areas.
pub fn items(def: &Definition) -> Vec<Item> {
    let b = def.behaviours.iter().map(|n| Item { kind: ItemKind::Behaviour, name: n.clone() });
    let a = def.learning_areas.iter().map(|n| Item { kind: ItemKind::Area, name: n.clone() });
    b.chain(a).collect()
}

/// One item's rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub kind: ItemKind,
    /// The item's name, as the round lists it.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub item: String,
    /// 1 (rarely) to 5 (consistently); `null` for "not observed".
    #[serde(default, deserialize_with = "crate::whole::option_u32")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: Option<u32>,
}

/// A rater's (or the participant's own) answers: a draft may leave items out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Answers {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub ratings: Vec<Rating>,
    /// Strengths seen.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub strengths: String,
    /// Areas to develop.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub development: String,
}

/// Every fault in `answers` for a round rating `items`; `complete` (submitting) also asks that
/// every item is rated or marked not observed.
pub fn check_answers(items: &[Item], answers: &Answers, complete: bool) -> Vec<FieldFault> {
    let mut faults = vec![];
    let mut seen: Vec<(ItemKind, &str)> = vec![];
    for (i, r) in answers.ratings.iter().enumerate() {
        let at = format!("ratings[{i}]");
        if !items.iter().any(|it| it.kind == r.kind && it.name == r.item) {
            faults.push(FieldFault::new(
                format!("{at}.item"),
                "unknown_item",
                format!("{:?} is not a {} this round rates", r.item, r.kind),
            ));
        } else if seen.contains(&(r.kind, r.item.as_str())) {
            faults.push(FieldFault::new(format!("{at}.item"), "duplicate_item", format!("{} is rated twice", r.item)));
        } else {
            seen.push((r.kind, r.item.as_str()));
        }
        if let Some(s) = r.score
            && !(SCORE_MIN..=SCORE_MAX).contains(&s)
        {
            faults.push(FieldFault::new(
                format!("{at}.score"),
                "score_out_of_range",
                format!("a rating is {SCORE_MIN} to {SCORE_MAX}, or not observed"),
            ));
        }
    }
    for (field, text) in [("strengths", &answers.strengths), ("development", &answers.development)] {
        let chars = text.chars().count();
        if chars > TEXT_MAX_CHARS {
            faults.push(FieldFault::new(field, "too_long", format!("{chars} characters: at most {TEXT_MAX_CHARS}")));
        } else if crate::text::multiline(text).is_err() {
            faults.push(FieldFault::new(field, "invalid_text", "remove control or direction-changing characters"));
        }
    }
    if complete {
        let missing: Vec<&str> = items
            .iter()
            .filter(|it| !answers.ratings.iter().any(|r| r.kind == it.kind && r.item == it.name))
            .map(|it| it.name.as_str())
            .collect();
        if !missing.is_empty() {
            faults.push(FieldFault::new(
                "ratings",
                "unanswered_items",
                format!("rate, or mark not observed: {}", missing.join(", ")),
            ));
        }
    }
    faults
}

/// Every fault in a batch of nominations (`new`: group and email, lower-cased) for a round that
/// already has raters with `existing` emails; `participant_email` is the participant's own.
pub fn check_nominations(
    rule: &DiagnosticRule,
    existing: &[String],
    participant_email: Option<&str>,
    new: &[(RaterGroup, String)],
) -> Vec<FieldFault> {
    let mut faults = vec![];
    for (i, (group, email)) in new.iter().enumerate() {
        let at = format!("raters[{i}]");
        if *group == RaterGroup::SelfReview {
            faults.push(FieldFault::new(
                format!("{at}.group"),
                "self_not_a_rater",
                "the participant's own view is the self-review, not a nomination",
            ));
        } else if !rule.rater_groups.contains(group) {
            faults.push(FieldFault::new(
                format!("{at}.group"),
                "group_not_in_programme",
                format!("this programme's diagnostic has no {group} raters"),
            ));
        }
        if participant_email == Some(email.as_str()) {
            faults.push(FieldFault::new(
                format!("{at}.email"),
                "self_not_a_rater",
                "that is the participant's own address: use the self-review",
            ));
        } else if existing.contains(email) || new[..i].iter().any(|(_, e)| e == email) {
            faults.push(FieldFault::new(
                format!("{at}.email"),
                "duplicate_rater",
                format!("{email} is already nominated in this round"),
            ));
        }
    }
    faults
}

/// Answers and nominations in one group of a round, as the round's page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupCount {
    pub group: RaterGroup,
    pub nominated: u32,
    pub answered: u32,
    pub declined: u32,
    /// The programme's minimum of answers from this group.
    pub minimum: u32,
}

/// What stops a round closing: the self-review not submitted, or a group short of its minimum.
pub fn close_faults(rule: &DiagnosticRule, counts: &[GroupCount], self_submitted: bool) -> Vec<FieldFault> {
    let mut faults = vec![];
    if !self_submitted {
        faults.push(FieldFault::new("self_review", "self_review_missing", "the self-review is not submitted yet"));
    }
    for g in rule.rater_groups.iter().filter(|g| **g != RaterGroup::SelfReview) {
        let need = rule.minimum(*g);
        let have = counts.iter().filter(|c| c.group == *g).map(|c| c.answered).sum::<u32>();
        if have < need {
            faults.push(FieldFault::new(
                format!("raters.{g}"),
                "raters_too_few",
                format!("{have} of the {need} {g} answers the programme asks for"),
            ));
        }
    }
    faults
}

/// One rater's submitted answers, known only by group: the report never sees who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub group: RaterGroup,
    pub answers: Answers,
}

/// A column of the report and the groups whose answers it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    pub key: ColumnKey,
    pub groups: Vec<RaterGroup>,
    /// Answers behind the column.
    pub responses: u32,
}

/// One item's mean in one column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cell {
    pub column: ColumnKey,
    /// The mean rating to one decimal place; `null` when no rating was given, or (other than the
    /// self-review and line manager) fewer than the threshold's.
    pub mean: Option<f64>,
    /// Ratings given (not counting "not observed").
    pub ratings: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    pub item: Item,
    /// One per column, in the columns' order.
    pub cells: Vec<Cell>,
}

/// A round's report: everything the participant and coach see, and nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub threshold: u32,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Answers per group (the self-review included when submitted).
    pub answered: Vec<GroupAnswered>,
    /// Groups whose answers are not shown at all: too few, even pooled.
    pub withheld: Vec<RaterGroup>,
    /// Raters' strengths, unattributed, in a stable shuffled order; empty when withheld.
    pub strengths: Vec<String>,
    /// Raters' areas to develop, likewise.
    pub development: Vec<String>,
    /// Fewer raters than the threshold answered, so their words are not shown.
    pub comments_withheld: bool,
    /// The participant's own words.
    pub self_strengths: String,
    pub self_development: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupAnswered {
    pub group: RaterGroup,
    pub answered: u32,
}

/// The mean of `scores` to one decimal place, halves rounded up.
fn mean(scores: &[u32]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let (sum, n) = (scores.iter().sum::<u32>() as u64, scores.len() as u64);
    let tenths = (sum * 20 + n) / (2 * n);
    Some(tenths as f64 / 10.0)
}

/// FNV-1a: a fixed, portable hash for the comments' order.
fn fnv(seed: &str, text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes().chain([0]).chain(text.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `texts` without blanks, in an order fixed by `seed` and the words alone.
fn shuffled(seed: &str, texts: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = texts.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    v.sort_by(|a, b| fnv(seed, a).cmp(&fnv(seed, b)).then_with(|| a.cmp(b)));
    v
}

/// Which groups make which column, and which are withheld (see the module's first rule).
fn columns(threshold: u32, has_self: bool, counts: &[(RaterGroup, u32)]) -> (Vec<Column>, Vec<RaterGroup>) {
    let n = |g: RaterGroup| counts.iter().filter(|(c, _)| *c == g).map(|(_, k)| *k).sum::<u32>();
    let mut cols = vec![];
    if has_self {
        cols.push(Column { key: ColumnKey::SelfReview, groups: vec![RaterGroup::SelfReview], responses: 1 });
    }
    if n(RaterGroup::LineManager) > 0 {
        let responses = n(RaterGroup::LineManager);
        cols.push(Column { key: ColumnKey::LineManager, groups: vec![RaterGroup::LineManager], responses });
    }
    let guarded: Vec<RaterGroup> = RaterGroup::ALL.iter().copied().filter(|g| !g.named() && n(*g) > 0).collect();
    let mut shown: Vec<RaterGroup> = guarded.iter().copied().filter(|g| n(*g) >= threshold).collect();
    let mut pool: Vec<RaterGroup> = guarded.iter().copied().filter(|g| n(*g) < threshold).collect();
    let mut withheld = vec![];
    if !pool.is_empty() {
        let total = |p: &[RaterGroup]| p.iter().map(|g| n(*g)).sum::<u32>();
        while total(&pool) < threshold && !shown.is_empty() {
            // The smallest shown group joins the pool (the later in order on a tie).
            let mut smallest = 0;
            for (i, g) in shown.iter().enumerate() {
                if n(*g) <= n(shown[smallest]) {
                    smallest = i;
                }
            }
            pool.push(shown.remove(smallest));
        }
        pool.sort_by_key(|g| RaterGroup::ALL.iter().position(|a| a == g));
        if total(&pool) < threshold {
            withheld = pool;
            pool = vec![];
        }
    }
    for g in shown {
        cols.push(Column { key: ColumnKey::of(g), groups: vec![g], responses: n(g) });
    }
    if !pool.is_empty() {
        let responses = pool.iter().map(|g| n(*g)).sum();
        cols.push(Column { key: ColumnKey::Others, groups: pool, responses });
    }
    (cols, withheld)
}

/// The report of one closed round rating `items`, from the participant's submitted self-review
/// and the raters' submitted answers. `seed` (the round's id) fixes the comments' order.
pub fn report(
    items: &[Item],
    threshold: u32,
    self_review: Option<&Answers>,
    responses: &[Response],
    seed: &str,
) -> Report {
    let threshold = threshold.max(2);
    let raters: Vec<&Response> = responses.iter().filter(|r| r.group != RaterGroup::SelfReview).collect();
    let counts: Vec<(RaterGroup, u32)> = RaterGroup::ALL
        .iter()
        .filter(|g| **g != RaterGroup::SelfReview)
        .map(|g| (*g, raters.iter().filter(|r| r.group == *g).count() as u32))
        .collect();
    let (cols, withheld) = columns(threshold, self_review.is_some(), &counts);
    let score = |a: &Answers, it: &Item| {
        a.ratings.iter().find(|r| r.kind == it.kind && r.item == it.name).and_then(|r| r.score)
    };
    let rows = items
        .iter()
        .map(|it| Row {
            item: it.clone(),
            cells: cols
                .iter()
                .map(|c| {
                    let scores: Vec<u32> = if c.key == ColumnKey::SelfReview {
                        self_review.and_then(|a| score(a, it)).into_iter().collect()
                    } else {
                        raters
                            .iter()
                            .filter(|r| c.groups.contains(&r.group))
                            .filter_map(|r| score(&r.answers, it))
                            .collect()
                    };
                    let ratings = scores.len() as u32;
                    let shown = !c.key.guarded() || ratings >= threshold;
                    Cell { column: c.key, mean: if shown { mean(&scores) } else { None }, ratings }
                })
                .collect(),
        })
        .collect();
    let mut answered: Vec<GroupAnswered> = vec![];
    if self_review.is_some() {
        answered.push(GroupAnswered { group: RaterGroup::SelfReview, answered: 1 });
    }
    answered.extend(counts.iter().filter(|(_, k)| *k > 0).map(|(g, k)| GroupAnswered { group: *g, answered: *k }));
    let comments_withheld = (raters.len() as u32) < threshold;
    let (strengths, development) = if comments_withheld {
        (vec![], vec![])
    } else {
        (
            shuffled(seed, raters.iter().map(|r| r.answers.strengths.clone())),
            shuffled(seed, raters.iter().map(|r| r.answers.development.clone())),
        )
    };
    Report {
        threshold,
        columns: cols,
        rows,
        answered,
        withheld,
        strengths,
        development,
        comments_withheld,
        self_strengths: self_review.map(|a| a.strengths.trim().to_owned()).unwrap_or_default(),
        self_development: self_review.map(|a| a.development.trim().to_owned()).unwrap_or_default(),
    }
}

/// One item's change from the baseline round to the end round, per column both reports show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeRow {
    pub item: Item,
    pub cells: Vec<ChangeCell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeCell {
    pub column: ColumnKey,
    pub baseline: Option<f64>,
    pub end: Option<f64>,
    /// End minus baseline, to one decimal place, when both are shown.
    pub change: Option<f64>,
}

/// Baseline against end: for each item of the end round, each column either report has.
pub fn compare(baseline: &Report, end: &Report) -> Vec<ChangeRow> {
    let keys: Vec<ColumnKey> = ColumnKey::ALL
        .iter()
        .copied()
        .filter(|k| baseline.columns.iter().chain(&end.columns).any(|c| c.key == *k))
        .collect();
    let at = |r: &Report, item: &Item, k: ColumnKey| {
        r.rows.iter().find(|row| row.item == *item)?.cells.iter().find(|c| c.column == k)?.mean
    };
    end.rows
        .iter()
        .map(|row| ChangeRow {
            item: row.item.clone(),
            cells: keys
                .iter()
                .map(|k| {
                    let (b, e) = (at(baseline, &row.item, *k), at(end, &row.item, *k));
                    let change = match (b, e) {
                        (Some(b), Some(e)) => Some(((e - b) * 10.0).round() / 10.0),
                        _ => None,
                    };
                    ChangeCell { column: *k, baseline: b, end: e, change }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
