//! The pull feeds' queries: enrolments across every cohort within the caller's scope, evaluated
//! against their programmes in a fixed number of queries per chunk, and each person's CPD record.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Europe::London;
use diesel::prelude::*;
use trellis_domain::enrolment::TransitionKind;
use trellis_domain::rules::{RequirementStatus, evaluate};
use trellis_domain::scope::EnrolmentScope;
use trellis_domain::{EnrolmentStatus, delivery::AttendanceStatus};

use crate::db::allowed::{Allowed, enrolment};
use crate::db::enrolments::within_scope;
use crate::db::models::ProgrammeRow;
use crate::db::schema::{
    assessment_outcomes, attendance, certificates, coaching_sessions, cohorts, enrolment_events, enrolments, people,
    programmes, schools, sessions,
};
use crate::db::{DbConn, organisations, rule_facts};
use crate::error::ApiError;
use crate::paging::PageRequest;

/// Enrolments evaluated per round trip: bounds the `IN` lists and the memory a whole-trust
/// summary or export holds at once.
pub const CHUNK: usize = 2_000;

/// What a progress feed is narrowed to, beside the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub programme_id: Option<String>,
    pub cohort_id: Option<String>,
    pub school_id: Option<String>,
    pub status: Option<EnrolmentStatus>,
}

/// One enrolment with what the feeds show of it.
#[derive(Debug, Clone)]
pub struct FeedRow {
    pub id: String,
    pub person_id: String,
    pub status: String,
    pub left_school_on: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
    pub coach_person_id: Option<String>,
    pub coach_statement: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub mis_id: Option<String>,
    pub school_id: String,
    pub school_name: String,
    pub school_urn: String,
    pub trust_id: Option<String>,
    pub cohort_id: String,
    pub cohort_name: String,
    pub induction_date: NaiveDate,
    pub programme_id: String,
    pub programme_name: String,
}

/// The enrolment's own columns of a [`FeedRow`] (diesel reads at most 16 columns a tuple).
type EnrolmentPart = (String, String, String, Option<NaiveDate>, NaiveDateTime, Option<String>, Option<String>);
/// Its person's, school's, cohort's and programme's.
type PlacePart =
    (String, String, Option<String>, String, String, String, Option<String>, String, String, NaiveDate, String, String);

fn feed_row((e, p): (EnrolmentPart, PlacePart)) -> FeedRow {
    FeedRow {
        id: e.0,
        person_id: e.1,
        status: e.2,
        left_school_on: e.3,
        updated_at: e.4,
        coach_person_id: e.5,
        coach_statement: e.6,
        given_name: p.0,
        family_name: p.1,
        mis_id: p.2,
        school_id: p.3,
        school_name: p.4,
        school_urn: p.5,
        trust_id: p.6,
        cohort_id: p.7,
        cohort_name: p.8,
        induction_date: p.9,
        programme_id: p.10,
        programme_name: p.11,
    }
}

macro_rules! feed_query {
    ($scope:expr, $filters:expr) => {{
        let f: &Filters = $filters;
        let mut q = enrolments::table
            .inner_join(people::table.inner_join(schools::table))
            .inner_join(cohorts::table.inner_join(programmes::table))
            .into_boxed();
        if let Some(p) = &f.programme_id {
            q = q.filter(cohorts::programme_id.eq(p.clone()));
        }
        if let Some(c) = &f.cohort_id {
            q = q.filter(enrolments::cohort_id.eq(c.clone()));
        }
        if let Some(s) = &f.school_id {
            q = q.filter(schools::id.eq(s.clone()));
        }
        if let Some(s) = f.status {
            q = q.filter(enrolments::status.eq(s.as_str()));
        }
        within_scope!(q, $scope)
    }};
}

macro_rules! feed_columns {
    () => {
        (
            (
                enrolments::id,
                enrolments::person_id,
                enrolments::status,
                enrolments::left_school_on,
                enrolments::updated_at,
                enrolments::coach_person_id,
                enrolments::coach_statement,
            ),
            (
                people::given_name,
                people::family_name,
                people::mis_id,
                schools::id,
                schools::name,
                schools::urn,
                schools::trust_id,
                cohorts::id,
                cohorts::name,
                cohorts::induction_date,
                programmes::id,
                programmes::name,
            ),
        )
    };
}

