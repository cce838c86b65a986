//! The demo's projects and portfolios: Priya Anand's NPQML project in implementation, with a
//! phonics measure and its readings; a Leading Active Learning cohort in which Grace Adeyemi has
//! met every requirement (one step from certification).

use chrono::{NaiveDate, NaiveDateTime};
use trellis_domain::StaffRole;
use trellis_domain::enrolment::Transition;
use trellis_domain::portfolio::{EntryMove, EntryState};
use trellis_domain::project::FocusArea;
use trellis_domain::rules::definition::{Audience, PortfolioEntryKind, ProjectStage, SessionKind};
use trellis_domain::rules::word_count;
use trellis_wire::{CreateImpactMeasure, CreateProjectPresentation, RecordImpactReading};

use super::{Seeder, date};
use crate::db::models::{CohortRow, ProgrammeRow};
use crate::db::portfolio::{self, EntryRow};
use crate::db::projects::{self, ProjectRow};
use crate::db::{DbConn, attendance, cohorts, programmes, sessions};
use crate::error::ApiError;
use crate::paging::new_id;

/// The NPQML cohort a year ahead of the demo cohort, in its assessment window.
pub const ASSESSED_COHORT_NAME: &str = "NPQML 2025–26, Oakfield South";
pub const LAL_COHORT_NAME: &str = "Leading Active Learning 2025–26, Oakfield";

/// What the demo's work is attached to.
pub(super) struct Places<'a> {
    pub provider: &'a str,
    pub hub: &'a str,
    pub school_a: &'a str,
    pub school_b: &'a str,
    pub school_c: &'a str,
    /// Fatima Okafor, the facilitator: person and user.
    pub facilitator: (&'a str, &'a str),
    /// Colin Reeves, head of Hillcrest (C).
    pub head_c: &'a str,
    /// Helen Ashworth, head of Oakfield Primary (A).
    pub head_a: &'a str,
    /// Oakfield Learning Trust and its admin's user (Tom Trustwide).
    pub trust: (&'a str, &'a str),
}

fn at(d: NaiveDate, h: u32) -> NaiveDateTime {
    d.and_hms_opt(h, 0, 0).unwrap_or_default()
}

