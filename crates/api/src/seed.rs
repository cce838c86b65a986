//! `trellis seed-demo`: a small, realistic trust to explore and test against.

use chrono::NaiveDate;
use diesel::prelude::*;
use trellis_domain::enrolment::{EnrolmentState, Transition, WithdrawalReason, WithdrawalReasonKind};
use trellis_domain::{OrganisationKind, Role, SchoolPhase, StaffRole};

use crate::auth::hash_password;
use crate::db::models::{CohortRow, EnrolmentRow, HubRow, OrganisationRow, PersonRow, ProgrammeRow, SchoolRow};
use crate::db::schema::*;
use crate::db::{DbConn, DbPool, write_transaction};
use crate::error::ApiError;
use crate::paging::new_id;

/// The demo sign-ins, in the order `make run` prints them: (email, role, what they see).
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("admin@trellis.test", "platform admin", "everything"),
    ("trust@trellis.test", "trust admin", "all four schools of Oakfield Learning Trust"),
    ("head.a@trellis.test", "school lead", "Oakfield Primary (school A)"),
    ("head.b@trellis.test", "school lead", "Riverside Academy (school B)"),
    ("facilitator@trellis.test", "facilitator", "the demo cohort"),
    ("coach@trellis.test", "coach", "their coachee's enrolment"),
    ("assessor@trellis.test", "assessor", "nothing yet (assessments come later)"),
    ("participant.a@trellis.test", "participant", "their own enrolment at school A"),
    ("participant.b@trellis.test", "participant", "their own enrolment at school B"),
];
pub const DEMO_CLIENT_ID: &str = "demo-mis";
pub const DEMO_CLIENT_SECRET: &str = "trellis-demo-secret";
pub const DEMO_COHORT_NAME: &str = "NPQML 2026–27, Oakfield North";

pub enum SeedOutcome {
    Seeded,
    /// `demo`: the data includes the demo sign-ins.
    AlreadyHasData {
        demo: bool,
    },
}

pub fn seed_demo(pool: &DbPool, password: &str) -> Result<SeedOutcome, ApiError> {
    let mut conn = pool.get().map_err(ApiError::internal)?;
    write_transaction(&mut conn, |conn| {
        let existing: i64 = organisations::table.count().get_result(conn)?;
        if existing > 0 {
            let demo: i64 = users::table.filter(users::email.eq(DEMO_USERS[0].0)).count().get_result(conn)?;
            return Ok(SeedOutcome::AlreadyHasData { demo: demo > 0 });
        }
        Seeder { now: crate::now(), password }.run(conn)?;
        Ok(SeedOutcome::Seeded)
    })
}

struct Seeder<'a> {
    now: chrono::NaiveDateTime,
    password: &'a str,
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, ApiError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| ApiError::internal("bad seed date"))
}