/// One page of the enrolments in scope, by id.
pub fn feed_page(
    conn: &mut DbConn,
    scope: &Allowed<EnrolmentScope, enrolment::Read>,
    filters: &Filters,
    page: &PageRequest,
) -> Result<Vec<FeedRow>, ApiError> {
    let q = feed_query!(&**scope, filters);
    let q = crate::db::keyset_page!(q, enrolments, page);
    Ok(q.select(feed_columns!()).load(conn)?.into_iter().map(feed_row).collect())
}

/// Every enrolment in scope, by id, `CHUNK` at a time.
pub fn feed_all(
    conn: &mut DbConn,
    scope: &Allowed<EnrolmentScope, enrolment::Read>,
    filters: &Filters,
    mut each: impl FnMut(&mut DbConn, Vec<FeedRow>) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let mut after: Option<String> = None;
    loop {
        let mut q = feed_query!(&**scope, filters);
        if let Some(a) = &after {
            q = q.filter(enrolments::id.gt(a.clone()));
        }
        let rows: Vec<FeedRow> = q
            .order(enrolments::id.asc())
            .limit(CHUNK as i64)
            .select(feed_columns!())
            .load(conn)?
            .into_iter()
            .map(feed_row)
            .collect();
        let last = rows.last().map(|r| r.id.clone());
        let full = rows.len() == CHUNK;
        each(conn, rows)?;
        match last {
            Some(l) if full => after = Some(l),
            _ => return Ok(()),
        }
    }
}

/// A feed row evaluated against its programme.
#[derive(Debug, Clone)]
pub struct Evaluated {
    pub row: FeedRow,
    pub status: EnrolmentStatus,
    pub met: u32,
    pub total: u32,
    pub overdue: u32,
    pub overdue_items: Vec<String>,
    pub certifiable: bool,
    pub sessions_attended: u32,
    pub sessions_marked: u32,
}

/// Evaluates each row on `today`: the programmes, term calendars, rule facts and register marks
/// of all of them in a fixed number of queries.
pub fn evaluate_rows(conn: &mut DbConn, rows: Vec<FeedRow>, today: NaiveDate) -> Result<Vec<Evaluated>, ApiError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let programme_ids: Vec<String> =
        rows.iter().map(|r| r.programme_id.clone()).collect::<HashSet<_>>().into_iter().collect();
    let mut definitions = HashMap::new();
    for p in programmes::table.filter(programmes::id.eq_any(&programme_ids)).load::<ProgrammeRow>(conn)? {
        definitions.insert(p.id.clone(), p.definition()?);
    }
    let trusts: Vec<String> =
        rows.iter().filter_map(|r| r.trust_id.clone()).collect::<HashSet<_>>().into_iter().collect();
    let calendars = organisations::term_calendars(conn, &trusts)?;
    let keys: Vec<(rule_facts::FactKeys, NaiveDate)> = rows
        .iter()
        .map(|r| ((r.id.clone(), r.coach_person_id.clone(), r.coach_statement.clone()), r.induction_date))
        .collect();
    let mut facts = rule_facts::load_many(conn, &keys)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let marks = marks(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let definition =
            definitions.get(&row.programme_id).ok_or_else(|| ApiError::internal("an enrolment's programme"))?;
        let calendar = row.trust_id.as_ref().and_then(|t| calendars.get(t)).cloned().unwrap_or_default();
        let f = facts.remove(&row.id).ok_or_else(|| ApiError::internal("an enrolment's facts"))?;
        let p = evaluate(definition, &f, today, &calendar);
        let (attended, marked) = marks.get(&row.id).copied().unwrap_or((0, 0));
        out.push(Evaluated {
            status: row.status.parse().map_err(ApiError::internal)?,
            met: p.count(RequirementStatus::Met) as u32,
            total: p.requirements.len() as u32,
            overdue: p.count(RequirementStatus::Overdue) as u32,
            overdue_items: p
                .requirements
                .iter()
                .filter(|r| r.status == RequirementStatus::Overdue)
                .map(|r| r.label.clone())
                .collect(),
            certifiable: p.certifiable,
            sessions_attended: attended,
            sessions_marked: marked,
            row,
        });
    }
    Ok(out)
}

