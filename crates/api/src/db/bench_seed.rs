//! `trellis seed-bench`: a national-scale dataset for `make bench`, reproducible from a seed.
//!
//! On top of the demo trust (so the demo sign-ins work): 100 trusts and 2,000 schools, 100,000
//! people, 200 cohorts of the demo programme facilitated by the demo facilitator, the demo trust
//! grown to 200 schools with 10,000 enrolments, two years of sessions with registers for those
//! that have happened, and coaching logs. Rows go in as multi-row INSERTs inside one transaction
//! per table, on SQLite or PostgreSQL alike. The values are generated here (UUIDs, ASCII names,
//! fixed vocabularies), never taken from input, so they are written as SQL literals.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::fmt::Write;
use std::time::Instant;
use uuid::Uuid;

use crate::db::schema::{cohorts, organisations, programmes, schools, users};
use crate::db::{DbConn, DbPool, write_transaction};
use crate::error::ApiError;

pub const TRUSTS: usize = 100;
pub const SCHOOLS: usize = 2_000;
pub const PEOPLE_PER_SCHOOL: usize = 50;
pub const COHORTS: usize = 200;
/// Schools of the demo trust (the big one): 200 × 50 people = 10,000 enrolments.
pub const BIG_TRUST_SCHOOLS: usize = 200;
const BIG_TRUST_COHORTS: usize = 50;
const SMALL_COHORT_SIZE: usize = 30;
const SESSIONS_PER_COHORT: usize = 20;

const GIVEN: &[&str] = &[
    "Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harry", "Isla", "Jamal", "Kate", "Liam", "Maya", "Noah",
    "Olivia", "Priya", "Quinn", "Rhys", "Sofia", "Tom", "Uma", "Vikram", "Wen", "Yusuf", "Zara", "Siân", "Zoë",
];
const FAMILY: &[&str] = &[
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owen",
    "Patel",
    "Roberts",
    "Singh",
    "Taylor",
    "Walker",
    "Wright",
    "Young",
    "Ó Briain",
];
const ROLES: &[&str] = &["teacher", "teacher", "teacher", "teaching_assistant", "middle_leader", "senior_leader"];

/// What was made, for the bench to print and use.
#[derive(Debug)]
pub struct BenchData {
    pub rows: usize,
    pub seconds: f64,
}

struct Gen {
    rng: StdRng,
    /// Milliseconds of the UUIDv7 timestamp: fixed start, one step per id, so ids sort in
    /// creation order (as the API's own do) and a seed always gives the same ids.
    clock: u64,
}

impl Gen {
    fn id(&mut self) -> String {
        self.clock += 1;
        let random: u128 = self.rng.random::<u128>() & ((1u128 << 80) - 1);
        let bits = (u128::from(self.clock) << 80) | random;
        // Version 7, RFC 4122 variant.
        let bits = (bits & !(0xF_u128 << 76)) | (0x7_u128 << 76);
        let bits = (bits & !(0x3_u128 << 62)) | (0x2_u128 << 62);
        Uuid::from_u128(bits).to_string()
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.rng.random_range(0..list.len())]
    }
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn ts(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

/// Multi-row INSERTs of `rows` (each already a parenthesised tuple of literals), 500 at a time.
fn insert(conn: &mut DbConn, table: &str, columns: &str, rows: &[String]) -> Result<(), ApiError> {
    for chunk in rows.chunks(500) {
        let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(row);
        }
        conn.batch_execute(&sql).map_err(ApiError::internal)?;
    }
    Ok(())
}

