//! Enrolments: the row with its person and school, loaded whole or only for a caller who may act
//! on it; a cohort's enrolments listed within the caller's scope, in SQL.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::authz::{CohortFacts, EnrolmentFacts, Principal, SchoolFacts, permitted_transitions};
use trellis_domain::enrolment::{EnrolmentState, TransitionKind};
use trellis_domain::ids::PersonId;
use trellis_domain::scope::EnrolmentScope;
use trellis_wire::Enrolment;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::allowed::{Allowed, LoadedCohort, LoadedEnrolment, Move, Nominate, Nomination, cohort};
use crate::db::facts::{opt_uuid, uuid};
use crate::db::models::{EnrolmentRow, ProgrammeRow};
use crate::db::schema::{cohort_facilitators, cohorts, enrolment_events, enrolments, people, programmes, schools};
use crate::db::{DbConn, keyset_page, on_backend};
use crate::error::ApiError;
use crate::paging::{PageRequest, new_id};

/// (given name, family name, school id, school name, school trust id)
pub type PersonCols = (String, String, String, String, Option<String>);

pub fn person_cols() -> (people::given_name, people::family_name, schools::id, schools::name, schools::trust_id) {
    (people::given_name, people::family_name, schools::id, schools::name, schools::trust_id)
}

/// The enrolment as `principal` sees it, with the moves they may make (decided on `facts`).
pub fn to_wire(
    row: &EnrolmentRow,
    p: &PersonCols,
    principal: &Principal,
    facts: &EnrolmentFacts,
) -> Result<Enrolment, ApiError> {
    let actions = permitted_transitions(principal, facts, &row.state()?.offered());
    row.to_wire(&(p.0.clone(), p.1.clone(), p.2.clone(), p.3.clone()), actions)
}

/// The facts about an enrolment in a cohort whose facts are known, from its row and person columns.
pub fn facts_in(row: &EnrolmentRow, p: &PersonCols, cohort: &CohortFacts) -> Result<EnrolmentFacts, ApiError> {
    Ok(EnrolmentFacts {
        person_id: uuid(&row.person_id)?,
        school: SchoolFacts { id: uuid(&p.2)?, trust_id: opt_uuid(p.4.as_deref())? },
        cohort: cohort.clone(),
        coach_person_id: opt_uuid(row.coach_person_id.as_deref())?,
    })
}

/// The enrolment row with its person and school, and the facts that decide access to it, in one
/// query: the cohort's facilitators come as one joined row each (a cohort has a few).
pub(in crate::db) fn with_facts(
    conn: &mut DbConn,
    id: Uuid,
) -> Result<Option<(EnrolmentRow, PersonCols, EnrolmentFacts)>, ApiError> {
    let rows: Vec<(EnrolmentRow, PersonCols, String, Option<String>)> = on_backend!(conn, |c| enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .inner_join(cohorts::table.inner_join(programmes::table).left_join(cohort_facilitators::table))
        .filter(enrolments::id.eq(id.to_string()))
        .select((
            EnrolmentRow::as_select(),
            person_cols(),
            programmes::provider_id,
            cohort_facilitators::person_id.nullable(),
        ))
        .load(c))?;
    let mut facilitator_ids = vec![];
    for (_, _, _, f) in &rows {
        if let Some(f) = f {
            facilitator_ids.push(uuid(f)?);
        }
    }
    let Some((row, p, provider, _)) = rows.into_iter().next() else { return Ok(None) };
    let facts = facts_in(&row, &p, &CohortFacts { provider_id: uuid(&provider)?, facilitator_ids })?;
    Ok(Some((row, p, facts)))
}

/// The enrolment as the caller sees it.
pub fn view<A>(target: &Allowed<LoadedEnrolment, A>, caller: &Caller) -> Result<Enrolment, ApiError> {
    to_wire(&target.row, &target.person, &caller.principal, &target.facts)
}

/// The enrolment as the caller sees it after a change they were allowed to make.
pub fn reload<A>(
    conn: &mut DbConn,
    caller: &Caller,
    target: &Allowed<LoadedEnrolment, A>,
) -> Result<Enrolment, ApiError> {
    load_one(conn, caller, target.id.uuid())
}

/// A new enrolment as the caller who nominated it sees it.
pub fn created(
    conn: &mut DbConn,
    caller: &Caller,
    _nomination: &Allowed<Nomination, Nominate>,
    id: &str,
) -> Result<Enrolment, ApiError> {
    load_one(conn, caller, uuid(id)?)
}

