//! School-to-school partnerships: rounds and the schools taking part, needs, the colleague matched
//! to each, their visits and write-up, and staff's offers. Access is decided in
//! [`crate::db::allowed::partnerships`]; the functions here take what it allowed.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::authz::{RoundFacts, SchoolFacts};
use trellis_domain::partnership::{Coordinates, DataCollection, NeedArea, NeedStatus};

use crate::db::DbConn;
use crate::db::facts::opt_uuid;
use crate::db::schema::{
    partnership_matches, partnership_needs, partnership_offers, partnership_round_schools, partnership_rounds,
    partnership_visits, people, schools, user_roles, users,
};
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partnership_rounds)]
pub struct RoundRow {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: String,
    pub restart_on: Option<NaiveDate>,
    pub postponement_reason: Option<String>,
    pub circulated_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partnership_needs)]
pub struct NeedRow {
    pub id: String,
    pub round_id: String,
    pub school_id: String,
    pub area: String,
    pub area_detail: Option<String>,
    pub title: String,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partnership_matches)]
pub struct MatchRow {
    pub need_id: String,
    pub person_id: String,
    pub school_id: String,
    pub matched_by: String,
    pub matched_at: NaiveDateTime,
    pub findings: Option<String>,
    pub action_plan: Option<String>,
    pub presented_on: Option<NaiveDate>,
    pub presented_to_governors: bool,
    pub reported_at: Option<NaiveDateTime>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub acknowledged_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partnership_visits)]
pub struct VisitRow {
    pub id: String,
    pub need_id: String,
    pub visited_on: NaiveDate,
    pub data_collection: String,
    pub notes: String,
    pub logged_by: String,
    pub created_at: NaiveDateTime,
}

impl VisitRow {
    pub fn ways(&self) -> Vec<DataCollection> {
        self.data_collection.split_whitespace().filter_map(|w| w.parse().ok()).collect()
    }
}

/// A school as a round shows it.
#[derive(Debug, Clone)]
pub struct PlaceRow {
    pub facts: SchoolFacts,
    pub name: String,
    pub urn: String,
    pub at: Option<Coordinates>,
}

type PlaceCols = (String, Option<String>, String, String, Option<f64>, Option<f64>);

fn place((id, trust, name, urn, lat, lng): PlaceCols) -> Result<PlaceRow, ApiError> {
    Ok(PlaceRow {
        facts: SchoolFacts { id: crate::db::facts::uuid(&id)?, trust_id: opt_uuid(trust.as_deref())? },
        name,
        urn,
        at: lat.zip(lng).and_then(|(a, b)| Coordinates::parse(a, b)),
    })
}

macro_rules! place_columns {
    () => {
        (schools::id, schools::trust_id, schools::name, schools::urn, schools::latitude, schools::longitude)
    };
}

/// These schools, by id.
pub fn places(conn: &mut DbConn, ids: &[String]) -> Result<HashMap<String, PlaceRow>, ApiError> {
    let rows: Vec<PlaceCols> = schools::table.filter(schools::id.eq_any(ids)).select(place_columns!()).load(conn)?;
    rows.into_iter().map(|r| Ok((r.0.clone(), place(r)?))).collect()
}

/// The schools of a trust, by name.
pub fn trust_schools(conn: &mut DbConn, trust_id: &str) -> Result<Vec<PlaceRow>, ApiError> {
    let rows: Vec<PlaceCols> = schools::table
        .filter(schools::trust_id.eq(trust_id))
        .order((schools::name.asc(), schools::id.asc()))
        .select(place_columns!())
        .load(conn)?;
    rows.into_iter().map(place).collect()
}

/// Each round's schools, by name.
pub fn round_schools(conn: &mut DbConn, round_ids: &[String]) -> Result<HashMap<String, Vec<PlaceRow>>, ApiError> {
    let rows: Vec<(String, PlaceCols)> = partnership_round_schools::table
        .inner_join(schools::table)
        .filter(partnership_round_schools::round_id.eq_any(round_ids))
        .order((schools::name.asc(), schools::id.asc()))
        .select((partnership_round_schools::round_id, place_columns!()))
        .load(conn)?;
    let mut out: HashMap<String, Vec<PlaceRow>> = HashMap::new();
    for (round, cols) in rows {
        out.entry(round).or_default().push(place(cols)?);
    }
    Ok(out)
}