/// Builds the dataset into a database that holds the demo trust (and nothing else).
pub fn seed_bench(pool: &DbPool, seed: u64) -> Result<BenchData, ApiError> {
    let started = Instant::now();
    let mut conn = pool.get().map_err(ApiError::internal)?;
    let conn = &mut *conn;
    let user_ref = |conn: &mut DbConn, email: &str| -> Result<(Option<String>, Option<String>), ApiError> {
        use crate::db::schema::user_roles;
        Ok(users::table
            .inner_join(user_roles::table)
            .filter(users::email.eq(email))
            .select((users::person_id, user_roles::organisation_id))
            .first::<(Option<String>, Option<String>)>(conn)?)
    };
    let (_, big_trust) = user_ref(conn, "trust@trellis.test")?;
    let big_trust = big_trust.ok_or_else(|| ApiError::internal("seed the demo first"))?;
    let (facilitator, _) = user_ref(conn, "facilitator@trellis.test")?;
    let facilitator = facilitator.ok_or_else(|| ApiError::internal("demo facilitator has no person"))?;
    let (coach, _) = user_ref(conn, "coach@trellis.test")?;
    let coach = coach.ok_or_else(|| ApiError::internal("demo coach has no person"))?;
    // The demo's NPQML programme: the first made.
    let programme: String = programmes::table.order(programmes::id).select(programmes::id).first(conn)?;
    let existing_cohorts: i64 = cohorts::table.count().get_result(conn)?;
    let existing_trusts: i64 = organisations::table.filter(organisations::kind.eq("trust")).count().get_result(conn)?;
    let existing_schools: i64 = schools::table.count().get_result(conn)?;
    // The demo has four cohorts (NPQML this year and last, Leading Active Learning, last year's
    // Leadership for Learning) and four schools.
    if existing_cohorts > 4 || existing_schools > 4 {
        return Err(ApiError::internal("seed-bench needs a database holding only the demo data"));
    }

    let mut g = Gen { rng: StdRng::seed_from_u64(seed), clock: 0x0190_0000_0000 };
    let now = crate::now();
    let stamp = ts(now);
    let mut rows = 0;

    // Trusts: the demo trust plus 99 more.
    let mut trusts = vec![big_trust.clone()];
    let mut org_rows = vec![];
    for i in 1..TRUSTS as i64 + 1 - existing_trusts {
        let id = g.id();
        org_rows.push(format!("({}, {}, 'trust', {stamp}, {stamp})", q(&id), q(&format!("Bench Trust {i:03}"))));
        trusts.push(id);
    }
    // Schools: 200 in the demo trust (4 exist), the rest spread over the others.
    let mut school_rows = vec![];
    let mut schools_of: Vec<(String, bool)> = vec![];
    for i in 0..SCHOOLS - existing_schools as usize {
        let big = i < BIG_TRUST_SCHOOLS - existing_schools as usize;
        let trust = if big { &trusts[0] } else { &trusts[1 + i % (trusts.len() - 1)] };
        let id = g.id();
        let phase = if i % 3 == 0 { "secondary" } else { "primary" };
        school_rows.push(format!(
            "({}, {}, {}, {}, {}, {stamp}, {stamp})",
            q(&id),
            q(&format!("{}", 200_000 + i)),
            q(&format!("Bench School {i:04}")),
            q(phase),
            q(trust)
        ));
        schools_of.push((id, big));
    }
    // People: 50 per new school.
    let mut people_rows = vec![];
    let mut big_people = vec![];
    let mut small_people = vec![];
    for (school, big) in &schools_of {
        for n in 0..PEOPLE_PER_SCHOOL {
            let id = g.id();
            let (given, family, role) = (g.pick(GIVEN), g.pick(FAMILY), g.pick(ROLES));
            people_rows.push(format!(
                "({}, {}, {}, {}, {}, {}, {stamp}, {stamp})",
                q(&id),
                q(school),
                q(given),
                q(family),
                q(role),
                q(&format!("BEN-{n:03}"))
            ));
            if *big { big_people.push(id) } else { small_people.push(id) }
        }
    }
    write_transaction(conn, |conn| {
        insert(conn, "organisations", "id, name, kind, created_at, updated_at", &org_rows)?;
        insert(conn, "schools", "id, urn, name, phase, trust_id, created_at, updated_at", &school_rows)?;
        insert(
            conn,
            "people",
            "id, school_id, given_name, family_name, staff_role, mis_id, created_at, updated_at",
            &people_rows,
        )
    })?;
    rows += org_rows.len() + school_rows.len() + people_rows.len();

    // Cohorts: two school years, 2025–26 and 2026–27.
    let start = NaiveDate::from_ymd_opt(2025, 9, 8).ok_or_else(|| ApiError::internal("date"))?;
    let mut cohort_rows = vec![];
    let mut facilitator_rows = vec![];
    let mut cohort_ids = vec![];
    for i in 0..COHORTS - existing_cohorts as usize {
        let id = g.id();
        let induction = start + Duration::days(7 * (i as i64 % 40));
        cohort_rows.push(format!(
            "({}, {}, {}, '{induction}', '{induction}', '{}', {stamp}, {stamp})",
            q(&id),
            q(&programme),
            q(&format!("Bench cohort {i:03}")),
            induction + Duration::days(700)
        ));
        facilitator_rows.push(format!("({}, {})", q(&id), q(&facilitator)));
        cohort_ids.push((id, induction));
    }
    // Enrolments: the big trust's 10,000 people over 50 cohorts; 30 others in each other cohort.
    let mut enrolment_rows = vec![];
    let mut members: Vec<Vec<String>> = vec![vec![]; cohort_ids.len()];
    let mut coached = vec![];
    let per_big = big_people.len().div_ceil(BIG_TRUST_COHORTS);
    for (k, person) in big_people.iter().enumerate() {
        let c = k / per_big;
        let id = g.id();
        let coach_col = if k % 5 == 0 { q(&coach) } else { "NULL".into() };
        enrolment_rows.push(format!(
            "({}, {}, {}, 'active', {coach_col}, {stamp}, {stamp})",
            q(&id),
            q(&cohort_ids[c].0),
            q(person)
        ));
        if k % 5 == 0 {
            coached.push((id.clone(), cohort_ids[c].1));
        }
        members[c].push(id);
    }
    for (c, member_list) in members.iter_mut().enumerate().skip(BIG_TRUST_COHORTS) {
        // Thirty colleagues in a row of the list: distinct people, so each is enrolled once.
        let first = g.rng.random_range(0..small_people.len() - SMALL_COHORT_SIZE);
        for person in &small_people[first..first + SMALL_COHORT_SIZE] {
            let id = g.id();
            enrolment_rows.push(format!(
                "({}, {}, {}, 'active', NULL, {stamp}, {stamp})",
                q(&id),
                q(&cohort_ids[c].0),
                q(person)
            ));
            member_list.push(id);
        }
    }
    // Sessions: 20 per cohort over its two years; registers for those before today.
    let mut session_rows = vec![];
    let mut attendance_rows = vec![];
    for (c, (cohort, induction)) in cohort_ids.iter().enumerate() {
        for s in 0..SESSIONS_PER_COHORT {
            let id = g.id();
            let day = *induction + Duration::days(35 * s as i64);
            let starts = day.and_hms_opt(9, 0, 0).ok_or_else(|| ApiError::internal("time"))?;
            let kind = if s == 0 { "induction" } else { "face_to_face_day" };
            session_rows.push(format!(
                "({}, {}, {}, {}, {}, {}, {}, 'cohort', {stamp}, {stamp})",
                q(&id),
                q(cohort),
                q(kind),
                q(&format!("Day {}: bench session", s + 1)),
                ts(starts),
                ts(starts + Duration::hours(6)),
                q(&facilitator)
            ));
            if starts < now {
                for e in &members[c] {
                    let status = match g.rng.random_range(0..20) {
                        0 => "absent",
                        1 => "apologies",
                        2 => "late",
                        _ => "present",
                    };
                    attendance_rows.push(format!("({}, {}, {}, {})", q(&id), q(e), q(status), ts(starts)));
                }
            }
        }
    }
    let mut coaching_rows = vec![];
    for (e, induction) in &coached {
        for k in 0..2 {
            let held = *induction + Duration::days(30 + 60 * k);
            let mut focus = String::new();
            let _ = write!(focus, "Bench coaching {}", k + 1);
            coaching_rows.push(format!(
                "({}, {}, {}, '{held}', 60, 'face_to_face', {}, NULL, {stamp})",
                q(&g.id()),
                q(e),
                q(&coach),
                q(&focus)
            ));
        }
    }
    write_transaction(conn, |conn| {
        insert(
            conn,
            "cohorts",
            "id, programme_id, name, induction_date, start_date, end_date, created_at, updated_at",
            &cohort_rows,
        )?;
        insert(conn, "cohort_facilitators", "cohort_id, person_id", &facilitator_rows)?;
        insert(
            conn,
            "enrolments",
            "id, cohort_id, person_id, status, coach_person_id, created_at, updated_at",
            &enrolment_rows,
        )?;
        insert(
            conn,
            "sessions",
            "id, cohort_id, kind, title, starts_at, ends_at, facilitator_person_id, audience, created_at, updated_at",
            &session_rows,
        )?;
        insert(conn, "attendance", "session_id, enrolment_id, status, recorded_at", &attendance_rows)?;
        insert(
            conn,
            "coaching_sessions",
            "id, enrolment_id, coach_person_id, held_on, minutes, mode, focus, notes, created_at",
            &coaching_rows,
        )
    })?;
    rows += cohort_rows.len()
        + facilitator_rows.len()
        + enrolment_rows.len()
        + session_rows.len()
        + attendance_rows.len()
        + coaching_rows.len();
    if matches!(conn, DbConn::Pg(_)) {
        conn.batch_execute("ANALYZE").map_err(ApiError::internal)?;
    } else {
        conn.batch_execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);").map_err(ApiError::internal)?;
    }
    Ok(BenchData { rows, seconds: started.elapsed().as_secs_f64() })
}

