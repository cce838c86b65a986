use proptest::prelude::*;

use super::*;
use crate::rules::presets;

fn npqml_items() -> Vec<Item> {
    items(&presets::npq_middle_leadership())
}

fn all(items: &[Item], score: Option<u32>) -> Answers {
    Answers {
        ratings: items.iter().map(|it| Rating { kind: it.kind, item: it.name.clone(), score }).collect(),
        strengths: String::new(),
        development: String::new(),
    }
}

fn answered(group: RaterGroup, items: &[Item], score: u32) -> Response {
    Response { group, answers: all(items, Some(score)) }
}

fn keys(r: &Report) -> Vec<ColumnKey> {
    r.columns.iter().map(|c| c.key).collect()
}

#[test]
fn npqml_rates_seven_behaviours_and_six_areas() {
    let it = npqml_items();
    assert_eq!(it.len(), 13);
    assert_eq!(it[0], Item { kind: ItemKind::Behaviour, name: "Commitment".into() });
    assert_eq!(it[7].kind, ItemKind::Area);
}

#[test]
fn answers_are_checked_item_by_item() {
    let it = npqml_items();
    let mut a = all(&it, Some(4));
    assert!(check_answers(&it, &a, true).is_empty());
    a.ratings[0].score = Some(6);
    a.ratings[1].item = "Charisma".into();
    a.ratings.push(a.ratings[2].clone());
    a.strengths = "x".repeat(TEXT_MAX_CHARS + 1);
    let faults = check_answers(&it, &a, true);
    let codes: Vec<(&str, &str)> = faults.iter().map(|f| (f.field.as_str(), f.code)).collect();
    assert_eq!(
        codes,
        vec![
            ("ratings[0].score", "score_out_of_range"),
            ("ratings[1].item", "unknown_item"),
            ("ratings[13].item", "duplicate_item"),
            ("strengths", "too_long"),
            ("ratings", "unanswered_items"),
        ]
    );
    // A draft may leave items out, and "not observed" is an answer.
    let mut draft = all(&it, None);
    draft.ratings.truncate(3);
    assert!(check_answers(&it, &draft, false).is_empty());
    let faults = check_answers(&it, &draft, true);
    assert_eq!(faults.len(), 1);
    assert!(faults[0].message.contains("Resilience"), "{}", faults[0].message);
}

#[test]
fn nominations_refuse_self_duplicates_and_groups_the_programme_lacks() {
    let mut rule = presets::npq_middle_leadership().diagnostic.unwrap();
    rule.rater_groups.retain(|g| *g != RaterGroup::Coach);
    let new = vec![
        (RaterGroup::Peer, "a@x.test".to_owned()),
        (RaterGroup::Peer, "a@x.test".to_owned()),
        (RaterGroup::SelfReview, "b@x.test".to_owned()),
        (RaterGroup::Coach, "c@x.test".to_owned()),
        (RaterGroup::LineManager, "me@x.test".to_owned()),
        (RaterGroup::DirectReport, "old@x.test".to_owned()),
    ];
    let faults = check_nominations(&rule, &["old@x.test".into()], Some("me@x.test"), &new);
    let codes: Vec<(&str, &str)> = faults.iter().map(|f| (f.field.as_str(), f.code)).collect();
    assert_eq!(
        codes,
        vec![
            ("raters[1].email", "duplicate_rater"),
            ("raters[2].group", "self_not_a_rater"),
            ("raters[3].group", "group_not_in_programme"),
            ("raters[4].email", "self_not_a_rater"),
            ("raters[5].email", "duplicate_rater"),
        ]
    );
}

#[test]
fn a_round_closes_with_the_self_review_and_each_groups_minimum() {
    let rule = presets::npq_middle_leadership().diagnostic.unwrap();
    let count = |group, answered| GroupCount { group, nominated: answered, answered, declined: 0, minimum: 0 };
    let counts = [count(RaterGroup::LineManager, 1), count(RaterGroup::Peer, 1)];
    let codes: Vec<(String, &str)> =
        close_faults(&rule, &counts, false).into_iter().map(|f| (f.field, f.code)).collect();
    assert_eq!(
        codes,
        vec![
            ("self_review".into(), "self_review_missing"),
            ("raters.peer".into(), "raters_too_few"),
            ("raters.direct_report".into(), "raters_too_few"),
        ]
    );
    let counts = [count(RaterGroup::LineManager, 1), count(RaterGroup::Peer, 2), count(RaterGroup::DirectReport, 2)];
    assert!(close_faults(&rule, &counts, true).is_empty());
}

