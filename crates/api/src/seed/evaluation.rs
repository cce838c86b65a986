//! The demo's finished Leadership for Learning cohort (seed 001): leaders from all four schools
//! and two governors, its core workshops, public seminars and action learning sets with their
//! registers, a withdrawal for staff turnover and a deferral, impact posters handed in and
//! verified, interviews with heads and a governor at the interim and end stages, and the
//! evaluator's narrative — what its evaluation report is made of.

use chrono::{NaiveDate, NaiveDateTime};
use trellis_domain::StaffRole;
use trellis_domain::delivery::SessionAudience;
use trellis_domain::enrolment::{Transition, WithdrawalReason, WithdrawalReasonKind};
use trellis_domain::evaluation::{EvaluationStage, IntervieweeRole};
use trellis_domain::portfolio::{EntryMove, EntryState, PosterTheme};
use trellis_domain::rules::definition::{PortfolioEntryKind, SessionKind};

use super::{Seeder, date};
use crate::db::evaluation::{self as db, InterviewRow, NarrativeRow};
use crate::db::models::{CohortRow, ProgrammeRow};
use crate::db::portfolio::{self, EntryRow};
use crate::db::{DbConn, attendance, cohorts, programmes, sessions};
use crate::error::ApiError;
use crate::paging::new_id;

pub const LFL_COHORT_NAME: &str = "Leadership for Learning 2025–26, Oakfield";

fn at(d: NaiveDate, h: u32) -> NaiveDateTime {
    d.and_hms_opt(h, 0, 0).unwrap_or_default()
}

/// The four schools and the people the cohort is run and evaluated by.
pub(super) struct Lfl<'a> {
    pub provider: &'a str,
    pub schools: [&'a str; 4],
    /// Fatima Okafor: person and user.
    pub facilitator: (&'a str, &'a str),
}

type PosterText = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static [PosterTheme]);

/// Each finishing leader's poster: title, focus, issues, actions, impact, themes.
const POSTERS: [(&str, PosterText); 5] = [
    (
        "Marking that moves learning on",
        (
            "Feedback in Key Stage 2 books",
            "Marking took hours and pupils rarely acted on it.",
            "Whole-class feedback sheets; ten minutes of 'fix it' time; a book look each half term.",
            "Pupils' edits doubled in the spring book look; teachers report two hours a week saved.",
            "Every class acting on feedback in the next lesson.",
            &[PosterTheme::ConstructiveUseOfEvidence, PosterTheme::RaisingAttainment],
        ),
    ),
    (
        "Parents as reading partners",
        (
            "Reading at home in Year 2",
            "Fewer than half of Year 2 read at home each week.",
            "Reading cafés after school; a picture-book loan bag; texts home with a question to ask.",
            "Home reading rose from 45 % to 78 % of the class; café attendance of 20 families.",
            "Reading cafés run by parents themselves by next summer.",
            &[PosterTheme::RaisedEngagementWithFamilies, PosterTheme::RaisingAttainment],
        ),
    ),
    (
        "Change teams",
        (
            "Distributing leadership in a small primary",
            "Decisions came from the top; staff meetings were briefings.",
            "Every member of staff in a change team (English, maths, curriculum, early years) led by a middle leader.",
            "Staff meetings are working sessions; each team has led one change to completion.",
            "Teams that outlast the head's retirement.",
            &[PosterTheme::ActiveCollaboration, PosterTheme::DevelopingSustainability],
        ),
    ),
    (
        "Filming for reflection",
        (
            "Teachers' own reflection on questioning",
            "Lesson observations felt like judgements and changed little.",
            "Teachers film ten minutes of their own lesson and choose what to discuss with a colleague.",
            "Seven of nine teachers filmed twice; questioning in the follow-up walk was more open.",
            "Filming as the default start of coaching conversations.",
            &[PosterTheme::ReflectionForAction, PosterTheme::ConstructiveUseOfEvidence],
        ),
    ),
    (
        "A steady key stage through staff changes",
        (
            "Continuity in Key Stage 1 after four teachers in a term",
            "Churn of class teachers broke routines and pupils' progress slowed.",
            "One shared planning sequence; a leader in each class weekly; one-to-one support for new teachers.",
            "Progress in phonics back on track by the summer check; the current teacher is staying.",
            "Induction for new teachers built around the shared sequence.",
            &[PosterTheme::DevelopingSustainability, PosterTheme::RaisingAttainment],
        ),
    ),
];

