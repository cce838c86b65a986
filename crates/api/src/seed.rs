//! `trellis seed-demo`: a small, realistic trust to explore and test against.

use chrono::NaiveDate;
use trellis_domain::enrolment::{EnrolmentState, Transition, WithdrawalReason, WithdrawalReasonKind};
use trellis_domain::rules::definition::CoachingMode;
use trellis_domain::{OrganisationKind, Role, SchoolPhase, StaffRole};

use crate::auth::hash_password;
use crate::db::facts::uuid;
use crate::db::models::{CohortRow, EnrolmentRow, HubRow, OrganisationRow, PersonRow, ProgrammeRow, SchoolRow};
use crate::db::{DbConn, DbPool, write_transaction};
use crate::db::{
    attendance, clients, coaching, cohorts, enrolments, groups, hubs, invitations, organisations, outbox, people,
    programmes, roles, schools, sessions, users,
};
use crate::error::ApiError;
use crate::paging::new_id;

mod diagnostic;
mod evaluation;
mod expectations;
mod partnership;
mod work;
pub use evaluation::LFL_COHORT_NAME;
pub use partnership::PARTNERSHIP_ROUND_NAME;
pub use work::LAL_COHORT_NAME;

/// The demo sign-ins, in the order `make run` prints them: (email, role, what they see).
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("admin@trellis.test", "platform admin", "everything"),
    ("trust@trellis.test", "trust admin", "all four schools of Oakfield Learning Trust"),
    ("head.a@trellis.test", "school lead", "Oakfield Primary (school A)"),
    ("head.b@trellis.test", "school lead + coach", "Riverside Academy (school B); as coach, Sara Lindqvist"),
    ("facilitator@trellis.test", "facilitator", "the demo cohort"),
    ("coach@trellis.test", "coach", "their coachee's enrolment"),
    ("assessor@trellis.test", "assessor", "the NPQML submissions assigned to them (one awaiting marking)"),
    ("participant.a@trellis.test", "participant", "their own enrolment at school A"),
    ("participant.b@trellis.test", "participant", "their own enrolment at school B"),
    (
        "lal.participant@trellis.test",
        "participant",
        "Leading Active Learning at school C: every requirement met, certified by the trust",
    ),
    ("partner.b@trellis.test", "participant", "school B's colleague on school A's partnership need: visits, findings"),
];
pub const DEMO_CLIENT_ID: &str = "demo-mis";
pub const DEMO_CLIENT_SECRET: &str = "trellis-demo-secret";
/// The trust's dashboard: `progress:read` across the whole trust.
pub const DEMO_DASHBOARD_ID: &str = "demo-dashboard";
pub const DEMO_DASHBOARD_SECRET: &str = "trellis-demo-dashboard-secret";
/// Invited by school A's head, not yet accepted (the invitation email waits in the outbox).
pub const DEMO_INVITEE: &str = "new.teacher@trellis.test";
/// Where `make run` serves, for the links in the demo's queued email.
const DEMO_ORIGIN: &str = "http://127.0.0.1:8080";
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
        if organisations::any(conn)? {
            return Ok(SeedOutcome::AlreadyHasData { demo: users::email_taken(conn, DEMO_USERS[0].0)? });
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
        organisations::insert_unchecked(conn, &row)?;
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
            latitude: None,
            longitude: None,
        };
        schools::insert_unchecked(conn, &row)?;
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
            school_id: Some(school.into()),
            given_name: given.into(),
            family_name: family.into(),
            email: None,
            staff_role: role.as_str().into(),
            mis_id: Some(mis.into()),
            created_at: self.now,
            updated_at: self.now,
            left_on: None,
            organisation_id: None,
        };
        people::insert_unchecked(conn, &row)?;
        Ok(row.id)
    }

    /// A user linked to `person`, holding each of `roles` (role, organisation, school).
    fn user(
        &self,
        conn: &mut DbConn,
        (email, name): (&str, &str),
        person: Option<&str>,
        roles: &[(Role, Option<&str>, Option<&str>)],
    ) -> Result<String, ApiError> {
        let hash = hash_password(self.password)?;
        let user = users::NewUser { email, password_hash: &hash, display_name: name, person_id: person };
        let id = users::insert(conn, &user, self.now)?;
        for (role, org, school) in roles {
            roles::grant(conn, &id, *role, *org, *school, self.now)?;
        }
        Ok(id)
    }

    fn run(&self, conn: &mut DbConn) -> Result<(), ApiError> {
        let trust = self.org(conn, "Oakfield Learning Trust", OrganisationKind::Trust)?;
        // The trust publishes its real 2026–27 dates; terms it does not list keep the defaults.
        let calendar = serde_json::json!({"overrides": [
            {"name": "autumn", "starts": "2026-09-02", "ends": "2026-12-18"},
            {"name": "spring", "starts": "2027-01-05", "ends": "2027-03-26"},
            {"name": "summer", "starts": "2027-04-12", "ends": "2027-07-21"}
        ]});
        organisations::set_term_calendar_unchecked(conn, uuid(&trust)?, &calendar.to_string(), self.now)?;
        let provider = self.org(conn, "Northern Leadership Institute", OrganisationKind::Provider)?;
        let hub = HubRow {
            id: new_id(),
            name: "Oakfield North Hub".into(),
            organisation_id: trust.clone(),
            host_school_id: None,
            created_at: self.now,
            updated_at: self.now,
        };
        hubs::insert_unchecked(conn, &hub)?;
        let a = self.school(conn, "140001", "Oakfield Primary School", SchoolPhase::Primary, &trust, &hub.id)?;
        let b = self.school(conn, "140002", "Riverside Academy", SchoolPhase::Secondary, &trust, &hub.id)?;
        let c = self.school(conn, "140003", "Hillcrest Primary School", SchoolPhase::Primary, &trust, &hub.id)?;
        let d = self.school(conn, "140004", "Meadowbank Special School", SchoolPhase::Special, &trust, &hub.id)?;
        hubs::set_host(conn, &hub.id, &a)?;

        use StaffRole as R;
        let head_a = self.person(conn, &a, "Helen", "Ashworth", R::Head, "A-001")?;
        let head_b = self.person(conn, &b, "Marcus", "Bell", R::Head, "B-001")?;
        let facilitator = self.person(conn, &a, "Fatima", "Okafor", R::SeniorLeader, "A-002")?;
        let coach = self.person(conn, &c, "Colin", "Reeves", R::Head, "C-001")?;
        let part_a = self.person(conn, &a, "Priya", "Anand", R::MiddleLeader, "A-010")?;
        let part_b = self.person(conn, &b, "Ben", "Carter", R::MiddleLeader, "B-010")?;
        self.person(conn, &a, "Gwen", "Harris", R::Governor, "A-090")?;

        let (t, p) = (Some(trust.as_str()), Some(provider.as_str()));
        self.user(conn, ("admin@trellis.test", "Ada Admin"), None, &[(Role::PlatformAdmin, None, None)])?;
        let tom = self.user(conn, ("trust@trellis.test", "Tom Trustwide"), None, &[(Role::TrustAdmin, t, None)])?;
        let helen = self.user(
            conn,
            ("head.a@trellis.test", "Helen Ashworth"),
            Some(&head_a),
            &[(Role::SchoolLead, None, Some(&a))],
        )?;
        // A head who also coaches for the provider, in another school's part of the cohort.
        self.user(
            conn,
            ("head.b@trellis.test", "Marcus Bell"),
            Some(&head_b),
            &[(Role::SchoolLead, None, Some(&b)), (Role::Coach, p, None)],
        )?;
        let fatima = self.user(
            conn,
            ("facilitator@trellis.test", "Fatima Okafor"),
            Some(&facilitator),
            &[(Role::Facilitator, p, None)],
        )?;
        let colin_user =
            self.user(conn, ("coach@trellis.test", "Colin Reeves"), Some(&coach), &[(Role::Coach, p, None)])?;
        let asha = self.user(conn, ("assessor@trellis.test", "Asha Assessor"), None, &[(Role::Assessor, p, None)])?;
        let priya = self.user(
            conn,
            ("participant.a@trellis.test", "Priya Anand"),
            Some(&part_a),
            &[(Role::Participant, None, Some(&a))],
        )?;
        self.user(
            conn,
            ("participant.b@trellis.test", "Ben Carter"),
            Some(&part_b),
            &[(Role::Participant, None, Some(&b))],
        )?;
        self.pending_invitation(conn, &helen, &a)?;

        let secret = hash_password(DEMO_CLIENT_SECRET)?;
        clients::insert(
            conn,
            &clients::NewClient {
                client_id: DEMO_CLIENT_ID,
                secret_hash: &secret,
                name: "Oakfield Primary MIS (demo)",
                scopes: "roster:write progress:read",
                trust_id: None,
                school_ids: std::slice::from_ref(&a),
                created_by: None,
                rate_limit_per_minute: None,
            },
            self.now,
        )?;
        let secret = hash_password(DEMO_DASHBOARD_SECRET)?;
        clients::insert(
            conn,
            &clients::NewClient {
                client_id: DEMO_DASHBOARD_ID,
                secret_hash: &secret,
                name: "Oakfield trust dashboard (demo)",
                scopes: "progress:read",
                trust_id: t,
                school_ids: &[],
                created_by: None,
                rate_limit_per_minute: None,
            },
            self.now,
        )?;

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
        programmes::insert_unchecked(conn, &programme)?;
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
        cohorts::insert_unchecked(conn, &cohort, std::slice::from_ref(&facilitator))?;

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
        let colin = "I have coached middle leaders for six years and will meet Priya twice a term.";
        let mut active = vec![self.enrol(conn, &cohort.id, &part_a, Some((&coach, colin)), &activate)?];
        let mut completed = vec![];
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
            // Marcus Bell, head of Riverside (B), coaches Sara Lindqvist at Hillcrest (C).
            let marcus = "I lead a secondary school and coach for the institute; Sara and I meet each half term.";
            let coach = (*given == "Sara").then_some((head_b.as_str(), marcus));
            let id = self.enrol(conn, &cohort.id, &person, coach, moves)?;
            match moves.last() {
                Some(Transition::Activate) => active.push(id),
                Some(Transition::Complete) => completed.push(id),
                _ => {}
            }
        }
        // The registers mark the active participants and James Okoro, who completed: his record
        // is the registers he was on, and the reason his facilitator gave for completing early.
        let registered: Vec<String> = active.iter().chain(&completed).cloned().collect();
        self.timetable(conn, &cohort.id, &a, &facilitator, &active, &registered)?;
        for id in &completed {
            use trellis_domain::enrolment::TransitionKind;
            let before = EnrolmentState { status: trellis_domain::EnrolmentStatus::Active, deferred_from: None };
            let after = EnrolmentState { status: trellis_domain::EnrolmentStatus::Completed, deferred_from: None };
            let note = "Completed early on moving to a headship: the sessions he attended are on the registers; his improvement project was assessed by his previous provider.";
            let event = enrolments::MoveEvent {
                transition: TransitionKind::Complete,
                before: &before,
                after: &after,
                actor: "seed",
                note: Some(note),
            };
            enrolments::record_event_unchecked(conn, id, &event, self.now)?;
        }
        self.coaching(conn, &coachee, &coach)?;
        let places = work::Places {
            provider: &provider,
            hub: &hub.id,
            school_a: &a,
            school_b: &b,
            school_c: &c,
            facilitator: (&facilitator, &fatima),
            head_c: &coach,
            head_a: &head_a,
            trust: (&trust, &tom),
        };
        self.npqml_project(conn, &places, &cohort.id, &coachee, &priya)?;
        self.npqml_diagnostic(conn, &cohort.id, &coachee)?;
        self.leading_active_learning(conn, &places)?;
        self.npqml_assessment(conn, &places, &programme.id, (&coach, &colin_user), &asha)?;
        self.partnership_round(conn, (&trust, &tom), &partnership::Schools { a: &a, b: &b, c: &c, d: &d })?;
        self.trust_expectations(conn, (&trust, &tom), [&a, &b, &c, &d])?;
        let lfl =
            evaluation::Lfl { provider: &provider, schools: [&a, &b, &c, &d], facilitator: (&facilitator, &fatima) };
        self.lfl_evaluation(conn, &lfl)?;
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
        registered: &[String],
    ) -> Result<(), ApiError> {
        use crate::dates::parse_instant;
        use trellis_domain::rules::definition::SessionKind as K;
        let plan = [
            (K::Induction, "Induction", "2026-09-15T09:00", "2026-09-15T16:00"),
            (K::FaceToFaceDay, "Day 1: Strategy and improvement", "2026-09-29T09:00", "2026-09-29T16:00"),
            (K::FaceToFaceDay, "Day 2: Teaching and curriculum excellence", "2026-10-13T09:00", "2026-10-13T16:00"),
            (K::FaceToFaceDay, "Day 3: Leading with impact", "2026-11-03T09:00", "2026-11-03T16:00"),
            (K::FaceToFaceDay, "Day 4: Working in partnership", "2026-12-01T09:00", "2026-12-01T16:00"),
            (K::SchoolImprovementHalfDay, "School improvement half-day", "2027-01-19T13:00", "2027-01-19T16:30"),
            (K::FaceToFaceDay, "Day 5: Managing resources and risks", "2027-03-02T09:00", "2027-03-02T16:00"),
        ];
        let group = trellis_wire::CreateLearningGroup {
            name: "Project theme: reading for pleasure".into(),
            kind: trellis_domain::delivery::LearningGroupKind::ActionLearningSet,
            facilitator_person_id: Some(uuid(facilitator)?),
            member_enrolment_ids: active.iter().take(3).map(|e| uuid(e)).collect::<Result<_, _>>()?,
        };
        groups::insert_unchecked(conn, &new_id(), uuid(cohort)?, &group, &group.member_enrolment_ids, self.now)?;
        let demo_today = date(2026, 11, 22)?;
        for (i, (kind, title, starts, ends)) in plan.iter().enumerate() {
            let at = |s: &str| parse_instant("seed", s).map_err(|e| ApiError::internal(e.message));
            let row = sessions::SessionRow {
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
            sessions::insert_unchecked(conn, &row)?;
            if row.starts_at.date() >= demo_today {
                continue;
            }
            // A realistic register: mostly present, the odd late arrival or apology.
            let marks = registered
                .iter()
                .enumerate()
                .map(|(j, e)| {
                    let status = match (i + j) % 7 {
                        3 => "late",
                        5 => "apologies",
                        _ => "present",
                    };
                    Ok(trellis_domain::delivery::Mark {
                        enrolment_id: uuid(e)?,
                        status: status.parse().map_err(ApiError::internal)?,
                        half_days: None,
                        minutes: None,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            attendance::replace_unchecked(conn, &row.id, &marks, row.updated_at)?;
        }
        Ok(())
    }

    /// Helen Ashworth has invited a new teacher, who has not accepted yet.
    fn pending_invitation(&self, conn: &mut DbConn, helen: &str, school: &str) -> Result<(), ApiError> {
        let token = crate::auth::random_token();
        let expires_at = self.now + chrono::Duration::days(crate::auth::INVITATION_TTL_DAYS);
        invitations::insert(
            conn,
            &invitations::NewInvitation {
                email: DEMO_INVITEE,
                display_name: "Nia Thomas",
                role: Role::Participant,
                organisation_id: None,
                school_id: Some(school),
                person_id: None,
                token_hash: &crate::auth::token_hash(&token),
                invited_by: Some(helen),
                expires_at,
            },
            self.now,
        )?;
        let link = format!("{DEMO_ORIGIN}/accept-invitation#token={token}");
        let expires = expires_at.format("%-d %B %Y").to_string();
        let message = crate::mail::templates::invitation(
            DEMO_INVITEE,
            "Nia Thomas",
            "Helen Ashworth",
            "participant",
            Some("Oakfield Primary School"),
            &link,
            &expires,
        );
        outbox::enqueue(conn, &message, self.now)?;
        Ok(())
    }

    fn coaching(&self, conn: &mut DbConn, enrolment: &str, coach: &str) -> Result<(), ApiError> {
        let sessions = [
            (
                date(2026, 9, 22)?,
                60,
                CoachingMode::FaceToFace,
                "Setting goals from the 360 report",
                "Priya wants to grow her confidence in holding colleagues to account.",
            ),
            (
                date(2026, 10, 20)?,
                30,
                CoachingMode::Phone,
                "Choosing the improvement project",
                "Keep-up phonics in Key Stage 1; baseline check before half term.",
            ),
        ];
        for (held_on, minutes, mode, focus, notes) in sessions {
            let body = trellis_wire::CreateCoachingSession {
                held_on,
                minutes,
                mode,
                focus: focus.into(),
                notes: Some(notes.into()),
            };
            coaching::insert_unchecked(conn, &new_id(), uuid(enrolment)?, uuid(coach)?, &body, self.now)?;
        }
        Ok(())
    }

    fn enrol(
        &self,
        conn: &mut DbConn,
        cohort: &str,
        person: &str,
        coach: Option<(&str, &str)>,
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
            coach_person_id: coach.map(|c| c.0.to_owned()),
            coach_statement: coach.map(|c| c.1.to_owned()),
            created_at: self.now,
            updated_at: self.now,
            left_school_on: None,
        };
        enrolments::insert_unchecked(conn, &row)?;
        Ok(row.id)
    }
}
