//! The demo's 360 diagnostic: Priya Anand's baseline round, answered before induction by her
//! line manager, three peers and two direct reports (so the direct reports, below the threshold
//! of 3, are pooled with the peers as "others"), and her end round under way.

use chrono::{Duration, NaiveDate};
use trellis_domain::diagnostic::{Answers, Item, Rating, items};
use trellis_domain::rules::definition::{DiagnosticRound, RaterGroup};

use super::{Seeder, date};
use crate::db::{DbConn, cohorts, diagnostic};
use crate::error::ApiError;

/// Ratings drawn from a base and a per-item pattern, so the report has a shape worth reading.
fn answers(items: &[Item], base: i32, pattern: &[i32], strengths: &str, development: &str) -> Answers {
    Answers {
        ratings: items
            .iter()
            .enumerate()
            .map(|(i, it)| Rating {
                kind: it.kind,
                item: it.name.clone(),
                // The last area is one a direct report rarely sees: not observed.
                score: if base < 0 && i + 1 == items.len() {
                    None
                } else {
                    Some((base.abs() + pattern[i % pattern.len()]).clamp(1, 5) as u32)
                },
            })
            .collect(),
        strengths: strengths.into(),
        development: development.into(),
    }
}

fn at(d: NaiveDate, h: u32) -> chrono::NaiveDateTime {
    d.and_hms_opt(h, 0, 0).unwrap_or_default()
}

impl Seeder<'_> {
    pub(super) fn npqml_diagnostic(&self, conn: &mut DbConn, cohort: &str, enrolment: &str) -> Result<(), ApiError> {
        let definition = cohorts::definition(conn, cohort)?;
        let Some(rule) = definition.diagnostic.as_ref() else { return Ok(()) };
        let items = items(&definition);
        let opened = at(date(2026, 8, 24)?, 9);
        let baseline = diagnostic::NewRound {
            round: DiagnosticRound::Baseline,
            items: &items,
            threshold: rule.anonymity_threshold,
            closes_on: date(2026, 9, 11)?,
            opened_by: None,
        };
        let Some(round) = diagnostic::open_unchecked(conn, enrolment, &baseline, opened)? else { return Ok(()) };
        let raters = [
            (RaterGroup::LineManager, "Helen Ashworth", "helen.ashworth@oakfield.example"),
            (RaterGroup::Peer, "Daniel Brooks", "daniel.brooks@oakfield.example"),
            (RaterGroup::Peer, "Amira Haddad", "amira.haddad@oakfield.example"),
            (RaterGroup::Peer, "Owen Pritchard", "owen.pritchard@oakfield.example"),
            (RaterGroup::DirectReport, "Leah Morgan", "leah.morgan@oakfield.example"),
            (RaterGroup::DirectReport, "Sam Okafor", "sam.okafor@oakfield.example"),
        ];
        let nominees: Vec<_> = raters.iter().map(|(g, n, e)| (*g, (*n).to_owned(), (*e).to_owned())).collect();
        let made = diagnostic::nominate_unchecked(conn, &round, baseline.closes_on, &nominees, opened)?;
        let said = [
            answers(
                &items,
                4,
                &[0, 0, -1, 0, -1, 1, 0],
                "Priya is meticulous and keeps the team focused on pupils.",
                "Delegating more, and holding colleagues to account when deadlines slip.",
            ),
            answers(
                &items,
                4,
                &[0, 1, 0, -1, 0, 0, -1],
                "Generous with her time and ideas.",
                "Could share her reasoning earlier when she changes a plan.",
            ),
            answers(&items, 3, &[1, 0, 0, 0, -1, 1, 0], "Brilliant with phonics; everyone asks her advice.", ""),
            answers(
                &items,
                4,
                &[0, 0, -1, -1, 0, 0, 0],
                "Calm under pressure.",
                "Saying no to extra jobs so the important ones get done.",
            ),
            answers(
                &items,
                -4,
                &[0, 1, 0, 0, -1, 0, 1],
                "Clear expectations and kind feedback.",
                "Team meetings sometimes run over.",
            ),
            answers(
                &items,
                -3,
                &[1, 1, 0, 0, 0, 1, 0],
                "She notices when we are struggling.",
                "More time to plan together as a year group.",
            ),
        ];
        for (n, (answers, (group, _, _))) in made.iter().zip(said.iter().zip(&raters)) {
            diagnostic::submit_unchecked(conn, &n.rater_id, &round, group.as_str(), answers)?;
        }
        let own = answers(
            &items,
            3,
            &[0, 1, 0, -1, -1, 0, 1],
            "Subject knowledge and building relationships.",
            "Confidence in leading colleagues older than me.",
        );
        diagnostic::save_self_unchecked(conn, &round, &own, true, at(date(2026, 8, 27)?, 19))?;
        diagnostic::close_unchecked(conn, &round, None, at(date(2026, 9, 11)?, 17))?;

        // The end round: opened today, the self-review begun, two of four raters answered.
        let today = self.now.date();
        let end = diagnostic::NewRound {
            round: DiagnosticRound::End,
            items: &items,
            threshold: rule.anonymity_threshold,
            closes_on: today + Duration::days(21),
            opened_by: None,
        };
        let Some(round) = diagnostic::open_unchecked(conn, enrolment, &end, self.now)? else { return Ok(()) };
        let nominees: Vec<_> = raters[..4].iter().map(|(g, n, e)| (*g, (*n).to_owned(), (*e).to_owned())).collect();
        let made = diagnostic::nominate_unchecked(conn, &round, end.closes_on, &nominees, self.now)?;
        let later = [
            answers(
                &items,
                4,
                &[1, 0, 0, 0, 0, 1, 0],
                "Leads the phonics work across the school now.",
                "Keep building the team's independence.",
            ),
            answers(&items, 4, &[0, 1, 1, 0, 0, 0, 0], "Explains why before what.", ""),
        ];
        for (n, (answers, (group, _, _))) in made.iter().zip(later.iter().zip(&raters)) {
            diagnostic::submit_unchecked(conn, &n.rater_id, &round, group.as_str(), answers)?;
        }
        let mut draft = answers(&items, 4, &[0, 0, 0, -1, 0, 1, 0], "", "");
        draft.ratings.truncate(5);
        diagnostic::save_self_unchecked(conn, &round, &draft, false, self.now)?;
        Ok(())
    }
}