fn load_one(conn: &mut DbConn, caller: &Caller, id: Uuid) -> Result<Enrolment, ApiError> {
    let (row, p, facts) = with_facts(conn, id)?.ok_or_else(|| ApiError::not_found("enrolment"))?;
    to_wire(&row, &p, &caller.principal, &facts)
}

/// The person's own enrolments with their cohorts' names, newest first, as `principal` sees
/// them: two queries, scoped in SQL (the enrolments, then their cohorts' facilitators).
pub fn of_person(
    conn: &mut DbConn,
    principal: &Principal,
    person: PersonId,
) -> Result<Vec<(Enrolment, String)>, ApiError> {
    let rows: Vec<(EnrolmentRow, PersonCols, String, String)> = on_backend!(conn, |c| enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .inner_join(cohorts::table.inner_join(programmes::table))
        .filter(enrolments::person_id.eq(person.to_string()))
        .order(enrolments::id.desc())
        .select((EnrolmentRow::as_select(), person_cols(), cohorts::name, programmes::provider_id))
        .load(c))?;
    let cohort_ids: Vec<String> = rows.iter().map(|r| r.0.cohort_id.clone()).collect();
    let facilitators = crate::db::cohorts::facilitators_of(conn, &cohort_ids)?;
    rows.iter()
        .map(|(row, p, cohort, provider)| {
            let facilitator_ids = facilitators.get(&row.cohort_id).cloned().unwrap_or_default();
            let facts = facts_in(row, p, &CohortFacts { provider_id: uuid(provider)?, facilitator_ids })?;
            Ok((to_wire(row, p, principal, &facts)?, cohort.clone()))
        })
        .collect()
}

/// The enrolment's status, and on PostgreSQL the enrolment row stays locked until the transaction
/// ends, so that saves of one draft queue (each deletes and inserts the draft row; interleaved,
/// two would collide on its key) and a lifecycle move waits for a save in progress. SQLite's
/// write transactions are serial already.
pub fn status_for_update<A>(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, A>,
) -> Result<trellis_domain::EnrolmentStatus, ApiError> {
    let q = enrolments::table.find(&target.row.id).select(enrolments::status);
    let status: String = match conn {
        DbConn::Pg(pg) => q.for_no_key_update().first(pg)?,
        other => q.first(other)?,
    };
    status.parse().map_err(ApiError::internal)
}

/// Narrows a boxed query over enrolments joined to people and schools to an [`EnrolmentScope`],
/// in SQL. Ids are UUID text and never empty, so an empty string stands for "no such id" and
/// matches nothing (an empty `IN ()` list is not portable).
macro_rules! within_scope {
    ($q:expr, $scope:expr) => {{
        use $crate::db::schema::{enrolments, schools};
        let q = $q;
        match $scope {
            trellis_domain::scope::EnrolmentScope::All => q,
            trellis_domain::scope::EnrolmentScope::Where { schools: school_scope, person_id, coach_person_id } => {
                let id = |u: Option<String>| u.unwrap_or_default();
                let (mut school_ids, trust) = match school_scope {
                    trellis_domain::scope::SchoolScope::All => {
                        return Err($crate::error::ApiError::internal("an enrolment scope of all schools"));
                    }
                    trellis_domain::scope::SchoolScope::Only { school_ids, trust_id } => (
                        school_ids.iter().map(ToString::to_string).collect::<Vec<_>>(),
                        id(trust_id.map(|t| t.to_string())),
                    ),
                };
                school_ids.push(String::new());
                q.filter(
                    schools::id
                        .eq_any(school_ids)
                        .or(schools::trust_id.eq(trust).assume_not_null())
                        .or(enrolments::person_id.eq(id(person_id.map(|p| p.to_string()))))
                        .or(enrolments::coach_person_id
                            .eq(id(coach_person_id.map(|p| p.to_string())))
                            .assume_not_null()),
                )
            }
        }
    }};
}
pub(crate) use within_scope;

/// One page of a cohort's enrolments within the caller's scope.
pub fn in_cohort(
    conn: &mut DbConn,
    cohort: &Allowed<LoadedCohort, cohort::Read>,
    scope: &EnrolmentScope,
    page: &PageRequest,
) -> Result<Vec<(EnrolmentRow, PersonCols)>, ApiError> {
    let q = enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::cohort_id.eq(cohort.id.to_string()))
        .into_boxed();
    let q = keyset_page!(within_scope!(q, scope), enrolments, page);
    Ok(q.select((EnrolmentRow::as_select(), person_cols())).load(conn)?)
}