#[test]
fn three_peers_are_shown_two_are_merged_or_withheld() {
    let it = npqml_items();
    let me = all(&it, Some(3));
    // 3 peers: their own column.
    let three = vec![
        answered(RaterGroup::LineManager, &it, 4),
        answered(RaterGroup::Peer, &it, 2),
        answered(RaterGroup::Peer, &it, 3),
        answered(RaterGroup::Peer, &it, 5),
    ];
    let r = report(&it, 3, Some(&me), &three, "round");
    assert_eq!(keys(&r), vec![ColumnKey::SelfReview, ColumnKey::LineManager, ColumnKey::Peer]);
    assert_eq!(r.rows[0].cells[2].mean, Some(3.3));
    assert!(r.withheld.is_empty());
    // 2 peers alone: withheld; with the line manager 3 raters answered, so their words are shown.
    let two: Vec<Response> = three[..3].to_vec();
    let r = report(&it, 3, Some(&me), &two, "round");
    assert_eq!(keys(&r), vec![ColumnKey::SelfReview, ColumnKey::LineManager]);
    assert_eq!(r.withheld, vec![RaterGroup::Peer]);
    assert!(!r.comments_withheld);
    // 2 peers and 2 direct reports: merged into others.
    let mut four = two.clone();
    four.push(answered(RaterGroup::DirectReport, &it, 1));
    four.push(answered(RaterGroup::DirectReport, &it, 1));
    let r = report(&it, 3, Some(&me), &four, "round");
    assert_eq!(keys(&r), vec![ColumnKey::SelfReview, ColumnKey::LineManager, ColumnKey::Others]);
    assert_eq!(r.columns[2].groups, vec![RaterGroup::Peer, RaterGroup::DirectReport]);
    assert_eq!(r.rows[0].cells[2].mean, Some(1.8));
    // 3 peers and 2 direct reports: the peers join the direct reports, so neither can be read
    // from the other (the demo's baseline).
    let mut five = three.clone();
    five.push(answered(RaterGroup::DirectReport, &it, 1));
    five.push(answered(RaterGroup::DirectReport, &it, 1));
    let r = report(&it, 3, Some(&me), &five, "round");
    assert_eq!(keys(&r), vec![ColumnKey::SelfReview, ColumnKey::LineManager, ColumnKey::Others]);
    assert_eq!(r.columns[2].responses, 5);
    assert_eq!(
        r.answered,
        vec![
            GroupAnswered { group: RaterGroup::SelfReview, answered: 1 },
            GroupAnswered { group: RaterGroup::LineManager, answered: 1 },
            GroupAnswered { group: RaterGroup::Peer, answered: 3 },
            GroupAnswered { group: RaterGroup::DirectReport, answered: 2 },
        ]
    );
}

#[test]
fn a_cell_with_too_few_ratings_is_withheld_and_not_observed_is_not_a_rating() {
    let it = npqml_items();
    let mut peers: Vec<Response> = (0..3).map(|_| answered(RaterGroup::Peer, &it, 4)).collect();
    peers[0].answers.ratings[0].score = None;
    let r = report(&it, 3, None, &peers, "round");
    assert_eq!(keys(&r), vec![ColumnKey::Peer]);
    assert_eq!(r.rows[0].cells[0], Cell { column: ColumnKey::Peer, mean: None, ratings: 2 });
    assert_eq!(r.rows[1].cells[0].mean, Some(4.0));
    // The line manager's view is shown as such, one rating or more.
    let lm = vec![Response { group: RaterGroup::LineManager, answers: all(&it, Some(2)) }];
    assert_eq!(report(&it, 3, None, &lm, "round").rows[0].cells[0].mean, Some(2.0));
}

#[test]
fn comments_are_unattributed_in_a_stable_order_and_withheld_below_the_threshold() {
    let it = npqml_items();
    let mut rs: Vec<Response> = (0..3).map(|_| answered(RaterGroup::Peer, &it, 4)).collect();
    for (i, r) in rs.iter_mut().enumerate() {
        r.answers.strengths = format!("strength {i}");
    }
    rs[2].answers.development = "  ".into();
    let a = report(&it, 3, None, &rs, "round-1");
    rs.reverse();
    let b = report(&it, 3, None, &rs, "round-1");
    assert_eq!(a.strengths, b.strengths);
    assert_eq!(a.strengths.len(), 3);
    assert!(a.development.is_empty());
    rs.pop();
    let c = report(&it, 3, None, &rs, "round-1");
    assert!(c.comments_withheld && c.strengths.is_empty());
}