impl Seeder<'_> {
    /// Priya's improvement project: started in September, initiation recorded, implementation
    /// under way; a KS1 phonics check measure from 27 % towards 80 %, and a draft reflection.
    pub(super) fn npqml_project(
        &self,
        conn: &mut DbConn,
        p: &Places,
        cohort: &str,
        enrolment: &str,
        priya_user: &str,
    ) -> Result<(), ApiError> {
        let row = ProjectRow {
            id: new_id(),
            cohort_id: cohort.into(),
            title: "Daily keep-up phonics in Key Stage 1".into(),
            focus_area: FocusArea::LiteracyAndMathematics.as_str().into(),
            focus_detail: None,
            host_school_id: p.school_a.into(),
            sponsor_person_id: Some(p.head_a.into()),
            tutor_person_id: Some(p.facilitator.0.into()),
            starts_on: date(2026, 9, 21)?,
            ends_on: date(2027, 4, 30)?,
            worksheet: None,
            created_at: self.now,
            updated_at: self.now,
        };
        projects::insert_unchecked(conn, &row, &[enrolment.to_owned()])?;
        let account = "Agreed with Helen Ashworth: every Year 1 and Year 2 pupil below the expected phonics phase gets a ten-minute keep-up session daily, taught by trained TAs; baseline phonics check taken in September.";
        projects::record_stage_unchecked(
            conn,
            &row.id,
            priya_user,
            ProjectStage::Initiation,
            date(2026, 10, 9)?,
            account,
            self.now,
        )?;
        for (on, text) in [
            (date(2026, 9, 24)?, "Trained four TAs in the keep-up routine with the English lead."),
            (date(2026, 10, 5)?, "Keep-up groups started in Year 1 and Year 2; timetable shared with class teachers."),
            (date(2026, 11, 16)?, "Second mock check; moved six pupils between groups."),
        ] {
            projects::add_action_unchecked(conn, &row.id, priya_user, on, text, self.now)?;
        }
        let measure = new_id();
        let body = CreateImpactMeasure {
            name: "Year 1 pupils passing a mock phonics screening check".into(),
            unit: "%".into(),
            baseline: 27.0,
            baseline_on: date(2026, 9, 21)?,
            target: 80.0,
        };
        projects::add_measure_unchecked(conn, &row.id, &measure, &body, self.now)?;
        for (on, value, note) in
            [(date(2026, 10, 16)?, 41.0, Some("First half-termly mock check")), (date(2026, 11, 16)?, 58.0, None)]
        {
            let r = RecordImpactReading { taken_on: on, value, note: note.map(str::to_owned) };
            projects::record_reading_unchecked(conn, &measure, priya_user, &r, self.now)?;
        }
        let text = "Day 2 made me look again at how we choose who gets intervention: we had been choosing by behaviour in lessons rather than by the phonics assessment.";
        self.entry(
            conn,
            enrolment,
            PortfolioEntryKind::Reflection,
            "What day 2 changed in my project",
            text,
            None,
            None,
        )?;
        Ok(())
    }

    /// A Leading Active Learning cohort in the same trust, finished: three study sessions and six
    /// participant-led cluster meetings, registers taken, Grace Adeyemi's pair project presented to
    /// staff, her three reflections (one on the meeting she led) and her analytical story verified.
    /// Grace signs in as `lal.participant@trellis.test`.
    pub(super) fn leading_active_learning(&self, conn: &mut DbConn, p: &Places) -> Result<(), ApiError> {
        let preset = trellis_domain::rules::preset("leading-active-learning")
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
            name: LAL_COHORT_NAME.into(),
            induction_date: date(2025, 11, 4)?,
            start_date: date(2025, 11, 4)?,
            end_date: date(2026, 10, 30)?,
            hub_id: Some(p.hub.into()),
            host_school_id: Some(p.school_a.into()),
            created_at: self.now,
            updated_at: self.now,
        };
        cohorts::insert_unchecked(conn, &cohort, &[p.facilitator.0.to_owned()])?;
        use StaffRole as R;
        let activate = [Transition::Approve, Transition::Activate];
        let grace = self.person(conn, p.school_c, "Grace", "Adeyemi", R::MiddleLeader, "C-040")?;
        let daniel = self.person(conn, p.school_c, "Daniel", "Moss", R::Teacher, "C-041")?;
        let aisha = self.person(conn, p.school_a, "Aisha", "Khan", R::Teacher, "A-040")?;
        let tom = self.person(conn, p.school_b, "Tom", "Whitfield", R::MiddleLeader, "B-040")?;
        let grace_user = self.user(
            conn,
            ("lal.participant@trellis.test", "Grace Adeyemi"),
            Some(&grace),
            &[(trellis_domain::Role::Participant, None, Some(p.school_c))],
        )?;
        let mut enrolled = vec![];
        for person in [&grace, &daniel, &aisha, &tom] {
            enrolled.push(self.enrol(conn, &cohort.id, person, None, &activate)?);
        }
        let (g, d, a, t) = (&enrolled[0], &enrolled[1], &enrolled[2], &enrolled[3]);

        // Study sessions at the hub; cluster meetings, each led by a participant in turn.
        let study = [(2025, 11, 18), (2026, 2, 10), (2026, 5, 12)];
        let cluster = [
            ((2025, 12, 9), a),
            ((2026, 1, 20), t),
            ((2026, 3, 3), g),
            ((2026, 4, 21), d),
            ((2026, 6, 9), a),
            ((2026, 7, 7), t),
        ];
        let mut cluster_ids = vec![];
        for (i, (y, m, day)) in study.iter().enumerate() {
            let on = date(*y, *m, *day)?;
            let title = format!(
                "Study session {}: {}",
                i + 1,
                ["Leadership development", "Reflective practice", "Solution-focused approaches"][i]
            );
            self.lal_session(conn, &cohort.id, p, SessionKind::StudySession, &title, on, (13, 16), None, &enrolled)?;
        }
        for (i, ((y, m, day), leader)) in cluster.iter().enumerate() {
            let on = date(*y, *m, *day)?;
            let title = format!("Cluster meeting {}", i + 1);
            let id = self.lal_session(
                conn,
                &cohort.id,
                p,
                SessionKind::ClusterMeeting,
                &title,
                on,
                (15, 17),
                Some(leader),
                &enrolled,
            )?;
            cluster_ids.push(id);
        }

        // The pair project at Hillcrest, presented to staff.
        let project = ProjectRow {
            id: new_id(),
            cohort_id: cohort.id.clone(),
            title: "Talk partners in Year 4 maths".into(),
            focus_area: FocusArea::LiteracyAndMathematics.as_str().into(),
            focus_detail: None,
            host_school_id: p.school_c.into(),
            sponsor_person_id: Some(p.head_c.into()),
            tutor_person_id: Some(p.facilitator.0.into()),
            starts_on: date(2026, 1, 12)?,
            ends_on: date(2026, 6, 26)?,
            worksheet: None,
            created_at: self.now,
            updated_at: self.now,
        };
        projects::insert_unchecked(conn, &project, &[g.clone(), d.clone()])?;
        let fatima = p.facilitator.1;
        for (stage, on, account) in [
            (
                ProjectStage::Initiation,
                date(2026, 1, 30)?,
                "Agreed with Colin Reeves; baseline from a sample of six lessons: few pupils explained their reasoning aloud.",
            ),
            (
                ProjectStage::Implementation,
                date(2026, 5, 15)?,
                "Talk partners and sentence stems in every Year 4 maths lesson; Daniel and Grace observed each other fortnightly.",
            ),
            (
                ProjectStage::Evaluation,
                date(2026, 6, 19)?,
                "Lesson samples and pupil voice show most pupils now explain their reasoning; the stems travel to other subjects.",
            ),
        ] {
            projects::record_stage_unchecked(conn, &project.id, fatima, stage, on, account, self.now)?;
        }
        let measure = new_id();
        let body = CreateImpactMeasure {
            name: "Pupils explaining their reasoning (sampled lessons)".into(),
            unit: "%".into(),
            baseline: 22.0,
            baseline_on: date(2026, 1, 19)?,
            target: 60.0,
        };
        projects::add_measure_unchecked(conn, &project.id, &measure, &body, self.now)?;
        for (on, value) in [(date(2026, 3, 16)?, 35.0), (date(2026, 5, 11)?, 52.0), (date(2026, 6, 15)?, 63.0)] {
            let r = RecordImpactReading { taken_on: on, value, note: None };
            projects::record_reading_unchecked(conn, &measure, fatima, &r, self.now)?;
        }
        let presentation = CreateProjectPresentation {
            audience: Audience::Staff,
            presented_on: date(2026, 6, 24)?,
            next_steps: Some(
                "Years 3 and 5 adopt talk partners in the autumn term; Grace coaches their teachers.".into(),
            ),
        };
        projects::add_presentation_unchecked(conn, &project.id, fatima, &presentation, self.now)?;

        // Grace's portfolio, each entry handed in and verified by the facilitator.
        let reflections = [
            (
                0,
                "Cluster meeting 1: listening before advising",
                "I noticed how quickly I jumped to solutions when Aisha described her class. Next time I will ask two questions before I offer anything.",
            ),
            (
                2,
                "Cluster meeting 3, which I led: a solution-focused round",
                "Leading the meeting, I used the scaling question from study session 3. Tom found a next step he owned; I kept time badly and will use a visible timer.",
            ),
            (
                4,
                "Cluster meeting 5: evidence from our lessons",
                "We brought lesson samples. Seeing Daniel's pupils explain their reasoning convinced the group that talk partners were worth trying in other year groups.",
            ),
        ];
        let mut entries = vec![];
        for (i, title, text) in reflections {
            let session = cluster_ids[i].clone();
            let submitted = date(2026, 7, 10)?;
            let id = self.entry(
                conn,
                g,
                PortfolioEntryKind::Reflection,
                title,
                text,
                Some(session),
                Some((submitted, &grace_user, fatima)),
            )?;
            entries.push(id);
        }
        let story = "Our school's maths lessons were quiet: pupils worked alone and few explained their thinking. With Daniel, and agreed with our head, we introduced talk partners and sentence stems in Year 4. Tutorial support from Fatima helped us choose a measure we could trust: the share of pupils who explained their reasoning in sampled lessons, which rose from 22 % to 63 %. We presented the outcomes to staff in June, and Years 3 and 5 start in the autumn.";
        self.entry(
            conn,
            g,
            PortfolioEntryKind::AnalyticalStory,
            "Talk partners: the story of our work-based activity",
            story,
            None,
            Some((date(2026, 7, 10)?, &grace_user, fatima)),
        )?;

        // Fatima completed Grace's enrolment; the trust awarded her certificate, and she shares the
        // reflection on the meeting she led as its evidence.
        let award = crate::db::certificates::Award {
            holder_name: "Grace Adeyemi",
            programme_name: &programme.name,
            issuer_id: p.trust.0,
            issuer_name: "Oakfield Learning Trust",
            issued_by: p.trust.1,
            actor: "seed",
        };
        let cert = crate::db::certificates::certify_unchecked(conn, g, &award, date(2026, 7, 24)?, self.now)?;
        crate::db::certificates::share_unchecked(conn, &cert, &entries[1..2], self.now)?;
        Ok(())
    }

    /// Last year's NPQML cohort, in its assessment window: Imran Malik's submission waits for Asha
    /// Assessor's mark (his coach has verified it); Hannah Lee passed (her outcome recorded; the
    /// certificate waits for her 360 rounds, which Trellis cannot record yet); Ruth Evans was
    /// referred and has until the date shown to resubmit.
    pub(super) fn npqml_assessment(
        &self,
        conn: &mut DbConn,
        p: &Places,
        programme: &str,
        coach: (&str, &str),
        assessor: &str,
    ) -> Result<(), ApiError> {
        use crate::db::assessment as a;
        use trellis_domain::rules::progress::AssessmentOutcome as O;
        let cohort = CohortRow {
            id: new_id(),
            programme_id: programme.into(),
            name: ASSESSED_COHORT_NAME.into(),
            induction_date: date(2025, 9, 16)?,
            start_date: date(2025, 9, 16)?,
            end_date: date(2026, 7, 17)?,
            hub_id: Some(p.hub.into()),
            host_school_id: Some(p.school_b.into()),
            created_at: self.now,
            updated_at: self.now,
        };
        cohorts::insert_unchecked(conn, &cohort, &[p.facilitator.0.to_owned()])?;
        let moves = [Transition::Approve, Transition::Activate];
        let statement = "I coach middle leaders across the trust and will meet them each half term.";
        let verify = "I have seen the project's data and minutes: the evidence is the participant's own work.";
        let report = |focus: &str| {
            format!(
                "Initiation. {focus} With my head teacher I agreed the aim, the team and a baseline.\n\nImplementation. Over two terms the team changed its practice week by week; I kept an action log and adjusted the plan at each review.\n\nEvaluation. The measure moved towards its target; the team now leads the work without me, and the next steps are agreed."
            )
        };
        let people = [
            (p.school_b, "Imran", "Malik", "B-050", "Homework that pupils complete: a Year 8 routine."),
            (p.school_a, "Hannah", "Lee", "A-050", "Reading fluency in Year 3: paired reading every morning."),
            (p.school_c, "Ruth", "Evans", "C-050", "Attendance of pupils with SEND: a weekly check-in."),
        ];
        let mark = |conn: &mut DbConn, sub: &str, outcome: O, unmet: bool, feedback: &str| -> Result<(), ApiError> {
            let criteria: Vec<trellis_wire::CriterionJudgement> = ["Initiation", "Implementation", "Evaluation"]
                .iter()
                .enumerate()
                .map(|(i, c)| trellis_wire::CriterionJudgement {
                    criterion: (*c).into(),
                    verdict: if unmet && i == 2 {
                        trellis_domain::assessment::CriterionVerdict::NotYetMet
                    } else {
                        trellis_domain::assessment::CriterionVerdict::Met
                    },
                    feedback: if unmet && i == 2 {
                        "The evaluation describes activity, not impact: show what changed for pupils.".into()
                    } else {
                        format!("{c}: clearly evidenced.")
                    },
                })
                .collect();
            let j = a::NewJudgement { outcome, confirms: None, criteria: &criteria, feedback, by: assessor };
            a::mark_unchecked(conn, sub, &j, self.now)?;
            Ok(())
        };
        for (i, (school, given, family, mis, focus)) in people.iter().enumerate() {
            let person = self.person(conn, school, given, family, StaffRole::MiddleLeader, mis)?;
            let enrolment = self.enrol(conn, &cohort.id, &person, Some((coach.0, statement)), &moves)?;
            let project = ProjectRow {
                id: new_id(),
                cohort_id: cohort.id.clone(),
                title: focus.split(':').next().unwrap_or(focus).into(),
                focus_area: FocusArea::Other.as_str().into(),
                focus_detail: Some((*focus).into()),
                host_school_id: (*school).into(),
                sponsor_person_id: None,
                tutor_person_id: Some(p.facilitator.0.into()),
                starts_on: date(2025, 10, 6)?,
                ends_on: date(2026, 7, 10)?,
                worksheet: None,
                created_at: self.now,
                updated_at: self.now,
            };
            projects::insert_unchecked(conn, &project, std::slice::from_ref(&enrolment))?;
            for (stage, on) in [
                (ProjectStage::Initiation, date(2025, 10, 24)?),
                (ProjectStage::Implementation, date(2026, 2, 13)?),
                (ProjectStage::Evaluation, date(2026, 7, 3)?),
            ] {
                let account = format!("The {stage} stage, reviewed with the tutor.");
                projects::record_stage_unchecked(conn, &project.id, p.facilitator.1, stage, on, &account, self.now)?;
            }
            let text = report(focus);
            let n = a::NewSubmission {
                attempt: 1,
                project_id: &project.id,
                report: &text,
                words: trellis_domain::rules::word_count(&text) as i64,
                submitted_on: date(2026, 9, 28 + i as u32)?,
            };
            let sub = a::insert_unchecked(conn, &enrolment, &n, &[], self.now)?;
            a::verify_unchecked(conn, &sub, verify, date(2026, 10, 2)?, coach.1, self.now)?;
            a::assign_unchecked(conn, &sub, assessor, None, self.now)?;
            match i {
                0 => {}
                1 => {
                    mark(conn, &sub, O::Pass, false, "A well-evidenced project: every criterion is met.")?;
                    a::release_unchecked(conn, &sub, &enrolment, O::Pass, None, p.facilitator.1, self.now)?;
                }
                _ => {
                    mark(
                        conn,
                        &sub,
                        O::Refer,
                        true,
                        "Strong initiation and implementation; resubmit with the evaluation of impact.",
                    )?;
                    let rule = trellis_domain::rules::preset("npq-middle-leadership")
                        .and_then(|p| p.definition.assessment)
                        .ok_or_else(|| ApiError::internal("the NPQML preset has an assessment"))?;
                    let by = trellis_domain::assessment::resubmit_by(&rule, self.now.date());
                    a::release_unchecked(conn, &sub, &enrolment, O::Refer, Some(by), p.facilitator.1, self.now)?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn lal_session(
        &self,
        conn: &mut DbConn,
        cohort: &str,
        p: &Places,
        kind: SessionKind,
        title: &str,
        on: NaiveDate,
        (from, to): (u32, u32),
        led_by: Option<&String>,
        register: &[String],
    ) -> Result<String, ApiError> {
        let row = sessions::SessionRow {
            id: new_id(),
            cohort_id: cohort.into(),
            kind: kind.as_str().into(),
            title: title.into(),
            // Winter and summer times alike are stored in UTC; the demo's hours are near enough.
            starts_at: at(on, from),
            ends_at: at(on, to),
            venue_school_id: Some(p.school_a.into()),
            venue_text: None,
            facilitator_person_id: Some(p.facilitator.0.into()),
            led_by_enrolment_id: led_by.cloned(),
            audience: "cohort".into(),
            group_id: None,
            cancelled_at: None,
            created_at: self.now,
            updated_at: self.now,
        };
        sessions::insert_unchecked(conn, &row)?;
        let marks = register
            .iter()
            .enumerate()
            .map(|(i, e)| {
                // Tom sent apologies to one study session; everyone else came to everything.
                let status = if i == 3 && kind == SessionKind::StudySession && on.format("%m").to_string() == "02" {
                    "apologies"
                } else {
                    "present"
                };
                Ok(trellis_domain::delivery::Mark {
                    enrolment_id: crate::db::facts::uuid(e)?,
                    status: status.parse().map_err(ApiError::internal)?,
                    half_days: None,
                    minutes: None,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        attendance::replace_unchecked(conn, &row.id, &marks, row.updated_at)?;
        Ok(row.id)
    }

    /// An entry; with `verified` (day, participant's user, verifier's user), submitted and verified that day.
    #[allow(clippy::too_many_arguments)]
    fn entry(
        &self,
        conn: &mut DbConn,
        enrolment: &str,
        kind: PortfolioEntryKind,
        title: &str,
        body: &str,
        session: Option<String>,
        verified: Option<(NaiveDate, &str, &str)>,
    ) -> Result<String, ApiError> {
        let row = EntryRow {
            id: new_id(),
            enrolment_id: enrolment.into(),
            kind: kind.as_str().into(),
            state: if verified.is_some() { EntryState::Verified } else { EntryState::Draft }.as_str().into(),
            title: title.into(),
            body: body.into(),
            words: word_count(body) as i64,
            session_id: session,
            poster: None,
            shared: false,
            submitted_at: verified.map(|(d, _, _)| at(d, 9)),
            verified_at: verified.map(|(d, _, _)| at(d, 16)),
            verified_by: verified.map(|(_, _, by)| by.to_owned()),
            created_at: self.now,
            updated_at: self.now,
        };
        portfolio::insert_unchecked(conn, &row)?;
        if let Some((d, owner, by)) = verified {
            portfolio::record_event_unchecked(conn, &row.id, EntryMove::Submit, None, owner, at(d, 9))?;
            portfolio::record_event_unchecked(
                conn,
                &row.id,
                EntryMove::Verify,
                Some("Verified: a clear, honest account."),
                by,
                at(d, 16),
            )?;
        }
        Ok(row.id)
    }
}