pub fn round_facts(row: &RoundRow, schools: &[PlaceRow]) -> Result<RoundFacts, ApiError> {
    Ok(RoundFacts {
        organiser: crate::db::facts::uuid(&row.organisation_id)?,
        schools: schools.iter().map(|s| s.facts).collect(),
    })
}

pub fn find_round(conn: &mut DbConn, id: &str) -> Result<Option<RoundRow>, ApiError> {
    Ok(partnership_rounds::table.find(id).select(RoundRow::as_select()).first(conn).optional()?)
}

/// Rounds that may concern the caller: organised by this organisation, or with one of these
/// schools taking part (every round when `all`). A pre-filter: each is still authorised.
pub fn candidate_rounds(
    conn: &mut DbConn,
    organisation: Option<&str>,
    schools_: &[String],
    all: bool,
) -> Result<Vec<RoundRow>, ApiError> {
    let mut q = partnership_rounds::table.into_boxed();
    if !all {
        let via_school = partnership_round_schools::table
            .filter(partnership_round_schools::school_id.eq_any(schools_.to_vec()))
            .select(partnership_round_schools::round_id);
        q = q.filter(
            partnership_rounds::organisation_id
                .eq(organisation.unwrap_or_default().to_owned())
                .or(partnership_rounds::id.eq_any(via_school)),
        );
    }
    Ok(q.order(partnership_rounds::id.desc()).select(RoundRow::as_select()).load(conn)?)
}

