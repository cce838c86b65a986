//! Roster sync's data layer: a school's people matched by MIS id (or, for someone added by hand,
//! by email), and the writes a sync makes — in the caller's transaction, one per school. The
//! decisions are the domain's (`trellis_domain::roster`); a dry run runs the same code and skips
//! the writes.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::EnrolmentStatus;
use trellis_domain::ids::SchoolId;
use trellis_domain::roster::{Change, Held, Incoming};

use crate::db::allowed::{AddPerson, Allowed, LoadedSchool, school};
use crate::db::models::{PersonRow, SchoolRow};
use crate::db::schema::{enrolments, people, schools};
use crate::db::{DbConn, on_backend};
use crate::error::ApiError;
use crate::paging::new_id;

/// Rows per multi-row statement (well inside SQLite's and PostgreSQL's parameter limits).
const CHUNK: usize = 500;

/// What a sync did (or would do) with one row.
#[derive(Debug)]
pub struct Applied {
    /// The row's position in the batch given.
    pub index: usize,
    pub change: Change,
    /// The person created, changed or matched (none for a dry run's creation or an unknown leaver).
    pub person_id: Option<String>,
    /// A leaver's open enrolments flagged "left school".
    pub flagged: u32,
}

struct HeldRow {
    id: String,
    held: Held,
}

fn open_statuses() -> Vec<&'static str> {
    EnrolmentStatus::ALL.iter().filter(|s| s.open_for_work()).map(|s| s.as_str()).collect()
}