/// How the caller stands to the cohort (`cohort_id`, with its facts), for which of its sessions
/// they see: a member when they run it or may see any of its enrolments; a governor of a school
/// with staff in it; otherwise an outsider. At most three small queries.
pub fn involvement(
    conn: &mut DbConn,
    principal: &trellis_domain::Principal,
    cohort_id: &str,
    facts: &trellis_domain::authz::CohortFacts,
) -> Result<trellis_domain::delivery::Involvement, ApiError> {
    use trellis_domain::delivery::Involvement;
    let scope = trellis_domain::scope::enrolments(principal, facts);
    if scope == EnrolmentScope::All {
        return Ok(Involvement::Member);
    }
    let q = enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::cohort_id.eq(cohort_id))
        .into_boxed();
    let any: Option<String> = within_scope!(q, &scope).select(enrolments::id).first(conn).optional()?;
    if any.is_some() {
        return Ok(Involvement::Member);
    }
    let trellis_domain::Principal::User(u) = principal else { return Ok(Involvement::Outsider) };
    let Some(person) = u.person_id else { return Ok(Involvement::Outsider) };
    let governs: Option<String> = people::table
        .find(person.to_string())
        .filter(people::staff_role.eq(trellis_domain::StaffRole::Governor.as_str()))
        .select(people::school_id)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    let Some(school) = governs else { return Ok(Involvement::Outsider) };
    let staff: i64 = enrolments::table
        .inner_join(people::table)
        .filter(enrolments::cohort_id.eq(cohort_id))
        .filter(people::school_id.eq(school))
        .count()
        .get_result(conn)?;
    Ok(if staff > 0 { Involvement::Governor } else { Involvement::Outsider })
}

/// What a cohort's progress summary needs of each enrolment.
#[derive(Debug, Queryable)]
pub struct ProgressRow {
    pub id: String,
    pub coach_person_id: Option<String>,
    pub status: String,
    pub given_name: String,
    pub family_name: String,
    pub school_id: String,
    pub trust_id: Option<String>,
    pub coach_statement: Option<String>,
}

/// Every enrolment of the cohort within the caller's scope, in id order.
pub fn progress_rows(
    conn: &mut DbConn,
    cohort: &Allowed<LoadedCohort, cohort::Read>,
    scope: &EnrolmentScope,
) -> Result<Vec<ProgressRow>, ApiError> {
    let q = enrolments::table
        .inner_join(people::table.inner_join(schools::table))
        .filter(enrolments::cohort_id.eq(cohort.id.to_string()))
        .into_boxed();
    Ok(within_scope!(q, scope)
        .order(enrolments::id.asc())
        .select((
            enrolments::id,
            enrolments::coach_person_id,
            enrolments::status,
            people::given_name,
            people::family_name,
            schools::id,
            schools::trust_id,
            enrolments::coach_statement,
        ))
        .load(conn)?)
}

