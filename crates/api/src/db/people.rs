//! People: staff and governors of a school.

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::allowed::{AddPerson, Allowed, LoadedPerson, LoadedSchool, person, school};
use crate::db::models::PersonRow;
use crate::db::schema::people;
use crate::db::{DbConn, keyset_page};
use crate::error::ApiError;
use crate::paging::PageRequest;

/// One page of a school's people (the caller's right to list them is checked by the handler).
pub fn of_school(
    conn: &mut DbConn,
    school: &Allowed<LoadedSchool, school::ListPeople>,
    page: &PageRequest,
) -> Result<Vec<PersonRow>, ApiError> {
    let q = people::table.filter(people::school_id.eq(school.id.to_string())).into_boxed();
    Ok(keyset_page!(q, people, page).select(PersonRow::as_select()).load(conn)?)
}

pub fn find(conn: &mut DbConn, person: &Allowed<LoadedPerson, person::Read>) -> Result<Option<PersonRow>, ApiError> {
    Ok(people::table.find(person.id.to_string()).select(PersonRow::as_select()).first(conn).optional()?)
}

pub fn mis_id_taken(
    conn: &mut DbConn,
    school: &Allowed<LoadedSchool, AddPerson>,
    mis_id: &str,
) -> Result<bool, ApiError> {
    let n: i64 = people::table
        .filter(people::school_id.eq(school.id.to_string()))
        .filter(people::mis_id.eq(mis_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Adds a person to a school the caller may staff.
pub fn insert(conn: &mut DbConn, school: &Allowed<LoadedSchool, AddPerson>, row: &PersonRow) -> Result<(), ApiError> {
    if row.school_id.as_deref() != Some(school.id.to_string().as_str()) {
        return Err(ApiError::internal("a person of another school"));
    }
    insert_unchecked(conn, row)
}

/// Which of these people have an account (the people's own page of a list the caller may read).
pub fn with_accounts(conn: &mut DbConn, rows: &[PersonRow]) -> Result<std::collections::HashSet<String>, ApiError> {
    use crate::db::schema::users;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let found: Vec<Option<String>> =
        users::table.filter(users::person_id.eq_any(ids)).select(users::person_id).load(conn)?;
    Ok(found.into_iter().flatten().collect())
}

/// Whether the person exists (a reference check: it reveals nothing about them).
pub fn exists(conn: &mut DbConn, id: Uuid) -> Result<bool, ApiError> {
    let n: i64 = people::table.filter(people::id.eq(id.to_string())).count().get_result(conn)?;
    Ok(n > 0)
}

/// For the seed, which builds the demo as the platform would.
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &PersonRow) -> Result<(), ApiError> {
    diesel::insert_into(people::table).values(row).execute(conn)?;
    Ok(())
}

/// How many of these person ids exist.
pub fn count_known(conn: &mut DbConn, ids: &[String]) -> Result<i64, ApiError> {
    Ok(people::table.filter(people::id.eq_any(ids)).count().get_result(conn)?)
}

/// Who at a school has this email address (lower-cased), leavers left out: how an invitation
/// that names nobody finds the member of staff it is for.
pub(in crate::db) fn at_school_with_email(
    conn: &mut DbConn,
    school: Uuid,
    email: &str,
) -> Result<Vec<String>, ApiError> {
    Ok(people::table
        .filter(people::school_id.eq(school.to_string()))
        .filter(people::email.eq(email.trim().to_lowercase()))
        .filter(people::left_on.is_null())
        .select(people::id)
        .order(people::id)
        .load(conn)?)
}

/// A provider's coach, facilitator or assessor as a person of the provider (they work for no
/// school), made when their invitation is accepted. Their name is split at the last space.
pub(in crate::db) fn insert_for_organisation(
    conn: &mut DbConn,
    organisation: &str,
    display_name: &str,
    email: &str,
    now: chrono::NaiveDateTime,
) -> Result<String, ApiError> {
    let name = display_name.trim();
    let (given, family) = match name.rsplit_once(' ') {
        Some((g, f)) if !g.trim().is_empty() && !f.trim().is_empty() => (g.trim(), f.trim()),
        _ => (name, ""),
    };
    let row = PersonRow {
        id: crate::paging::new_id(),
        school_id: None,
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        email: Some(email.to_owned()),
        staff_role: trellis_domain::person::StaffRole::Other.as_str().to_owned(),
        mis_id: None,
        created_at: now,
        updated_at: now,
        left_on: None,
        organisation_id: Some(organisation.to_owned()),
    };
    insert_unchecked(conn, &row)?;
    Ok(row.id)
}

/// The person's row, for a change to it.
pub fn for_update(conn: &mut DbConn, person: &Allowed<LoadedPerson, person::Update>) -> Result<PersonRow, ApiError> {
    people::table
        .find(person.id.to_string())
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("person"))
}

/// Whether an MIS sends this person: they carry an MIS id and a machine client with
/// `roster:write` covers their school (by name or through its trust). Such a person's names,
/// email, role and MIS id, and their leaving, are the MIS's to change.
pub fn fed_by_mis(
    conn: &mut DbConn,
    person: &Allowed<LoadedPerson, person::Update>,
    row: &PersonRow,
) -> Result<bool, ApiError> {
    Ok(row.mis_id.is_some() && school_fed(conn, &person.school)?)
}

/// Whether a machine client with `roster:write` covers the school (by name or through its trust).
pub fn school_fed(conn: &mut DbConn, facts: &trellis_domain::authz::SchoolFacts) -> Result<bool, ApiError> {
    use crate::db::schema::{api_client_schools, api_clients};
    let school = facts.id.to_string();
    let by_school = api_client_schools::table
        .filter(api_client_schools::school_id.eq(&school))
        .select(api_client_schools::client_id);
    let mut q = api_clients::table
        .filter(api_clients::revoked_at.is_null())
        .filter(api_clients::scopes.like("%roster:write%"))
        .into_boxed();
    q = match facts.trust_id {
        Some(t) => q.filter(api_clients::id.eq_any(by_school).or(api_clients::trust_id.eq(t.to_string()))),
        None => q.filter(api_clients::id.eq_any(by_school)),
    };
    let n: i64 = q.count().get_result(conn)?;
    Ok(n > 0)
}

/// What a member of staff's row says of them, as edited by hand.
pub struct Edit<'a> {
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub email: Option<&'a str>,
    pub staff_role: &'a str,
    pub mis_id: Option<&'a str>,
}

