//! The demo's school-to-school partnership round (seed 003): needs from all four schools, two
//! colleagues matched from other schools, their visits, and one write-up presented and
//! acknowledged.

use trellis_domain::partnership::{DataCollection as D, NeedArea, NeedStatus, RoundStatus};
use trellis_domain::{Role, StaffRole};

use super::{Seeder, date};
use crate::db::DbConn;
use crate::db::partnerships::{self as db, MatchRow, NeedRow, RoundRow, VisitRow};
use crate::error::ApiError;
use crate::paging::new_id;

pub const PARTNERSHIP_ROUND_NAME: &str = "Developing Leadership through Partnership 2026–27";

/// The four schools, as (id, latitude, longitude): West Yorkshire, a few miles apart.
pub(super) struct Schools<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub c: &'a str,
    pub d: &'a str,
}

impl Seeder<'_> {
    pub(super) fn partnership_round(
        &self,
        conn: &mut DbConn,
        trust: (&str, &str),
        s: &Schools,
    ) -> Result<(), ApiError> {
        for (school, lat, lng) in
            [(s.a, 53.8008, -1.5491), (s.b, 53.7950, -1.7594), (s.c, 53.6458, -1.7850), (s.d, 53.6833, -1.4977)]
        {
            crate::db::schools::set_coordinates_unchecked(conn, school, lat, lng, self.now)?;
        }
        use StaffRole as R;
        let nadia = self.person(conn, s.b, "Nadia", "Rahman", R::MiddleLeader, "B-020")?;
        let owen = self.person(conn, s.c, "Owen", "Price", R::Teacher, "C-020")?;
        let leah = self.person(conn, s.d, "Leah", "Murphy", R::MiddleLeader, "D-020")?;
        self.user(
            conn,
            ("partner.b@trellis.test", "Nadia Rahman"),
            Some(&nadia),
            &[(Role::Participant, None, Some(s.b))],
        )?;
        let by = format!("user:{}", trust.1);
        let round = RoundRow {
            id: new_id(),
            organisation_id: trust.0.into(),
            name: PARTNERSHIP_ROUND_NAME.into(),
            starts_on: date(2026, 9, 1)?,
            ends_on: date(2027, 7, 21)?,
            status: RoundStatus::Open.as_str().into(),
            restart_on: None,
            postponement_reason: None,
            circulated_at: Some(self.now),
            created_by: by.clone(),
            created_at: self.now,
            updated_at: self.now,
        };
        db::insert_round(conn, &round, &[s.a.into(), s.b.into(), s.c.into(), s.d.into()])?;
        db::set_offer(conn, &round.id, &owen, &[NeedArea::HomeworkProvision])?;
        db::set_offer(conn, &round.id, &leah, &[NeedArea::SupportingDisadvantaged, NeedArea::QualityOfFeedback])?;

        let need = |school: &str, area: NeedArea, detail: Option<&str>, title: &str, description: &str| NeedRow {
            id: new_id(),
            round_id: round.id.clone(),
            school_id: school.into(),
            area: area.as_str().into(),
            area_detail: detail.map(str::to_owned),
            title: title.into(),
            description: description.into(),
            starts_on: round.starts_on,
            ends_on: round.ends_on,
            status: NeedStatus::Open.as_str().into(),
            created_by: by.clone(),
            created_at: self.now,
            updated_at: self.now,
        };
        let feedback = need(
            s.a,
            NeedArea::QualityOfFeedback,
            None,
            "Making written feedback count in Key Stage 2",
            "Marking takes teachers hours and pupils rarely act on it. We would like an outside view of how feedback is given in Years 3 to 6 and what pupils do with it, and a plan to make it lighter and more useful by the summer term.",
        );
        let homework = need(
            s.b,
            NeedArea::HomeworkProvision,
            None,
            "Homework that builds independence in Year 8",
            "Completion of Year 8 homework has fallen to about half. We want to understand why, from pupils and staff, and agree a homework offer that builds independent study habits.",
        );
        let phonics = need(
            s.c,
            NeedArea::SupportingDisadvantaged,
            Some("Year 2 phonics"),
            "Closing the phonics gap for disadvantaged pupils in Year 2",
            "Disadvantaged pupils are eleven points behind their peers in the phonics re-check. We would like a review of our catch-up sessions and the data we use to target them.",
        );
        let wellbeing = need(
            s.d,
            NeedArea::WellbeingReview,
            None,
            "A staff wellbeing review",
            "A review of workload and wellbeing across our teaching and support staff, with practical changes we could make this year.",
        );
        for n in [&feedback, &homework, &phonics, &wellbeing] {
            db::insert_need(conn, n)?;
        }
        let matched = |n: &NeedRow, person: &str, school: &str| MatchRow {
            need_id: n.id.clone(),
            person_id: person.into(),
            school_id: school.into(),
            matched_by: by.clone(),
            matched_at: self.now,
            findings: None,
            action_plan: None,
            presented_on: None,
            presented_to_governors: false,
            reported_at: None,
            acknowledged_at: None,
            acknowledged_by: None,
        };
        db::insert_match(conn, &matched(&feedback, &nadia, s.b))?;
        db::insert_match(conn, &matched(&homework, &owen, s.c))?;
        let visit = |n: &NeedRow, on, ways: &[D], notes: &str| VisitRow {
            id: new_id(),
            need_id: n.id.clone(),
            visited_on: on,
            data_collection: ways.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(" "),
            notes: notes.into(),
            logged_by: by.clone(),
            created_at: self.now,
        };
        db::insert_visit(
            conn,
            &visit(
                &feedback,
                date(2026, 10, 8)?,
                &[D::LessonObservation, D::PupilInterview],
                "Observed writing lessons in Years 4 and 6; spoke with twelve pupils about what they do when their book comes back.",
            ),
        )?;
        db::insert_visit(
            conn,
            &visit(
                &feedback,
                date(2026, 10, 22)?,
                &[D::StaffInterview, D::PolicyAnalysis],
                "Interviewed five class teachers and the English lead; read the marking and feedback policy.",
            ),
        )?;
        db::insert_visit(
            conn,
            &visit(
                &homework,
                date(2026, 11, 12)?,
                &[D::PupilInterview, D::DataEvaluation],
                "Two Year 8 pupil panels; looked at a term of homework completion data by subject.",
            ),
        )?;
        db::write_findings(
            conn,
            &feedback.id,
            "Written comments are detailed but pupils seldom respond to them: in the books sampled, one comment in five led to a change in the pupil's work. Pupils value spoken feedback in the lesson most. Teachers spend four to six hours a week marking, and the policy asks for more written comment than practice gives.",
            "1. Replace the written-comment expectation with whole-class feedback sheets in Years 3–6 from January.\n2. Build ten minutes of 'fix it' time into the first lesson after books are marked.\n3. The English lead checks the effect on pupils' editing at Easter, by sampling books again.\n4. Revise the feedback policy for the governors' summer meeting.",
            date(2026, 11, 18)?,
            true,
            self.now,
        )?;
        db::acknowledge(conn, &feedback.id, &by, self.now)?;
        db::set_need_status(conn, &feedback.id, NeedStatus::Acknowledged, self.now)?;
        db::set_need_status(conn, &homework.id, NeedStatus::Matched, self.now)?;
        Ok(())
    }
}