#[test]
fn the_end_round_is_compared_with_the_baseline() {
    let it = npqml_items();
    let base = report(&it, 3, Some(&all(&it, Some(2))), &[answered(RaterGroup::LineManager, &it, 3)], "b");
    let end = report(&it, 3, Some(&all(&it, Some(4))), &[answered(RaterGroup::LineManager, &it, 4)], "e");
    let rows = compare(&base, &end);
    assert_eq!(rows.len(), 13);
    assert_eq!(
        rows[0].cells,
        vec![
            ChangeCell { column: ColumnKey::SelfReview, baseline: Some(2.0), end: Some(4.0), change: Some(2.0) },
            ChangeCell { column: ColumnKey::LineManager, baseline: Some(3.0), end: Some(4.0), change: Some(1.0) },
        ]
    );
}

fn response_set() -> impl Strategy<Value = Vec<Response>> {
    let group = prop::sample::select(vec![
        RaterGroup::LineManager,
        RaterGroup::Peer,
        RaterGroup::DirectReport,
        RaterGroup::Coach,
    ]);
    let scores = prop::collection::vec(prop::option::weighted(0.8, 1u32..=5), 4);
    prop::collection::vec((group, scores, "[a-c]{0,2}"), 0..12).prop_map(|rows| {
        let it = small_items();
        rows.into_iter()
            .map(|(group, scores, text)| Response {
                group,
                answers: Answers {
                    ratings: it
                        .iter()
                        .zip(scores)
                        .map(|(i, score)| Rating { kind: i.kind, item: i.name.clone(), score })
                        .collect(),
                    strengths: text.clone(),
                    development: text,
                },
            })
            .collect()
    })
}

fn small_items() -> Vec<Item> {
    ["A", "B", "C", "D"].iter().map(|n| Item { kind: ItemKind::Behaviour, name: (*n).into() }).collect()
}

proptest! {
    /// No column other than the named ones rests on fewer than the threshold's answers, no cell on
    /// fewer than its ratings, and no rater is in two columns.
    #[test]
    fn every_guarded_figure_rests_on_the_threshold(rs in response_set(), t in 2u32..5) {
        let r = report(&small_items(), t, None, &rs, "seed");
        let mut groups_seen = vec![];
        for c in &r.columns {
            if c.key.guarded() {
                prop_assert!(c.responses >= t, "{c:?}");
            }
            for g in &c.groups {
                prop_assert!(!groups_seen.contains(g), "{g} in two columns");
                groups_seen.push(*g);
            }
            let real = rs.iter().filter(|x| c.groups.contains(&x.group)).count() as u32;
            prop_assert_eq!(real, c.responses);
        }
        for row in &r.rows {
            for cell in &row.cells {
                if cell.column.guarded() && cell.mean.is_some() {
                    prop_assert!(cell.ratings >= t);
                }
            }
        }
        for g in &r.withheld {
            prop_assert!(!groups_seen.contains(g));
        }
        if (rs.len() as u32) < t {
            prop_assert!(r.strengths.is_empty() && r.development.is_empty());
        }
    }

    /// The report does not depend on the order answers arrived in, and what a withheld group said
    /// changes nothing in it.
    #[test]
    fn the_report_ignores_order_and_withheld_answers(rs in response_set(), t in 2u32..5, flip in 1u32..=5) {
        let a = report(&small_items(), t, None, &rs, "seed");
        let mut reversed = rs.clone();
        reversed.reverse();
        prop_assert_eq!(&a, &report(&small_items(), t, None, &reversed, "seed"));
        let mut changed = rs.clone();
        for x in changed.iter_mut().filter(|x| a.withheld.contains(&x.group)) {
            for rating in &mut x.answers.ratings {
                rating.score = Some(flip);
            }
        }
        let b = report(&small_items(), t, None, &changed, "seed");
        prop_assert_eq!(&a.rows, &b.rows);
        prop_assert_eq!(&a.columns, &b.columns);
    }

    /// Whatever one rater in a guarded column says, a cell moves by at most (5 − 1) / threshold:
    /// no figure is one rater's rating.
    #[test]
    fn no_figure_is_one_raters_rating(rs in response_set(), t in 2u32..5, pick in any::<prop::sample::Index>(), to in 1u32..=5) {
        prop_assume!(!rs.is_empty());
        let it = small_items();
        let a = report(&it, t, None, &rs, "seed");
        let i = pick.index(rs.len());
        let mut changed = rs.clone();
        for rating in &mut changed[i].answers.ratings {
            if rating.score.is_some() {
                rating.score = Some(to);
            }
        }
        let b = report(&it, t, None, &changed, "seed");
        for (ra, rb) in a.rows.iter().zip(&b.rows) {
            for (ca, cb) in ra.cells.iter().zip(&rb.cells) {
                if let (true, Some(x), Some(y)) = (ca.column.guarded(), ca.mean, cb.mean) {
                    // Each mean is rounded to a tenth: up to 0.05 each way.
                    prop_assert!((x - y).abs() <= 4.0 / f64::from(t) + 0.101, "{x} → {y}");
                }
            }
        }
    }
}