impl Seeder<'_> {
    fn org(&self, conn: &mut DbConn, name: &str, kind: OrganisationKind) -> Result<String, ApiError> {
        let row = OrganisationRow {
            id: new_id(),
            name: name.into(),
            kind: kind.as_str().into(),
            created_at: self.now,
            updated_at: self.now,
            term_calendar: None,
        };
        diesel::insert_into(organisations::table).values(&row).execute(conn)?;
        Ok(row.id)
    }

    fn school(
        &self,
        conn: &mut DbConn,
        urn: &str,
        name: &str,
        phase: SchoolPhase,
        trust: &str,
        hub: &str,
    ) -> Result<String, ApiError> {
        let row = SchoolRow {
            id: new_id(),
            urn: urn.into(),
            name: name.into(),
            phase: phase.as_str().into(),
            trust_id: Some(trust.into()),
            hub_id: Some(hub.into()),
            created_at: self.now,
            updated_at: self.now,
        };
        diesel::insert_into(schools::table).values(&row).execute(conn)?;
        Ok(row.id)
    }

    fn person(
        &self,
        conn: &mut DbConn,
        school: &str,
        given: &str,
        family: &str,
        role: StaffRole,
        mis: &str,
    ) -> Result<String, ApiError> {
        let row = PersonRow {
            id: new_id(),
            school_id: school.into(),
            given_name: given.into(),
            family_name: family.into(),
            email: None,
            staff_role: role.as_str().into(),
            mis_id: Some(mis.into()),
            created_at: self.now,
            updated_at: self.now,
        };
        diesel::insert_into(people::table).values(&row).execute(conn)?;
        Ok(row.id)
    }

    /// `scope` is the user's (person, organisation, school).
    fn user(
        &self,
        conn: &mut DbConn,
        (email, name): (&str, &str),
        role: Role,
        [person, org, school]: [Option<&str>; 3],
    ) -> Result<(), ApiError> {
        diesel::insert_into(users::table)
            .values((
                users::id.eq(new_id()),
                users::email.eq(email),
                users::password_hash.eq(hash_password(self.password)?),
                users::display_name.eq(name),
                users::role.eq(role.as_str()),
                users::person_id.eq(person),
                users::organisation_id.eq(org),
                users::school_id.eq(school),
                users::created_at.eq(self.now),
                users::updated_at.eq(self.now),
            ))
            .execute(conn)?;
        Ok(())
    }

    fn run(&self, conn: &mut DbConn) -> Result<(), ApiError> {
        let trust = self.org(conn, "Oakfield Learning Trust", OrganisationKind::Trust)?;
        // The trust publishes its real 2026–27 dates; terms it does not list keep the defaults.
        let calendar = serde_json::json!({"overrides": [
            {"name": "autumn", "starts": "2026-09-02", "ends": "2026-12-18"},
            {"name": "spring", "starts": "2027-01-05", "ends": "2027-03-26"},
            {"name": "summer", "starts": "2027-04-12", "ends": "2027-07-21"}
        ]});
        diesel::update(organisations::table.find(&trust))
            .set(organisations::term_calendar.eq(calendar.to_string()))
            .execute(conn)?;
        let provider = self.org(conn, "Northern Leadership Institute", OrganisationKind::Provider)?;
        let hub = HubRow {
            id: new_id(),
            name: "Oakfield North Hub".into(),
            organisation_id: trust.clone(),
            host_school_id: None,
            created_at: self.now,
            updated_at: self.now,
        };
        diesel::insert_into(hubs::table).values(&hub).execute(conn)?;
        let a = self.school(conn, "140001", "Oakfield Primary School", SchoolPhase::Primary, &trust, &hub.id)?;
        let b = self.school(conn, "140002", "Riverside Academy", SchoolPhase::Secondary, &trust, &hub.id)?;
        let c = self.school(conn, "140003", "Hillcrest Primary School", SchoolPhase::Primary, &trust, &hub.id)?;
        let d = self.school(conn, "140004", "Meadowbank Special School", SchoolPhase::Special, &trust, &hub.id)?;
        diesel::update(hubs::table.find(&hub.id)).set(hubs::host_school_id.eq(&a)).execute(conn)?;

        use StaffRole as R;
        let head_a = self.person(conn, &a, "Helen", "Ashworth", R::Head, "A-001")?;
        let head_b = self.person(conn, &b, "Marcus", "Bell", R::Head, "B-001")?;
        let facilitator = self.person(conn, &a, "Fatima", "Okafor", R::SeniorLeader, "A-002")?;
        let coach = self.person(conn, &c, "Colin", "Reeves", R::Head, "C-001")?;
        let part_a = self.person(conn, &a, "Priya", "Anand", R::MiddleLeader, "A-010")?;
        let part_b = self.person(conn, &b, "Ben", "Carter", R::MiddleLeader, "B-010")?;
        self.person(conn, &a, "Gwen", "Harris", R::Governor, "A-090")?;

        self.user(conn, ("admin@trellis.test", "Ada Admin"), Role::PlatformAdmin, [None, None, None])?;
        self.user(conn, ("trust@trellis.test", "Tom Trustwide"), Role::TrustAdmin, [None, Some(&trust), None])?;
        self.user(conn, ("head.a@trellis.test", "Helen Ashworth"), Role::SchoolLead, [Some(&head_a), None, Some(&a)])?;
        self.user(conn, ("head.b@trellis.test", "Marcus Bell"), Role::SchoolLead, [Some(&head_b), None, Some(&b)])?;
        let fac = [Some(facilitator.as_str()), Some(provider.as_str()), None];
        self.user(conn, ("facilitator@trellis.test", "Fatima Okafor"), Role::Facilitator, fac)?;
        self.user(conn, ("coach@trellis.test", "Colin Reeves"), Role::Coach, [Some(&coach), Some(&provider), None])?;
        self.user(conn, ("assessor@trellis.test", "Asha Assessor"), Role::Assessor, [None, Some(&provider), None])?;
        self.user(
            conn,
            ("participant.a@trellis.test", "Priya Anand"),
            Role::Participant,
            [Some(&part_a), None, Some(&a)],
        )?;
        self.user(
            conn,
            ("participant.b@trellis.test", "Ben Carter"),
            Role::Participant,
            [Some(&part_b), None, Some(&b)],
        )?;

        let client_id = new_id();
        diesel::insert_into(api_clients::table)
            .values((
                api_clients::id.eq(&client_id),
                api_clients::client_id.eq(DEMO_CLIENT_ID),
                api_clients::secret_hash.eq(hash_password(DEMO_CLIENT_SECRET)?),
                api_clients::name.eq("Oakfield Primary MIS (demo)"),
                api_clients::scopes.eq("roster:write progress:read"),
                api_clients::created_at.eq(self.now),
            ))
            .execute(conn)?;
        diesel::insert_into(api_client_schools::table)
            .values((api_client_schools::client_id.eq(&client_id), api_client_schools::school_id.eq(&a)))
            .execute(conn)?;

        let preset = trellis_domain::rules::preset("npq-middle-leadership")
            .ok_or_else(|| ApiError::internal("preset missing"))?;
        let programme = ProgrammeRow {
            id: new_id(),
            name: preset.name.clone(),
            provider_id: provider.clone(),
            definition: serde_json::to_string(&preset.definition).map_err(ApiError::internal)?,
            created_at: self.now,
            updated_at: self.now,
            preset_key: Some(preset.key),
        };
        diesel::insert_into(programmes::table).values(&programme).execute(conn)?;
        let cohort = CohortRow {
            id: new_id(),
            programme_id: programme.id.clone(),
            name: DEMO_COHORT_NAME.into(),
            induction_date: date(2026, 9, 15)?,
            start_date: date(2026, 9, 15)?,
            end_date: date(2027, 7, 16)?,
            hub_id: Some(hub.id.clone()),
            host_school_id: Some(a.clone()),
            created_at: self.now,
            updated_at: self.now,
        };
        diesel::insert_into(cohorts::table).values(&cohort).execute(conn)?;
        diesel::insert_into(cohort_facilitators::table)
            .values((cohort_facilitators::cohort_id.eq(&cohort.id), cohort_facilitators::person_id.eq(&facilitator)))
            .execute(conn)?;

        // Twelve enrolments in varied states, each reached through the real lifecycle.
        let approve = [Transition::Approve];
        let activate = [Transition::Approve, Transition::Activate];
        let others: [(&str, &str, &str, StaffRole, &[Transition]); 10] = [
            (&a, "Omar", "Shah", R::Teacher, &[]),
            (&a, "Lucy", "Grant", R::TeachingAssistant, &approve),
            (&b, "Nadia", "Petrova", R::MiddleLeader, &activate),
            (&b, "Owen", "Price", R::Teacher, &[]),
            (&c, "Sara", "Lindqvist", R::MiddleLeader, &activate),
            (&c, "James", "Okoro", R::SeniorLeader, &[Transition::Approve, Transition::Activate, Transition::Complete]),
            (&c, "Ellie", "Frost", R::LearningSupportAssistant, &approve),
            (&d, "Kwame", "Mensah", R::MiddleLeader, &[Transition::Approve, Transition::Activate, Transition::Defer]),
            (
                &d,
                "Rosa",
                "Delgado",
                R::Teacher,
                &[Transition::Withdraw(WithdrawalReason { kind: WithdrawalReasonKind::Workload, details: None })],
            ),
            (&d, "Tariq", "Hussain", R::MiddleLeader, &activate),
        ];
        let mut active = vec![self.enrol(conn, &cohort.id, &part_a, Some(&coach), &activate)?];
        let coachee = active[0].clone();
        self.enrol(conn, &cohort.id, &part_b, None, &approve)?;
        for (i, (school, given, family, role, moves)) in others.iter().enumerate() {
            let prefix = if *school == a {
                "A"
            } else if *school == b {
                "B"
            } else if *school == c {
                "C"
            } else {
                "D"
            };
            let person = self.person(conn, school, given, family, *role, &format!("{prefix}-{:03}", 20 + i))?;
            let id = self.enrol(conn, &cohort.id, &person, None, moves)?;
            if moves.last() == Some(&Transition::Activate) {
                active.push(id);
            }
        }
        self.timetable(conn, &cohort.id, &a, &facilitator, &active)?;
        self.coaching(conn, &coachee, &coach)?;
        Ok(())
    }

    /// The demo cohort's timetable: past sessions with registers, future ones without.
    fn timetable(
        &self,
        conn: &mut DbConn,
        cohort: &str,
        venue: &str,
        facilitator: &str,
        active: &[String],
    ) -> Result<(), ApiError> {
        use crate::dates::parse_instant;
        use crate::db::sessions::SessionRow;
        use trellis_domain::rules::definition::SessionKind as K;
        let plan = [
            (K::Induction, "Induction", "2026-09-15T09:00", "2026-09-15T16:00"),
            (K::FaceToFaceDay, "Day 1: Strategy and improvement", "2026-09-29T09:00", "2026-09-29T16:00"),
            (K::FaceToFaceDay, "Day 2: Teaching and curriculum excellence", "2026-10-13T09:00", "2026-10-13T16:00"),
            (K::FaceToFaceDay, "Day 3: Leading with impact", "2026-11-03T09:00", "2026-11-03T16:00"),
            (K::FaceToFaceDay, "Day 4: Working in partnership", "2026-12-01T09:00", "2026-12-01T16:00"),
            (K::SchoolImprovementHalfDay, "School improvement half-day", "2027-01-19T13:00", "2027-01-19T16:30"),
            (K::FaceToFaceDay, "Day 5: Managing resources and risks", "2027-03-02T09:00", "2027-03-02T16:00"),
            (K::FaceToFaceDay, "Day 6: Increasing capability", "2027-05-11T09:00", "2027-05-11T16:00"),
        ];
        let group = new_id();
        diesel::insert_into(learning_groups::table)
            .values((
                learning_groups::id.eq(&group),
                learning_groups::cohort_id.eq(cohort),
                learning_groups::name.eq("Project theme: reading for pleasure"),
                learning_groups::kind.eq("action_learning_set"),
                learning_groups::facilitator_person_id.eq(facilitator),
                learning_groups::created_at.eq(self.now),
                learning_groups::updated_at.eq(self.now),
            ))
            .execute(conn)?;
        for e in active.iter().take(3) {
            diesel::insert_into(learning_group_members::table)
                .values((learning_group_members::group_id.eq(&group), learning_group_members::enrolment_id.eq(e)))
                .execute(conn)?;
        }
        let demo_today = date(2026, 11, 22)?;
        for (i, (kind, title, starts, ends)) in plan.iter().enumerate() {
            let at = |s: &str| parse_instant("seed", s).map_err(|e| ApiError::internal(e.message));
            let row = SessionRow {
                id: new_id(),
                cohort_id: cohort.into(),
                kind: kind.as_str().into(),
                title: (*title).into(),
                starts_at: at(starts)?,
                ends_at: at(ends)?,
                venue_school_id: Some(venue.into()),
                venue_text: None,
                facilitator_person_id: Some(facilitator.into()),
                led_by_enrolment_id: None,
                audience: "cohort".into(),
                group_id: None,
                cancelled_at: None,
                created_at: self.now,
                updated_at: self.now,
            };
            diesel::insert_into(sessions::table).values(&row).execute(conn)?;
            if row.starts_at.date() >= demo_today {
                continue;
            }
            for (j, e) in active.iter().enumerate() {
                // A realistic register: mostly present, the odd late arrival or apology.
                let status = match (i + j) % 7 {
                    3 => "late",
                    5 => "apologies",
                    _ => "present",
                };
                diesel::insert_into(attendance::table)
                    .values((
                        attendance::session_id.eq(&row.id),
                        attendance::enrolment_id.eq(e),
                        attendance::status.eq(status),
                        attendance::recorded_at.eq(self.now),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    }

    fn coaching(&self, conn: &mut DbConn, enrolment: &str, coach: &str) -> Result<(), ApiError> {
        let sessions = [
            (
                date(2026, 9, 22)?,
                60,
                "face_to_face",
                "Setting goals from the 360 report",
                "Priya wants to grow her confidence in holding colleagues to account.",
            ),
            (
                date(2026, 10, 20)?,
                30,
                "phone",
                "Choosing the improvement project",
                "Reading for pleasure in Year 4; baseline survey before half term.",
            ),
        ];
        for (held_on, minutes, mode, focus, notes) in sessions {
            diesel::insert_into(coaching_sessions::table)
                .values((
                    coaching_sessions::id.eq(new_id()),
                    coaching_sessions::enrolment_id.eq(enrolment),
                    coaching_sessions::coach_person_id.eq(coach),
                    coaching_sessions::held_on.eq(held_on),
                    coaching_sessions::minutes.eq(minutes),
                    coaching_sessions::mode.eq(mode),
                    coaching_sessions::focus.eq(focus),
                    coaching_sessions::notes.eq(notes),
                    coaching_sessions::created_at.eq(self.now),
                ))
                .execute(conn)?;
        }
        Ok(())
    }

    fn enrol(
        &self,
        conn: &mut DbConn,
        cohort: &str,
        person: &str,
        coach: Option<&str>,
        moves: &[Transition],
    ) -> Result<String, ApiError> {
        let mut state = EnrolmentState::NOMINATED;
        let mut withdrawal = None;
        for t in moves {
            state = state.apply(t).map_err(ApiError::internal)?;
            if let Transition::Withdraw(r) = t {
                withdrawal = Some(r.clone());
            }
        }
        let row = EnrolmentRow {
            id: new_id(),
            cohort_id: cohort.into(),
            person_id: person.into(),
            status: state.status.as_str().into(),
            deferred_from: state.deferred_from.map(|s| s.as_str().into()),
            withdrawal_reason: withdrawal.as_ref().map(|w| w.kind.as_str().into()),
            withdrawal_details: withdrawal.and_then(|w| w.details),
            coach_person_id: coach.map(str::to_owned),
            coach_statement: coach
                .map(|_| "I have coached middle leaders for six years and will meet Priya twice a term.".to_owned()),
            created_at: self.now,
            updated_at: self.now,
        };
        diesel::insert_into(enrolments::table).values(&row).execute(conn)?;
        Ok(row.id)
    }
}