/// Mean microseconds per run of the SQL that fetches the rows behind `GET /enrolments/{id}` and
/// behind `GET /cohorts/{id}/progress`, run directly on a pooled connection: the floor an
/// endpoint's time is compared with. The same statements the endpoints need, prepared once and
/// cached (as the endpoints' are), with the id bound and every column decoded.
pub fn time_raw_sql(
    pool: &DbPool,
    enrolment: &str,
    cohort: &str,
    trust: &str,
) -> Result<Vec<(&'static str, f64)>, ApiError> {
    let (e, c, t) = match (Uuid::parse_str(enrolment), Uuid::parse_str(cohort), Uuid::parse_str(trust)) {
        (Ok(e), Ok(c), Ok(t)) => (e.to_string(), c.to_string(), t.to_string()),
        _ => return Err(ApiError::internal("bench-sql takes three UUIDs")),
    };
    let mut conn = pool.get().map_err(ApiError::internal)?;
    let param = if matches!(&*conn, DbConn::Pg(_)) { "$1" } else { "?" };
    let single = format!(
        "SELECT e.id, e.cohort_id, e.person_id, e.status, e.deferred_from, e.withdrawal_reason, e.withdrawal_details, \
         e.coach_person_id, e.coach_statement, e.created_at, e.updated_at, p.given_name, p.family_name, s.id AS school_id, \
         s.name AS school_name, s.trust_id FROM enrolments e JOIN people p ON p.id = e.person_id \
         JOIN schools s ON s.id = p.school_id WHERE e.id = {param}"
    );
    let programme = format!(
        "SELECT p.definition, c.induction_date FROM cohorts c JOIN programmes p ON p.id = c.programme_id WHERE c.id = {param}"
    );
    let members = format!(
        "SELECT e.id, e.person_id, e.status, e.coach_person_id, p.given_name, p.family_name, s.id AS school_id, s.trust_id \
         FROM enrolments e JOIN people p ON p.id = e.person_id JOIN schools s ON s.id = p.school_id WHERE e.cohort_id = {param}"
    );
    let marks = format!(
        "SELECT a.enrolment_id, a.status, a.half_days, se.kind, se.starts_at FROM attendance a \
         JOIN sessions se ON se.id = a.session_id JOIN enrolments e ON e.id = a.enrolment_id \
         WHERE e.cohort_id = {param} AND se.cancelled_at IS NULL"
    );
    let coaching = format!(
        "SELECT cs.enrolment_id, cs.held_on, cs.mode FROM coaching_sessions cs \
         JOIN enrolments e ON e.id = cs.enrolment_id WHERE e.cohort_id = {param}"
    );
    let conn = &mut *conn;
    let mut single_run = || -> Result<usize, ApiError> {
        Ok(diesel::sql_query(&single).bind::<Text, _>(&e).load::<raw::Single>(conn)?.len())
    };
    let single_us = time(&mut single_run, 5000)?;
    let mut progress_run = || -> Result<usize, ApiError> {
        Ok(diesel::sql_query(&programme).bind::<Text, _>(&c).load::<raw::Programme>(conn)?.len()
            + diesel::sql_query(&members).bind::<Text, _>(&c).load::<raw::Member>(conn)?.len()
            + diesel::sql_query(&marks).bind::<Text, _>(&c).load::<raw::Mark>(conn)?.len()
            + diesel::sql_query(&coaching).bind::<Text, _>(&c).load::<raw::Coaching>(conn)?.len())
    };
    let progress_us = time(&mut progress_run, 300)?;
    // The trust progress feed's first page of 200: the page across every cohort of the trust, then
    // those enrolments' programmes, register marks and coaching (what the endpoint evaluates).
    let page = format!(
        "SELECT e.id, e.person_id, e.status, e.coach_person_id, e.cohort_id, p.given_name, p.family_name, \
         s.id AS school_id, s.trust_id, c.name AS cohort_name, g.name AS programme_name FROM enrolments e \
         JOIN people p ON p.id = e.person_id JOIN schools s ON s.id = p.school_id \
         JOIN cohorts c ON c.id = e.cohort_id JOIN programmes g ON g.id = c.programme_id \
         WHERE s.trust_id = {param} ORDER BY e.id LIMIT 201"
    );
    let quoted = |ids: &mut dyn Iterator<Item = &String>| ids.map(|i| format!("'{i}'")).collect::<Vec<_>>().join(",");
    let mut trust_run = || -> Result<usize, ApiError> {
        let rows = diesel::sql_query(&page).bind::<Text, _>(&t).load::<raw::TrustRow>(conn)?;
        let enrolments = quoted(&mut rows.iter().map(|r| &r.id));
        let mut cohorts: Vec<&String> = rows.iter().map(|r| &r.cohort_id).collect();
        cohorts.sort();
        cohorts.dedup();
        let cohorts = quoted(&mut cohorts.into_iter());
        let programmes = format!(
            "SELECT p.definition, c.induction_date FROM cohorts c JOIN programmes p ON p.id = c.programme_id \
             WHERE c.id IN ({cohorts})"
        );
        let marks = format!(
            "SELECT a.enrolment_id, a.status, a.half_days, se.kind, se.starts_at FROM attendance a \
             JOIN sessions se ON se.id = a.session_id WHERE a.enrolment_id IN ({enrolments}) AND se.cancelled_at IS NULL"
        );
        let coaching = format!(
            "SELECT cs.enrolment_id, cs.held_on, cs.mode FROM coaching_sessions cs WHERE cs.enrolment_id IN ({enrolments})"
        );
        Ok(rows.len()
            + diesel::sql_query(&programmes).load::<raw::Programme>(conn)?.len()
            + diesel::sql_query(&marks).load::<raw::Mark>(conn)?.len()
            + diesel::sql_query(&coaching).load::<raw::Coaching>(conn)?.len())
    };
    let trust_us = time(&mut trust_run, 300)?;
    Ok(vec![("single_object_us", single_us), ("cohort_progress_us", progress_us), ("trust_progress_page_us", trust_us)])
}