pub fn insert_round(conn: &mut DbConn, row: &RoundRow, school_ids: &[String]) -> Result<(), ApiError> {
    diesel::insert_into(partnership_rounds::table).values(row).execute(conn)?;
    for s in school_ids {
        diesel::insert_into(partnership_round_schools::table)
            .values((partnership_round_schools::round_id.eq(&row.id), partnership_round_schools::school_id.eq(s)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_round_status(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    restart_on: Option<NaiveDate>,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(partnership_rounds::table.find(id))
        .set((
            partnership_rounds::status.eq(status),
            partnership_rounds::restart_on.eq(restart_on),
            partnership_rounds::postponement_reason.eq(reason),
            partnership_rounds::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn circulated(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(partnership_rounds::table.find(id))
        .set((partnership_rounds::circulated_at.eq(now), partnership_rounds::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// (needs, matched) per round.
pub fn need_counts(conn: &mut DbConn, round_ids: &[String]) -> Result<HashMap<String, (u32, u32)>, ApiError> {
    let rows: Vec<(String, String)> = partnership_needs::table
        .filter(partnership_needs::round_id.eq_any(round_ids))
        .select((partnership_needs::round_id, partnership_needs::status))
        .load(conn)?;
    let mut out: HashMap<String, (u32, u32)> = HashMap::new();
    for (round, status) in rows {
        let e = out.entry(round).or_default();
        e.0 += 1;
        if status != NeedStatus::Open.as_str() {
            e.1 += 1;
        }
    }
    Ok(out)
}

/// A need with its match.
pub fn find_need(conn: &mut DbConn, id: &str) -> Result<Option<(NeedRow, Option<MatchRow>)>, ApiError> {
    Ok(partnership_needs::table
        .left_join(partnership_matches::table)
        .filter(partnership_needs::id.eq(id))
        .select((NeedRow::as_select(), Option::<MatchRow>::as_select()))
        .first(conn)
        .optional()?)
}

/// A round's needs with their matches, by host school, then when posted.
pub fn needs_of_round(conn: &mut DbConn, round_id: &str) -> Result<Vec<(NeedRow, Option<MatchRow>)>, ApiError> {
    Ok(partnership_needs::table
        .left_join(partnership_matches::table)
        .filter(partnership_needs::round_id.eq(round_id))
        .order((partnership_needs::school_id.asc(), partnership_needs::id.asc()))
        .select((NeedRow::as_select(), Option::<MatchRow>::as_select()))
        .load(conn)?)
}

/// The needs a person is matched to, newest first.
pub fn needs_of_colleague(conn: &mut DbConn, person_id: &str) -> Result<Vec<(NeedRow, Option<MatchRow>)>, ApiError> {
    Ok(partnership_needs::table
        .left_join(partnership_matches::table)
        .filter(partnership_matches::person_id.eq(person_id))
        .order(partnership_needs::id.desc())
        .select((NeedRow::as_select(), Option::<MatchRow>::as_select()))
        .load(conn)?)
}

pub fn insert_need(conn: &mut DbConn, row: &NeedRow) -> Result<(), ApiError> {
    diesel::insert_into(partnership_needs::table).values(row).execute(conn)?;
    Ok(())
}

pub fn set_need_status(conn: &mut DbConn, id: &str, status: NeedStatus, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(partnership_needs::table.find(id))
        .set((partnership_needs::status.eq(status.as_str()), partnership_needs::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Matches a colleague: false when a match was made first (the need's key allows one).
pub fn insert_match(conn: &mut DbConn, row: &MatchRow) -> Result<bool, ApiError> {
    use diesel::result::{DatabaseErrorKind, Error};
    match diesel::insert_into(partnership_matches::table).values(row).execute(conn) {
        Ok(_) => Ok(true),
        // A concurrent match won (the need is the match's key); the caller's transaction rolls back.
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub fn write_findings(
    conn: &mut DbConn,
    need_id: &str,
    findings: &str,
    action_plan: &str,
    presented_on: NaiveDate,
    governors: bool,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(partnership_matches::table.find(need_id).filter(partnership_matches::acknowledged_at.is_null()))
        .set((
            partnership_matches::findings.eq(findings),
            partnership_matches::action_plan.eq(action_plan),
            partnership_matches::presented_on.eq(presented_on),
            partnership_matches::presented_to_governors.eq(governors),
            partnership_matches::reported_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn acknowledge(conn: &mut DbConn, need_id: &str, by: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    diesel::update(partnership_matches::table.find(need_id))
        .set((partnership_matches::acknowledged_at.eq(now), partnership_matches::acknowledged_by.eq(by)))
        .execute(conn)?;
    Ok(())
}

pub fn visits(conn: &mut DbConn, need_ids: &[String]) -> Result<HashMap<String, Vec<VisitRow>>, ApiError> {
    let rows: Vec<VisitRow> = partnership_visits::table
        .filter(partnership_visits::need_id.eq_any(need_ids))
        .order((partnership_visits::visited_on.asc(), partnership_visits::id.asc()))
        .select(VisitRow::as_select())
        .load(conn)?;
    let mut out: HashMap<String, Vec<VisitRow>> = HashMap::new();
    for v in rows {
        out.entry(v.need_id.clone()).or_default().push(v);
    }
    Ok(out)
}

pub fn insert_visit(conn: &mut DbConn, row: &VisitRow) -> Result<(), ApiError> {
    diesel::insert_into(partnership_visits::table).values(row).execute(conn)?;
    Ok(())
}

/// People's names, by id.
pub fn names(conn: &mut DbConn, ids: &[String]) -> Result<HashMap<String, String>, ApiError> {
    let rows: Vec<(String, String, String)> = people::table
        .filter(people::id.eq_any(ids))
        .select((people::id, people::given_name, people::family_name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, g, f)| (id, format!("{g} {f}"))).collect())
}

/// A person's school and whether they are still on its staff.
pub fn person_school(conn: &mut DbConn, person_id: &str) -> Result<Option<(String, bool)>, ApiError> {
    let row: Option<(Option<String>, Option<NaiveDate>)> =
        people::table.find(person_id).select((people::school_id, people::left_on)).first(conn).optional()?;
    // A provider's person works at no school.
    Ok(row.and_then(|(s, left)| s.map(|s| (s, left.is_none()))))
}

/// The current staff of these schools: (person, school, name), by name, at most `limit`.
pub fn staff_of(
    conn: &mut DbConn,
    school_ids: &[String],
    limit: i64,
) -> Result<Vec<(String, String, String)>, ApiError> {
    let rows: Vec<(String, String, String, String)> = people::table
        .filter(people::school_id.eq_any(school_ids))
        .filter(people::left_on.is_null())
        .filter(people::staff_role.ne(trellis_domain::StaffRole::Governor.as_str()))
        .order((people::family_name.asc(), people::given_name.asc(), people::id.asc()))
        .limit(limit)
        .select((people::id, people::school_id.assume_not_null(), people::given_name, people::family_name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, s, g, f)| (id, s, format!("{g} {f}"))).collect())
}

/// Who offered this area in the round, of these people.
pub fn offered(conn: &mut DbConn, round_id: &str, area: NeedArea) -> Result<Vec<String>, ApiError> {
    Ok(partnership_offers::table
        .filter(partnership_offers::round_id.eq(round_id))
        .filter(partnership_offers::area.eq(area.as_str()))
        .select(partnership_offers::person_id)
        .load(conn)?)
}

/// Replaces a person's offer in a round.
pub fn set_offer(conn: &mut DbConn, round_id: &str, person_id: &str, areas: &[NeedArea]) -> Result<(), ApiError> {
    diesel::delete(
        partnership_offers::table
            .filter(partnership_offers::round_id.eq(round_id))
            .filter(partnership_offers::person_id.eq(person_id)),
    )
    .execute(conn)?;
    for a in areas {
        diesel::insert_into(partnership_offers::table)
            .values((
                partnership_offers::round_id.eq(round_id),
                partnership_offers::person_id.eq(person_id),
                partnership_offers::area.eq(a.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A person's offered areas in a round.
pub fn offer_of(conn: &mut DbConn, round_id: &str, person_id: &str) -> Result<Vec<NeedArea>, ApiError> {
    let rows: Vec<String> = partnership_offers::table
        .filter(partnership_offers::round_id.eq(round_id))
        .filter(partnership_offers::person_id.eq(person_id))
        .order(partnership_offers::area.asc())
        .select(partnership_offers::area)
        .load(conn)?;
    Ok(rows.iter().filter_map(|a| a.parse().ok()).collect())
}

/// The live school-lead accounts of these schools: (email, name).
pub fn school_leads(conn: &mut DbConn, school_ids: &[String]) -> Result<Vec<(String, String)>, ApiError> {
    Ok(user_roles::table
        .inner_join(users::table)
        .filter(user_roles::school_id.eq_any(school_ids))
        .filter(user_roles::role.eq(trellis_domain::Role::SchoolLead.as_str()))
        .filter(user_roles::revoked_at.is_null())
        .filter(users::deactivated_at.is_null())
        .select((users::email, users::display_name))
        .distinct()
        .order(users::email.asc())
        .load(conn)?)
}

/// Where to reach these people: the email of their live Trellis account, else the email their
/// school's roster holds; (email, name), each address once.
pub fn people_emails(conn: &mut DbConn, ids: &[String]) -> Result<Vec<(String, String)>, ApiError> {
    let accounts: Vec<(Option<String>, String, String)> = users::table
        .filter(users::person_id.eq_any(ids))
        .filter(users::deactivated_at.is_null())
        .select((users::person_id, users::email, users::display_name))
        .load(conn)?;
    let rows: Vec<(String, Option<String>, String, String)> = people::table
        .filter(people::id.eq_any(ids))
        .select((people::id, people::email, people::given_name, people::family_name))
        .load(conn)?;
    let mut out: Vec<(String, String)> = accounts.iter().map(|(_, e, n)| (e.clone(), n.clone())).collect();
    for (id, email, g, f) in rows {
        let has_account = accounts.iter().any(|(p, _, _)| p.as_deref() == Some(id.as_str()));
        if let Some(e) = email.filter(|_| !has_account) {
            out.push((e, format!("{g} {f}")));
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
    Ok(out)
}