impl Seeder<'_> {
    pub(super) fn lfl_evaluation(&self, conn: &mut DbConn, p: &Lfl) -> Result<(), ApiError> {
        let preset = trellis_domain::rules::preset("leadership-for-learning")
            .ok_or_else(|| ApiError::internal("preset missing"))?;
        let programme = ProgrammeRow {
            id: new_id(),
            name: preset.name.clone(),
            provider_id: p.provider.into(),
            definition: serde_json::to_string(&preset.definition).map_err(ApiError::internal)?,
            created_at: self.now,
            updated_at: self.now,
            preset_key: Some(preset.key),
        };
        programmes::insert_unchecked(conn, &programme)?;
        let cohort = CohortRow {
            id: new_id(),
            programme_id: programme.id.clone(),
            name: LFL_COHORT_NAME.into(),
            induction_date: date(2025, 9, 22)?,
            start_date: date(2025, 9, 22)?,
            end_date: date(2026, 7, 10)?,
            hub_id: None,
            host_school_id: Some(p.schools[0].into()),
            created_at: self.now,
            updated_at: self.now,
        };
        cohorts::insert_unchecked(conn, &cohort, &[p.facilitator.0.to_owned()])?;

        use StaffRole as R;
        let [a, b, c, d] = p.schools;
        let finish = [Transition::Approve, Transition::Activate, Transition::Complete];
        let turnover = WithdrawalReason {
            kind: WithdrawalReasonKind::StaffTurnover,
            details: Some("Moved to a school outside the trust over the summer".into()),
        };
        let leaders: [(&str, &str, &str, R, Vec<Transition>); 7] = [
            (a, "Ruth", "Ellis", R::MiddleLeader, finish.to_vec()),
            (a, "Sam", "Okonjo", R::SeniorLeader, finish.to_vec()),
            (b, "Hannah", "Price", R::MiddleLeader, finish.to_vec()),
            (c, "Joe", "Lam", R::MiddleLeader, finish.to_vec()),
            (d, "Maya", "Singh", R::SeniorLeader, finish.to_vec()),
            (
                b,
                "Luke",
                "Harding",
                R::MiddleLeader,
                vec![Transition::Approve, Transition::Activate, Transition::Withdraw(turnover)],
            ),
            (c, "Chloe", "Adams", R::Teacher, vec![Transition::Approve, Transition::Activate, Transition::Defer]),
        ];
        let mut enrolled = vec![];
        for (i, (school, given, family, role, moves)) in leaders.iter().enumerate() {
            let person = self.person(conn, school, given, family, *role, &format!("L-{:03}", 100 + i))?;
            enrolled.push(self.enrol(conn, &cohort.id, &person, None, moves)?);
        }
        let active = [Transition::Approve, Transition::Activate];
        let mut governors = vec![];
        for (i, (school, given, family)) in [(b, "Peter", "Marsh"), (d, "Irene", "Cole")].iter().enumerate() {
            let person = self.person(conn, school, given, family, R::Governor, &format!("G-{:03}", 100 + i))?;
            governors.push(self.enrol(conn, &cohort.id, &person, None, &active)?);
        }

        // The timetable: 3 core workshops, 5 public seminars, 6 action learning sets, all held.
        let core = [(2025, 10, 7), (2026, 1, 20), (2026, 6, 23)];
        let seminars = [(2025, 10, 21), (2025, 12, 2), (2026, 2, 24), (2026, 4, 28), (2026, 6, 9)];
        let sets = [(2025, 11, 11), (2026, 1, 13), (2026, 3, 10), (2026, 4, 21), (2026, 5, 19), (2026, 7, 7)];
        let mut n = 0;
        let mut session = |kind: SessionKind, (y, m, day): (i32, u32, u32), title: String, hours: (u32, u32)| {
            n += 1;
            let on = date(y, m, day)?;
            let audience = if kind == SessionKind::PublicSeminar {
                SessionAudience::OpenToGovernors
            } else {
                SessionAudience::Cohort
            };
            let row = sessions::SessionRow {
                id: new_id(),
                cohort_id: cohort.id.clone(),
                kind: kind.as_str().into(),
                title,
                starts_at: at(on, hours.0),
                ends_at: at(on, hours.1),
                venue_school_id: Some(a.into()),
                venue_text: None,
                facilitator_person_id: Some(p.facilitator.0.into()),
                led_by_enrolment_id: None,
                audience: audience.as_str().into(),
                group_id: None,
                cancelled_at: None,
                created_at: self.now,
                updated_at: self.now,
            };
            sessions::insert_unchecked(conn, &row)?;
            // Luke left at the end of the summer term; Chloe deferred in the spring. Governors come
            // to the seminars and core workshops.
            let mut marks = vec![];
            for (i, e) in enrolled.iter().enumerate() {
                let gone = (i == 5 && on > date(2026, 4, 1)?) || (i == 6 && on > date(2026, 2, 1)?);
                if gone {
                    continue;
                }
                let status = match (i + n) % 9 {
                    0 => "apologies",
                    4 if kind == SessionKind::PublicSeminar => "absent",
                    7 => "late",
                    _ => "present",
                };
                marks.push((e.as_str(), status));
            }
            if kind != SessionKind::ActionLearningSet {
                for (i, g) in governors.iter().enumerate() {
                    marks.push((g.as_str(), if (i + n) % 3 == 0 { "apologies" } else { "present" }));
                }
            }
            let marks = marks
                .into_iter()
                .map(|(e, s)| {
                    Ok(trellis_domain::delivery::Mark {
                        enrolment_id: crate::db::facts::uuid(e)?,
                        status: s.parse().map_err(ApiError::internal)?,
                        half_days: None,
                        minutes: None,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            attendance::replace_unchecked(conn, &row.id, &marks, row.updated_at)?;
            Ok::<(), ApiError>(())
        };
        for (i, on) in core.iter().enumerate() {
            session(SessionKind::CoreWorkshop, *on, format!("Core workshop {}", i + 1), (9, 16))?;
        }
        for (i, on) in seminars.iter().enumerate() {
            session(SessionKind::PublicSeminar, *on, format!("Public seminar {}", i + 1), (16, 18))?;
        }
        for (i, on) in sets.iter().enumerate() {
            session(SessionKind::ActionLearningSet, *on, format!("Action learning set {}", i + 1), (13, 16))?;
        }

        // The finishers' impact posters, handed in at the final session and verified.
        let presented = date(2026, 7, 7)?;
        for (e, (title, (focus, issues, actions, impact, outcomes, themes))) in enrolled.iter().zip(POSTERS) {
            let poster = trellis_wire::Poster {
                focus: focus.into(),
                issues: issues.into(),
                actions: actions.into(),
                impact: impact.into(),
                desired_outcomes: outcomes.into(),
                themes: themes.to_vec(),
            };
            let row = EntryRow {
                id: new_id(),
                enrolment_id: e.clone(),
                kind: PortfolioEntryKind::ImpactPoster.as_str().into(),
                state: EntryState::Verified.as_str().into(),
                title: title.into(),
                body: String::new(),
                words: 0,
                session_id: None,
                poster: Some(serde_json::to_string(&poster).map_err(ApiError::internal)?),
                shared: false,
                submitted_at: Some(at(presented, 9)),
                verified_at: Some(at(presented, 16)),
                verified_by: Some(p.facilitator.1.into()),
                created_at: self.now,
                updated_at: self.now,
            };
            portfolio::insert_unchecked(conn, &row)?;
            // The participants have no accounts: the history records the facilitator's verification.
            let note = Some("Presented at the impact session.");
            portfolio::record_event_unchecked(
                conn,
                &row.id,
                EntryMove::Verify,
                note,
                p.facilitator.1,
                at(presented, 16),
            )?;
        }

        // Interviews with heads and a governor, at the interim stage and at the end.
        let by = format!("user:{}", p.facilitator.1);
        use EvaluationStage as S;
        use IntervieweeRole as W;
        let interviews = [
            (
                S::Interim,
                W::Head,
                a,
                "Helen Ashworth, head",
                (2026, 2, 3),
                "To strengthen middle leadership so that it has more impact on pupils' outcomes.",
                "Leaders ask better questions about teaching and learning; they ran an inset for staff on marking that would not have happened without their action learning set.",
                "Leaders also get support from other initiatives, so it is hard to say which made the difference.",
                "",
            ),
            (
                S::Interim,
                W::Head,
                b,
                "Marcus Bell, head",
                (2026, 2, 10),
                "For senior leaders to think strategically about school improvement, alongside me.",
                "More conversations about leadership with two of them; I delegate more and they sit on interview panels.",
                "Staff turnover over the summer took one of our leaders.",
                "Asked that the seminars' dates reach governors earlier.",
            ),
            (
                S::Interim,
                W::Governor,
                b,
                "Peter Marsh, governor",
                (2026, 2, 24),
                "To understand what leadership development our staff take part in.",
                "Leaders looked more closely at community involvement and set up a programme to engage local families.",
                "Twilight seminars clash with governors' meetings.",
                "",
            ),
            (
                S::End,
                W::Head,
                c,
                "Colin Reeves, head",
                (2026, 7, 8),
                "A way to sustain leadership in the school as staff change.",
                "The biggest single impact has been confidence: leaders lead change, support colleagues and know their non-negotiables.",
                "A head who does not champion the programme makes it hard for leaders to carry learning back into school.",
                "One leader deferred for maternity leave and will join next year's cohort.",
            ),
            (
                S::End,
                W::Head,
                a,
                "Helen Ashworth, head",
                (2026, 7, 9),
                "Stronger middle leaders with an impact on pupils.",
                "Marking now moves learning on across Key Stage 2, and parents read with their children in Year 2.",
                "Finding time for the action learning sets in a busy summer term.",
                "",
            ),
        ];
        for (stage, role, school, who, (y, m, day), expected, impact, challenges, notes) in interviews {
            db::insert_interview(
                conn,
                &InterviewRow {
                    id: new_id(),
                    cohort_id: cohort.id.clone(),
                    stage: stage.as_str().into(),
                    role: role.as_str().into(),
                    school_id: school.into(),
                    interviewee: who.into(),
                    held_on: date(y, m, day)?,
                    expected: expected.into(),
                    impact: impact.into(),
                    challenges: challenges.into(),
                    notes: notes.into(),
                    created_by: by.clone(),
                    created_at: self.now,
                },
            )?;
        }
        db::save_narrative(
            conn,
            &NarrativeRow {
                cohort_id: cohort.id.clone(),
                background: "Oakfield Learning Trust commissioned the Northern Leadership Institute to run Leadership for Learning for its four schools, to improve the quality of leadership and, through it, pupils' outcomes. Governors were invited to the public seminars and core workshops.".into(),
                challenges: "Staff turnover over the summer cost one school a leader part way through. Where heads championed the programme, leaders carried their learning back into school; where they did not, it was harder.".into(),
                conclusion: "The programme has begun a network of middle leaders across the trust's schools that did not exist before, and a habit of solving problems together that can outlast it.".into(),
                updated_by: by,
                updated_at: self.now,
            },
        )?;
        Ok(())
    }
}