/// Matches `rows` (checked, at most one per MIS id) against the school's people and, when
/// `apply`, writes the changes: new people in multi-row inserts, changed ones one by one, leavers
/// marked (`left_on`) with their open enrolments flagged, returners cleared.
pub fn sync_school(
    conn: &mut DbConn,
    school: &Allowed<LoadedSchool, AddPerson>,
    rows: &[(usize, &Incoming)],
    today: NaiveDate,
    now: NaiveDateTime,
    apply: bool,
) -> Result<Vec<Applied>, ApiError> {
    let school_id = school.id.to_string();
    let loaded: Vec<PersonRow> =
        people::table.filter(people::school_id.eq(&school_id)).select(PersonRow::as_select()).load(conn)?;
    let mut held = Vec::with_capacity(loaded.len());
    for p in loaded {
        let staff_role = p.staff_role.parse().map_err(ApiError::internal)?;
        held.push(HeldRow {
            id: p.id,
            held: Held {
                mis_id: p.mis_id,
                given_name: p.given_name,
                family_name: p.family_name,
                email: p.email,
                staff_role,
                left: p.left_on.is_some(),
            },
        });
    }
    let by_mis: HashMap<&str, usize> =
        held.iter().enumerate().filter_map(|(i, h)| h.held.mis_id.as_deref().map(|m| (m, i))).collect();
    let mut by_email: HashMap<&str, usize> = HashMap::new();
    for (i, h) in held.iter().enumerate() {
        if h.held.mis_id.is_none()
            && let Some(e) = h.held.email.as_deref()
        {
            by_email.entry(e).or_insert(i);
        }
    }

    let mut out = Vec::with_capacity(rows.len());
    let mut claimed = vec![false; held.len()];
    let mut creates = Vec::new();
    let mut leavers: Vec<(usize, String)> = Vec::new();
    for &(index, incoming) in rows {
        let matched = by_mis.get(incoming.mis_id()).copied().or_else(|| match incoming {
            Incoming::Staff(s) => s.email.as_deref().and_then(|e| by_email.get(e).copied()).filter(|&i| !claimed[i]),
            Incoming::Leaver { .. } => None,
        });
        if let Some(i) = matched {
            claimed[i] = true;
        }
        let h = matched.map(|i| &held[i]);
        let change = trellis_domain::roster::compare(h.map(|h| &h.held), incoming);
        let person_id = match (&change, h) {
            (Change::Create, _) => {
                let Incoming::Staff(s) = incoming else { return Err(ApiError::internal("a leaver to create")) };
                let id = new_id();
                creates.push(PersonRow {
                    id: id.clone(),
                    school_id: Some(school_id.clone()),
                    given_name: s.given_name.clone(),
                    family_name: s.family_name.clone(),
                    email: s.email.clone(),
                    staff_role: s.staff_role.as_str().into(),
                    mis_id: Some(s.mis_id.clone()),
                    created_at: now,
                    updated_at: now,
                    left_on: None,
                    organisation_id: None,
                });
                apply.then_some(id)
            }
            (Change::Update { .. }, Some(h)) => {
                let Incoming::Staff(s) = incoming else { return Err(ApiError::internal("a leaver to update")) };
                if apply {
                    diesel::update(people::table.find(&h.id))
                        .set((
                            people::mis_id.eq(&s.mis_id),
                            people::given_name.eq(&s.given_name),
                            people::family_name.eq(&s.family_name),
                            people::email.eq(&s.email),
                            people::staff_role.eq(s.staff_role.as_str()),
                            people::left_on.eq(None::<NaiveDate>),
                            people::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                    if h.held.left {
                        // Back on the roster: the flags their leaving raised are lifted.
                        diesel::update(
                            enrolments::table
                                .filter(enrolments::person_id.eq(&h.id))
                                .filter(enrolments::left_school_on.is_not_null()),
                        )
                        .set((enrolments::left_school_on.eq(None::<NaiveDate>), enrolments::updated_at.eq(now)))
                        .execute(conn)?;
                    }
                }
                Some(h.id.clone())
            }
            (Change::Leave, Some(h)) => {
                leavers.push((out.len(), h.id.clone()));
                Some(h.id.clone())
            }
            (_, h) => h.map(|h| h.id.clone()),
        };
        out.push(Applied { index, change, person_id, flagged: 0 });
    }

    if apply {
        for chunk in creates.chunks(CHUNK) {
            on_backend!(&mut *conn, |c| diesel::insert_into(people::table).values(chunk).execute(c))?;
        }
    }
    let open = open_statuses();
    for chunk in leavers.chunks(CHUNK) {
        let ids: Vec<&str> = chunk.iter().map(|(_, id)| id.as_str()).collect();
        let flagged: Vec<(String, String)> = enrolments::table
            .filter(enrolments::person_id.eq_any(&ids))
            .filter(enrolments::status.eq_any(&open))
            .filter(enrolments::left_school_on.is_null())
            .select((enrolments::id, enrolments::person_id))
            .load(conn)?;
        let mut per_person: HashMap<&str, u32> = HashMap::new();
        for (_, person) in &flagged {
            *per_person.entry(person.as_str()).or_default() += 1;
        }
        for (at, id) in chunk {
            out[*at].flagged = per_person.get(id.as_str()).copied().unwrap_or(0);
        }
        if apply {
            diesel::update(people::table.filter(people::id.eq_any(&ids)))
                .set((people::left_on.eq(today), people::updated_at.eq(now)))
                .execute(conn)?;
            let enrolment_ids: Vec<&str> = flagged.iter().map(|(e, _)| e.as_str()).collect();
            diesel::update(enrolments::table.filter(enrolments::id.eq_any(&enrolment_ids)))
                .set((enrolments::left_school_on.eq(today), enrolments::updated_at.eq(now)))
                .execute(conn)?;
        }
    }
    Ok(out)
}

/// The leaver's school among `schools`: where a person has this MIS id (for a leaver whose row
/// names no school). `Ok(None)` when none has; every school when several have.
pub fn find_leaver(
    conn: &mut DbConn,
    schools: &[&Allowed<LoadedSchool, AddPerson>],
    mis_id: &str,
) -> Result<Vec<SchoolId>, ApiError> {
    let ids: Vec<String> = schools.iter().map(|s| s.id.to_string()).collect();
    let found: Vec<String> = people::table
        .filter(people::school_id.eq_any(&ids))
        .filter(people::mis_id.eq(mis_id))
        .select(people::school_id.assume_not_null())
        .load(conn)?;
    found.iter().map(|s| crate::db::facts::uuid(s)).collect()
}

/// Order and filter of the OneRoster read.
pub struct RosterQuery {
    pub modified_after: Option<(NaiveDateTime, bool)>,
    /// `Some(true)`: leavers only; `Some(false)`: current staff only.
    pub left: Option<bool>,
    pub limit: i64,
    pub offset: i64,
}

/// A page of the people of the caller's roster schools, oldest first, and how many match.
pub fn roster_people(
    conn: &mut DbConn,
    scope: &Allowed<Vec<SchoolId>, school::ListPeople>,
    q: &RosterQuery,
) -> Result<(Vec<PersonRow>, i64), ApiError> {
    let ids: Vec<String> = scope.iter().map(ToString::to_string).collect();
    let filtered = || {
        let mut f = people::table.filter(people::school_id.eq_any(ids.clone())).into_boxed();
        if let Some((t, inclusive)) = q.modified_after {
            f = if inclusive { f.filter(people::updated_at.ge(t)) } else { f.filter(people::updated_at.gt(t)) };
        }
        match q.left {
            Some(true) => f.filter(people::left_on.is_not_null()),
            Some(false) => f.filter(people::left_on.is_null()),
            None => f,
        }
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows =
        filtered().order(people::id).limit(q.limit).offset(q.offset).select(PersonRow::as_select()).load(conn)?;
    Ok((rows, total))
}

/// A page of the caller's roster schools, and how many match.
pub fn roster_schools(
    conn: &mut DbConn,
    scope: &Allowed<Vec<SchoolId>, school::ListPeople>,
    q: &RosterQuery,
) -> Result<(Vec<SchoolRow>, i64), ApiError> {
    if q.left == Some(true) {
        // Schools are never `tobedeleted`.
        return Ok((vec![], 0));
    }
    let ids: Vec<String> = scope.iter().map(ToString::to_string).collect();
    let filtered = || {
        let mut f = schools::table.filter(schools::id.eq_any(ids.clone())).into_boxed();
        if let Some((t, inclusive)) = q.modified_after {
            f = if inclusive { f.filter(schools::updated_at.ge(t)) } else { f.filter(schools::updated_at.gt(t)) };
        }
        f
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows =
        filtered().order(schools::id).limit(q.limit).offset(q.offset).select(SchoolRow::as_select()).load(conn)?;
    Ok((rows, total))
}