pub fn is_enrolled(conn: &mut DbConn, nomination: &Allowed<Nomination, Nominate>) -> Result<bool, ApiError> {
    let n: i64 = enrolments::table
        .filter(enrolments::cohort_id.eq(nomination.cohort_id.to_string()))
        .filter(enrolments::person_id.eq(nomination.person_id.to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Inserts the nominated enrolment.
pub fn insert(
    conn: &mut DbConn,
    nomination: &Allowed<Nomination, Nominate>,
    row: &EnrolmentRow,
) -> Result<(), ApiError> {
    if row.cohort_id != nomination.cohort_id.to_string() || row.person_id != nomination.person_id.to_string() {
        return Err(ApiError::internal("an enrolment other than the one nominated"));
    }
    insert_unchecked(conn, row)
}

/// For the seed, which builds the demo as the platform would.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &EnrolmentRow) -> Result<(), ApiError> {
    diesel::insert_into(enrolments::table).values(row).execute(conn)?;
    Ok(())
}

/// The enrolment's programme with the cohort's induction date and the enrolment's coach and
/// coach's statement: what its progress is evaluated from.
pub fn programme_of<A>(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, A>,
) -> Result<(ProgrammeRow, NaiveDate, Option<String>, Option<String>), ApiError> {
    Ok(enrolments::table
        .inner_join(cohorts::table.inner_join(programmes::table))
        .filter(enrolments::id.eq(&target.row.id))
        .select((
            ProgrammeRow::as_select(),
            cohorts::induction_date,
            enrolments::coach_person_id,
            enrolments::coach_statement,
        ))
        .first(conn)?)
}

/// Writes `row` only if the enrolment is still in `before` (status and where a deferral came
/// from); false when another request moved it first.
pub fn update_if_unchanged(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, Move>,
    row: &EnrolmentRow,
    before: &EnrolmentState,
) -> Result<bool, ApiError> {
    let unchanged = enrolments::table.find(&target.row.id).filter(enrolments::status.eq(before.status.as_str()));
    let written = match before.deferred_from {
        Some(from) => {
            diesel::update(unchanged.filter(enrolments::deferred_from.eq(from.as_str()))).set(row).execute(conn)?
        }
        None => diesel::update(unchanged.filter(enrolments::deferred_from.is_null())).set(row).execute(conn)?,
    };
    Ok(written == 1)
}

pub fn status(conn: &mut DbConn, target: &Allowed<LoadedEnrolment, Move>) -> Result<String, ApiError> {
    Ok(enrolments::table.find(&target.row.id).select(enrolments::status).first(conn)?)
}

/// Appends a lifecycle move to the enrolment's history.
/// One lifecycle move, as the event log keeps it.
pub struct MoveEvent<'a> {
    pub transition: TransitionKind,
    pub before: &'a EnrolmentState,
    pub after: &'a EnrolmentState,
    pub actor: &'a str,
    /// Why, where the move needed a reason (completing despite unmet requirements).
    pub note: Option<&'a str>,
}

pub fn record_event(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, Move>,
    event: &MoveEvent,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    record_event_unchecked(conn, &target.row.id, event, now)
}

pub(crate) fn record_event_unchecked(
    conn: &mut DbConn,
    enrolment: &str,
    e: &MoveEvent,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(enrolment_events::table)
        .values((
            enrolment_events::id.eq(new_id()),
            enrolment_events::enrolment_id.eq(enrolment),
            enrolment_events::transition.eq(e.transition.as_str()),
            enrolment_events::from_status.eq(e.before.status.as_str()),
            enrolment_events::to_status.eq(e.after.status.as_str()),
            enrolment_events::actor.eq(e.actor),
            enrolment_events::created_at.eq(now),
            enrolment_events::note.eq(e.note),
        ))
        .execute(conn)?;
    let (from, to) = (e.before.status.as_str(), e.after.status.as_str());
    crate::db::webhooks::enrolment_moved(conn, enrolment, e.transition.as_str(), from, to, now)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use diesel::Connection;
    use diesel::connection::InstrumentationEvent;

    use super::*;
    use crate::auth::{Claims, TokenKind};
    use trellis_domain::authz::Principal;

    /// A single-object read costs two queries, the caller's lookup included: the sign-in session
    /// joined to its role and user, then the enrolment joined to everything that decides access to it.
    #[test]
    fn an_authorised_enrolment_read_is_two_queries() {
        let dir = std::env::temp_dir().join(format!("trellis-queries-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let pool = crate::db::connect(dir.join("t.db").to_str().expect("utf-8 path")).expect("pool");
        crate::db::migrate(&pool).expect("migrations");
        crate::seed::seed_demo(&pool, "a demo password").expect("seed");
        let mut conn = pool.get().expect("connection");
        let user = crate::db::users::login_by_email(&mut conn, "participant.a@trellis.test").unwrap().unwrap().id;
        let role = crate::db::roles::of_user(&mut conn, &user).unwrap().remove(0).id;
        let session = crate::db::sign_ins::start(&mut conn, &user, &role, crate::now()).unwrap();
        let principal = crate::db::principals::of_claims(&mut conn, &claims(&user, &session)).unwrap().0;
        let person = match &principal {
            Principal::User(u) => u.person_id.expect("a participant is a person"),
            Principal::Client(_) => unreachable!("a user's token"),
        };
        let (mine, _) = of_person(&mut conn, &principal, person).unwrap().remove(0);

        let queries = Arc::new(AtomicUsize::new(0));
        let counter = queries.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if matches!(event, InstrumentationEvent::StartQuery { .. }) {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        let (principal, session_id) = crate::db::principals::of_claims(&mut conn, &claims(&user, &session)).unwrap();
        let caller = Caller { principal, session_id };
        let target =
            crate::db::allowed::enrolment::<crate::db::allowed::enrolment::Read>(&mut conn, &caller, mine.id.into())
                .unwrap();
        let read = view(&target, &caller).unwrap();
        assert_eq!(read.id, mine.id);
        assert_eq!(queries.load(Ordering::SeqCst), 2, "the caller's lookup and the authorising load");
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn claims(user: &str, session: &str) -> Claims {
        Claims {
            sub: user.into(),
            kind: TokenKind::User,
            sid: Some(session.into()),
            scope: None,
            iss: "trellis".into(),
            iat: 0,
            exp: i64::MAX,
            jti: "test".into(),
        }
    }
}