/// Register marks of these enrolments on sessions that were held: (attended, marked).
fn marks(conn: &mut DbConn, ids: &[String]) -> Result<HashMap<String, (u32, u32)>, ApiError> {
    let rows: Vec<(String, String, i64)> = attendance::table
        .inner_join(sessions::table)
        .filter(attendance::enrolment_id.eq_any(ids))
        .filter(sessions::cancelled_at.is_null())
        .group_by((attendance::enrolment_id, attendance::status))
        .select((attendance::enrolment_id, attendance::status, diesel::dsl::count_star()))
        .load(conn)?;
    let mut out: HashMap<String, (u32, u32)> = HashMap::new();
    for (id, status, n) in rows {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let e = out.entry(id).or_default();
        if [AttendanceStatus::Present.as_str(), AttendanceStatus::Late.as_str()].contains(&status.as_str()) {
            e.0 += n;
        }
        e.1 += n;
    }
    Ok(out)
}

/// One page of the people with an enrolment in scope, by person id: those whose person row or any
/// enrolment in scope changed at or after `updated_since`.
pub fn cpd_people_page(
    conn: &mut DbConn,
    scope: &Allowed<EnrolmentScope, enrolment::Read>,
    school_id: Option<&str>,
    page: &PageRequest,
) -> Result<Vec<String>, ApiError> {
    let filters = Filters { school_id: school_id.map(str::to_owned), ..Filters::default() };
    let mut q = feed_query!(&**scope, &filters);
    if let Some(after) = &page.after {
        q = q.filter(people::id.gt(after.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(enrolments::updated_at.ge(since).or(people::updated_at.ge(since)));
    }
    Ok(q.select(people::id).distinct().order(people::id.asc()).limit(page.fetch()).load(conn)?)
}

/// What a CPD record is built from, for a set of people.
pub struct CpdRows {
    pub people: Vec<CpdPerson>,
    pub enrolments: Vec<CpdEnrolment>,
    /// (enrolment, date, title, minutes, session kind is coaching)
    pub activities: Vec<(String, NaiveDate, String, u32, bool)>,
    /// enrolment → (state, completion date), the latest recorded.
    pub outcomes: HashMap<String, (String, NaiveDate)>,
    /// (enrolment, id, code, issued on, revoked)
    pub certificates: Vec<(String, String, String, NaiveDate, bool)>,
}

#[derive(Debug, Queryable)]
pub struct CpdPerson {
    pub id: String,
    pub mis_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub school_id: String,
    pub school_urn: String,
    pub left_on: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Queryable)]
pub struct CpdEnrolment {
    pub id: String,
    pub person_id: String,
    pub status: String,
    pub updated_at: NaiveDateTime,
    pub cohort_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub programme_id: String,
    pub programme_name: String,
}

/// These people, by id.
fn people_rows(conn: &mut DbConn, person_ids: &[String]) -> Result<Vec<CpdPerson>, ApiError> {
    Ok(people::table
        .inner_join(schools::table)
        .filter(people::id.eq_any(person_ids))
        .order(people::id.asc())
        .select((
            people::id,
            people::mis_id,
            people::given_name,
            people::family_name,
            schools::id,
            schools::urn,
            people::left_on,
            people::updated_at,
        ))
        .load(conn)?)
}

/// The CPD records of these people, from their enrolments within the scope: six queries however
/// many people.
pub fn cpd_rows(
    conn: &mut DbConn,
    scope: &Allowed<EnrolmentScope, enrolment::Read>,
    person_ids: &[String],
) -> Result<CpdRows, ApiError> {
    let people_rows = people_rows(conn, person_ids)?;
    let q = feed_query!(&**scope, &Filters::default());
    let enrolment_rows: Vec<CpdEnrolment> = q
        .filter(enrolments::person_id.eq_any(person_ids))
        .order(cohorts::start_date.desc())
        .select((
            enrolments::id,
            enrolments::person_id,
            enrolments::status,
            enrolments::updated_at,
            cohorts::name,
            cohorts::start_date,
            cohorts::end_date,
            programmes::id,
            programmes::name,
        ))
        .load(conn)?;
    let ids: Vec<String> = enrolment_rows.iter().map(|e| e.id.clone()).collect();
    let attended = [AttendanceStatus::Present.as_str(), AttendanceStatus::Late.as_str()];
    let sessions_rows: Vec<(String, NaiveDateTime, NaiveDateTime, String, Option<i32>)> = attendance::table
        .inner_join(sessions::table)
        .filter(attendance::enrolment_id.eq_any(&ids))
        .filter(sessions::cancelled_at.is_null())
        .filter(attendance::status.eq_any(attended))
        .select((
            attendance::enrolment_id,
            sessions::starts_at,
            sessions::ends_at,
            sessions::title,
            attendance::minutes,
        ))
        .load(conn)?;
    let coaching_rows: Vec<(String, NaiveDate, i32, String)> = coaching_sessions::table
        .filter(coaching_sessions::enrolment_id.eq_any(&ids))
        .select((
            coaching_sessions::enrolment_id,
            coaching_sessions::held_on,
            coaching_sessions::minutes,
            coaching_sessions::mode,
        ))
        .load(conn)?;
    let mut activities = vec![];
    for (e, starts, ends, title, minutes) in sessions_rows {
        let length = (ends - starts).num_minutes().max(0);
        let minutes = minutes.map(i64::from).unwrap_or(length);
        let date = starts.and_utc().with_timezone(&London).date_naive();
        activities.push((e, date, title, u32::try_from(minutes).unwrap_or(0), false));
    }
    for (e, held_on, minutes, mode) in coaching_rows {
        let mode = mode.replace('_', " ");
        activities.push((e, held_on, format!("Coaching ({mode})"), u32::try_from(minutes).unwrap_or(0), true));
    }
    let mut outcomes = HashMap::new();
    let outcome_rows: Vec<(String, String, NaiveDate)> = assessment_outcomes::table
        .filter(assessment_outcomes::enrolment_id.eq_any(&ids))
        .order(assessment_outcomes::created_at.asc())
        .select((assessment_outcomes::enrolment_id, assessment_outcomes::state, assessment_outcomes::completion_date))
        .load(conn)?;
    for (e, state, date) in outcome_rows {
        outcomes.insert(e, (state, date));
    }
    let certificates: Vec<(String, String, String, NaiveDate, bool)> = certificates::table
        .filter(certificates::enrolment_id.eq_any(&ids))
        .order(certificates::issued_on.asc())
        .select((
            certificates::enrolment_id,
            certificates::id,
            certificates::code,
            certificates::issued_on,
            certificates::revoked_at.is_not_null(),
        ))
        .load(conn)?;
    Ok(CpdRows { people: people_rows, enrolments: enrolment_rows, activities, outcomes, certificates })
}

/// Groups evaluated rows by (school name, school, programme name, programme), in that order.
pub type Cells = BTreeMap<(String, String, String, String), trellis_domain::dashboard::Tally>;

/// One enrolment as the DfE-shaped participant view shows it.
#[derive(Debug, Queryable)]
pub struct ParticipantEnrolmentRow {
    pub id: String,
    pub person_id: String,
    pub status: String,
    pub deferred_from: Option<String>,
    pub withdrawal_reason: Option<String>,
    pub withdrawal_details: Option<String>,
    pub left_school_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cohort_id: String,
    pub cohort_name: String,
    pub start_date: NaiveDate,
    pub programme_id: String,
    pub programme_name: String,
    pub preset_key: Option<String>,
}

/// What the participant view of some people is built from.
pub struct ParticipantRows {
    pub people: Vec<CpdPerson>,
    /// By cohort start, oldest first.
    pub enrolments: Vec<ParticipantEnrolmentRow>,
    /// (enrolment, transition) → when it last made that move, for `withdraw` and `defer`.
    pub moved_at: HashMap<(String, String), NaiveDateTime>,
}

/// These people with their enrolments within the scope and when each was last withdrawn or
/// deferred: three queries however many people.
pub fn participant_rows(
    conn: &mut DbConn,
    scope: &Allowed<EnrolmentScope, enrolment::Read>,
    person_ids: &[String],
) -> Result<ParticipantRows, ApiError> {
    let people = people_rows(conn, person_ids)?;
    let q = feed_query!(&**scope, &Filters::default());
    let enrolments: Vec<ParticipantEnrolmentRow> = q
        .filter(enrolments::person_id.eq_any(person_ids))
        .order((cohorts::start_date.asc(), enrolments::id.asc()))
        .select((
            enrolments::id,
            enrolments::person_id,
            enrolments::status,
            enrolments::deferred_from,
            enrolments::withdrawal_reason,
            enrolments::withdrawal_details,
            enrolments::left_school_on,
            enrolments::created_at,
            enrolments::updated_at,
            cohorts::id,
            cohorts::name,
            cohorts::start_date,
            programmes::id,
            programmes::name,
            programmes::preset_key,
        ))
        .load(conn)?;
    let ids: Vec<&str> = enrolments.iter().map(|e| e.id.as_str()).collect();
    let moves: Vec<(String, String, NaiveDateTime)> = enrolment_events::table
        .filter(enrolment_events::enrolment_id.eq_any(&ids))
        .filter(
            enrolment_events::transition.eq_any([TransitionKind::Withdraw.as_str(), TransitionKind::Defer.as_str()]),
        )
        .order((enrolment_events::created_at.asc(), enrolment_events::id.asc()))
        .select((enrolment_events::enrolment_id, enrolment_events::transition, enrolment_events::created_at))
        .load(conn)?;
    let moved_at = moves.into_iter().map(|(e, t, at)| ((e, t), at)).collect();
    Ok(ParticipantRows { people, enrolments, moved_at })
}

/// One outcome with what the DfE-shaped outcome view shows of it.
#[derive(Debug, Queryable)]
pub struct OutcomeRow {
    pub id: String,
    pub enrolment_id: String,
    pub person_id: String,
    pub state: String,
    pub completion_date: NaiveDate,
    pub created_at: NaiveDateTime,
    pub preset_key: Option<String>,
    pub programme_id: String,
}

/// One page of the outcomes recorded on enrolments within the scope, by outcome id (outcomes are
/// never changed or removed, so `updated_since` reads their creation).
pub fn outcomes_page(
    conn: &mut DbConn,
    scope: &Allowed<EnrolmentScope, enrolment::Read>,
    school_id: Option<&str>,
    page: &PageRequest,
) -> Result<Vec<OutcomeRow>, ApiError> {
    let mut q = assessment_outcomes::table
        .inner_join(
            enrolments::table
                .inner_join(people::table.inner_join(schools::table))
                .inner_join(cohorts::table.inner_join(programmes::table)),
        )
        .into_boxed();
    if let Some(s) = school_id {
        q = q.filter(schools::id.eq(s.to_owned()));
    }
    if let Some(after) = &page.after {
        q = q.filter(assessment_outcomes::id.gt(after.clone()));
    }
    if let Some(since) = page.updated_since {
        q = q.filter(assessment_outcomes::created_at.ge(since));
    }
    let q = within_scope!(q, &**scope);
    Ok(q.order(assessment_outcomes::id.asc())
        .limit(page.fetch())
        .select((
            assessment_outcomes::id,
            assessment_outcomes::enrolment_id,
            enrolments::person_id,
            assessment_outcomes::state,
            assessment_outcomes::completion_date,
            assessment_outcomes::created_at,
            programmes::preset_key,
            programmes::id,
        ))
        .load(conn)?)
}