/// Mean microseconds per call of `run`, after a tenth as many warm-up calls.
fn time(run: &mut dyn FnMut() -> Result<usize, ApiError>, runs: u32) -> Result<f64, ApiError> {
    for _ in 0..runs / 10 {
        run()?;
    }
    let started = Instant::now();
    let mut rows = 0;
    for _ in 0..runs {
        rows += run()?;
    }
    if rows == 0 {
        return Err(ApiError::internal("bench-sql read no rows: wrong ids?"));
    }
    Ok(started.elapsed().as_secs_f64() * 1e6 / f64::from(runs))
}

/// The rows `time_raw_sql` decodes, column for column.
mod raw {
    use chrono::{NaiveDate, NaiveDateTime};
    use diesel::QueryableByName;
    use diesel::sql_types::{Date, Integer, Nullable, Text, Timestamp};

    #[derive(QueryableByName)]
    #[allow(dead_code)] // decoded to be timed, never read
    pub struct Single {
        #[diesel(sql_type = Text)]
        id: String,
        #[diesel(sql_type = Text)]
        cohort_id: String,
        #[diesel(sql_type = Text)]
        person_id: String,
        #[diesel(sql_type = Text)]
        status: String,
        #[diesel(sql_type = Nullable<Text>)]
        deferred_from: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        withdrawal_reason: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        withdrawal_details: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        coach_person_id: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        coach_statement: Option<String>,
        #[diesel(sql_type = Timestamp)]
        created_at: NaiveDateTime,
        #[diesel(sql_type = Timestamp)]
        updated_at: NaiveDateTime,
        #[diesel(sql_type = Text)]
        given_name: String,
        #[diesel(sql_type = Text)]
        family_name: String,
        #[diesel(sql_type = Text)]
        school_id: String,
        #[diesel(sql_type = Text)]
        school_name: String,
        #[diesel(sql_type = Nullable<Text>)]
        trust_id: Option<String>,
    }