pub fn update(
    conn: &mut DbConn,
    person: &Allowed<LoadedPerson, person::Update>,
    edit: &Edit,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(people::table.find(person.id.to_string()))
        .set((
            people::given_name.eq(edit.given_name),
            people::family_name.eq(edit.family_name),
            people::email.eq(edit.email),
            people::staff_role.eq(edit.staff_role),
            people::mis_id.eq(edit.mis_id),
            people::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether another person of the school has this MIS id.
pub fn mis_id_held_by_other(
    conn: &mut DbConn,
    person: &Allowed<LoadedPerson, person::Update>,
    mis_id: &str,
) -> Result<bool, ApiError> {
    let n: i64 = people::table
        .filter(people::school_id.eq(person.school.id.to_string()))
        .filter(people::mis_id.eq(mis_id))
        .filter(people::id.ne(person.id.to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Records that the person left the school on `on`, and flags their open enrolments for the
/// school's leads to review, as a roster sync's leaver does. Returns how many were flagged.
pub fn leave(
    conn: &mut DbConn,
    person: &Allowed<LoadedPerson, person::Update>,
    on: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> Result<usize, ApiError> {
    use crate::db::schema::enrolments;
    let id = person.id.to_string();
    diesel::update(people::table.find(&id)).set((people::left_on.eq(on), people::updated_at.eq(now))).execute(conn)?;
    // As the roster sync does: the enrolments still open for work.
    let open: Vec<&str> =
        trellis_domain::EnrolmentStatus::ALL.iter().filter(|s| s.open_for_work()).map(|s| s.as_str()).collect();
    Ok(diesel::update(
        enrolments::table
            .filter(enrolments::person_id.eq(&id))
            .filter(enrolments::status.eq_any(open))
            .filter(enrolments::left_school_on.is_null()),
    )
    .set((enrolments::left_school_on.eq(on), enrolments::updated_at.eq(now)))
    .execute(conn)?)
}

/// Moves the person to another school (of the same trust: checked by the caller); their
/// enrolments and history go with them. Their MIS id was the old school's, so it is cleared.
pub fn move_to(
    conn: &mut DbConn,
    person: &Allowed<LoadedPerson, person::Update>,
    to: &Allowed<LoadedSchool, AddPerson>,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(people::table.find(person.id.to_string()))
        .set((people::school_id.eq(to.id.to_string()), people::mis_id.eq(None::<String>), people::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// The person's row after [`move_to`], for the answer (the caller moved them).
pub fn find_moved(conn: &mut DbConn, person: &Allowed<LoadedPerson, person::Update>) -> Result<PersonRow, ApiError> {
    for_update(conn, person)
}