    #[derive(QueryableByName)]
    #[allow(dead_code)]
    pub struct Programme {
        #[diesel(sql_type = Text)]
        definition: String,
        #[diesel(sql_type = Date)]
        induction_date: NaiveDate,
    }

    #[derive(QueryableByName)]
    #[allow(dead_code)]
    pub struct Member {
        #[diesel(sql_type = Text)]
        id: String,
        #[diesel(sql_type = Text)]
        person_id: String,
        #[diesel(sql_type = Text)]
        status: String,
        #[diesel(sql_type = Nullable<Text>)]
        coach_person_id: Option<String>,
        #[diesel(sql_type = Text)]
        given_name: String,
        #[diesel(sql_type = Text)]
        family_name: String,
        #[diesel(sql_type = Text)]
        school_id: String,
        #[diesel(sql_type = Nullable<Text>)]
        trust_id: Option<String>,
    }

    #[derive(QueryableByName)]
    #[allow(dead_code)]
    pub struct TrustRow {
        #[diesel(sql_type = Text)]
        pub id: String,
        #[diesel(sql_type = Text)]
        person_id: String,
        #[diesel(sql_type = Text)]
        status: String,
        #[diesel(sql_type = Nullable<Text>)]
        coach_person_id: Option<String>,
        #[diesel(sql_type = Text)]
        pub cohort_id: String,
        #[diesel(sql_type = Text)]
        given_name: String,
        #[diesel(sql_type = Text)]
        family_name: String,
        #[diesel(sql_type = Text)]
        school_id: String,
        #[diesel(sql_type = Nullable<Text>)]
        trust_id: Option<String>,
        #[diesel(sql_type = Text)]
        cohort_name: String,
        #[diesel(sql_type = Text)]
        programme_name: String,
    }

    #[derive(QueryableByName)]
    #[allow(dead_code)]
    pub struct Mark {
        #[diesel(sql_type = Text)]
        enrolment_id: String,
        #[diesel(sql_type = Text)]
        status: String,
        #[diesel(sql_type = Nullable<Integer>)]
        half_days: Option<i32>,
        #[diesel(sql_type = Text)]
        kind: String,
        #[diesel(sql_type = Timestamp)]
        starts_at: NaiveDateTime,
    }

    #[derive(QueryableByName)]
    #[allow(dead_code)]
    pub struct Coaching {
        #[diesel(sql_type = Text)]
        enrolment_id: String,
        #[diesel(sql_type = Date)]
        held_on: NaiveDate,
        #[diesel(sql_type = Text)]
        mode: String,
    }
}
