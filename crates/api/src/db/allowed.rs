//! Authorisation that cannot be forgotten. An [`Allowed<T, A>`] holds an object the caller may do
//! `A` to. Only the authorising loaders here make one (the constructor is private to this module),
//! and the data layer's functions over an object take `&Allowed<…, A>` for the action they serve:
//! a handler that skips the check, or checks the wrong action, does not compile.
//!
//! The actions are per resource ([`enrolment`], [`cohort`], [`school`]), each a type naming the
//! domain [`Action`] it is decided by. Refusals are those of [`require`]: 404 when the caller may not
//! even read the object (so ids cannot be probed), 403 when they may read it but not do this.

use std::marker::PhantomData;
use std::ops::Deref;

use trellis_domain::authz::{Action, CohortFacts, EnrolmentFacts, Resource, SchoolFacts};
use trellis_domain::ids::{CohortId, EnrolmentId, OrganisationId, PersonId, ProgrammeId, SchoolId, SessionId};

use crate::auth::Caller;
use crate::db::enrolments::PersonCols;
use crate::db::facts::{self, require};
use crate::db::models::EnrolmentRow;
use crate::db::sessions::SessionRow;
use crate::db::{DbConn, enrolments, sessions};
use crate::error::ApiError;

/// `value`, which the caller may do `A` to.
pub struct Allowed<T, A> {
    value: T,
    action: PhantomData<A>,
}

impl<T, A> Allowed<T, A> {
    fn grant(value: T) -> Allowed<T, A> {
        Allowed { value, action: PhantomData }
    }
}

impl<T, A> Deref for Allowed<T, A> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// An action on one kind of resource, decided by one domain [`Action`].
pub trait Permission {
    const ACTION: Action;
}

macro_rules! permissions {
    ($($(#[$doc:meta])* $name:ident => $action:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;
        impl super::Permission for $name {
            const ACTION: trellis_domain::authz::Action = $action;
        }
    )*};
}

/// What may be done to an enrolment.
pub mod enrolment {
    use trellis_domain::authz::Action;
    permissions! {
        /// See it, its progress, attendance and coaching log.
        Read => Action::Read;
        /// The participant's own work on it (the report draft): theirs alone.
        OwnWork => Action::Update;
        /// Name its coach.
        AssignCoach => Action::AssignCoach;
        /// Log a coaching session (its coach).
        LogCoaching => Action::LogCoaching;
    }
}

/// What may be done to a cohort (and so to its sessions, registers and groups).
pub mod cohort {
    use trellis_domain::authz::Action;
    permissions! {
        Read => Action::Read;
        /// Run it: timetable, registers, groups (its facilitators).
        Run => Action::Update;
    }
}

/// What may be done to a school.
pub mod school {
    use trellis_domain::authz::Action;
    permissions! {
        Read => Action::Read;
        /// List its people (its leads; MIS clients with `roster:write`).
        ListPeople => Action::ListPeople;
    }
}

/// An enrolment with its person and school and the facts access was decided on.
pub struct LoadedEnrolment {
    pub id: EnrolmentId,
    pub row: EnrolmentRow,
    pub person: PersonCols,
    pub facts: EnrolmentFacts,
}

/// The enrolment, if the caller may do `A` to it: one query.
pub fn enrolment<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: EnrolmentId,
) -> Result<Allowed<LoadedEnrolment, A>, ApiError> {
    let (row, person, facts) =
        enrolments::with_facts(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("enrolment"))?;
    let resource = Resource::Enrolment(facts);
    require(caller, A::ACTION, &resource, "enrolment")?;
    let Resource::Enrolment(facts) = resource else { return Err(ApiError::internal("not an enrolment")) };
    Ok(Allowed::grant(LoadedEnrolment { id, row, person, facts }))
}

/// A lifecycle move on the enrolment, if the caller may make it (the move is known only at run
/// time, so it is checked here rather than named by a type).
pub fn enrolment_move(
    conn: &mut DbConn,
    caller: &Caller,
    id: EnrolmentId,
    kind: trellis_domain::enrolment::TransitionKind,
) -> Result<Allowed<LoadedEnrolment, Move>, ApiError> {
    let (row, person, facts) =
        enrolments::with_facts(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("enrolment"))?;
    let resource = Resource::Enrolment(facts);
    require(caller, Action::Transition(kind), &resource, "enrolment")?;
    let Resource::Enrolment(facts) = resource else { return Err(ApiError::internal("not an enrolment")) };
    Ok(Allowed::grant(LoadedEnrolment { id, row, person, facts }))
}

/// A lifecycle move (see [`enrolment_move`]).
#[derive(Debug, Clone, Copy)]
pub struct Move;

/// A cohort with the facts access was decided on.
pub struct LoadedCohort {
    pub id: CohortId,
    pub facts: CohortFacts,
}

/// The cohort, if the caller may do `A` to it: one query.
pub fn cohort<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: CohortId,
) -> Result<Allowed<LoadedCohort, A>, ApiError> {
    let facts = facts::cohort_or_404(conn, id.uuid())?;
    let resource = Resource::Cohort(facts);
    require(caller, A::ACTION, &resource, "cohort")?;
    let Resource::Cohort(facts) = resource else { return Err(ApiError::internal("not a cohort")) };
    Ok(Allowed::grant(LoadedCohort { id, facts }))
}

/// A session with its cohort's facts.
pub struct LoadedSession {
    pub id: SessionId,
    pub row: SessionRow,
    pub cohort: CohortFacts,
}

/// The session, if the caller may do `A` to its cohort. With `for_update`, on PostgreSQL the
/// session row stays locked until the transaction ends (see [`sessions::load_for_update`]).
pub fn session<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: SessionId,
    for_update: bool,
) -> Result<Allowed<LoadedSession, A>, ApiError> {
    let row = if for_update { sessions::load_for_update(conn, id.uuid())? } else { sessions::load(conn, id.uuid())? };
    let cohort = facts::cohort_or_404(conn, facts::uuid(&row.cohort_id)?)?;
    let resource = Resource::Cohort(cohort);
    require(caller, A::ACTION, &resource, "session")?;
    let Resource::Cohort(cohort) = resource else { return Err(ApiError::internal("not a cohort")) };
    Ok(Allowed::grant(LoadedSession { id, row, cohort }))
}

/// A school with the facts access was decided on.
pub struct LoadedSchool {
    pub id: SchoolId,
    pub facts: SchoolFacts,
}

pub fn school<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: SchoolId,
) -> Result<Allowed<LoadedSchool, A>, ApiError> {
    let facts = facts::school(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("school"))?;
    require(caller, A::ACTION, &Resource::School(facts), "school")?;
    Ok(Allowed::grant(LoadedSchool { id, facts }))
}

/// A school the caller may add people to: 403 for those who may see the school (its
/// participants), 404 for everyone else.
pub fn school_to_staff(
    conn: &mut DbConn,
    caller: &Caller,
    id: SchoolId,
) -> Result<Allowed<LoadedSchool, AddPerson>, ApiError> {
    let facts = facts::school(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("school"))?;
    if trellis_domain::authorize(&caller.principal, Action::Create, &Resource::NewPerson { school: facts }).is_err() {
        require(caller, Action::Read, &Resource::School(facts), "school")?;
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant(LoadedSchool { id, facts }))
}

/// Adding a person to a school (see [`school_to_staff`]).
#[derive(Debug, Clone, Copy)]
pub struct AddPerson;

/// A person to be nominated for a cohort, with the facts the nomination was allowed on.
pub struct Nomination {
    pub cohort_id: CohortId,
    pub person_id: PersonId,
    pub facts: EnrolmentFacts,
}

/// Nominating `person` for the cohort, if the caller may: the person's school leads and the
/// cohort's facilitators. A caller who may not see the person is told there is no such person
/// (422 `unknown_person`), so the check reveals nothing about people elsewhere.
pub fn nomination(
    conn: &mut DbConn,
    caller: &Caller,
    cohort_id: CohortId,
    person_id: PersonId,
) -> Result<Allowed<Nomination, Nominate>, ApiError> {
    let cohort = facts::cohort(conn, cohort_id.uuid())?.ok_or_else(|| ApiError::not_found("cohort"))?;
    let unknown = || ApiError::field("unknown_person", "person_id", "no such person");
    let school = facts::person(conn, person_id.uuid())?.ok_or_else(unknown)?;
    let facts = EnrolmentFacts { person_id, school, cohort, coach_person_id: None };
    if trellis_domain::authorize(&caller.principal, Action::Create, &Resource::Enrolment(facts.clone())).is_err() {
        let may_see =
            trellis_domain::authorize(&caller.principal, Action::Read, &Resource::Person { person_id, school });
        return Err(if may_see.is_ok() { ApiError::forbidden() } else { unknown() });
    }
    Ok(Allowed::grant(Nomination { cohort_id, person_id, facts }))
}

/// Nominating a person (see [`nomination`]).
#[derive(Debug, Clone, Copy)]
pub struct Nominate;

/// What may be done to a person.
pub mod person {
    use trellis_domain::authz::Action;
    permissions! {
        Read => Action::Read;
    }
}

/// A person with their school's facts.
pub struct LoadedPerson {
    pub id: PersonId,
    pub school: SchoolFacts,
}

pub fn person<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: PersonId,
) -> Result<Allowed<LoadedPerson, A>, ApiError> {
    let school = facts::person(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("person"))?;
    require(caller, A::ACTION, &Resource::Person { person_id: id, school }, "person")?;
    Ok(Allowed::grant(LoadedPerson { id, school }))
}

/// The school's record, if the caller may do `A` to it: one query (the row holds its facts).
pub fn school_record<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: SchoolId,
) -> Result<Allowed<crate::db::models::SchoolRow, A>, ApiError> {
    let row = crate::db::schools::find(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("school"))?;
    require(caller, A::ACTION, &Resource::School(row.facts()?), "school")?;
    Ok(Allowed::grant(row))
}

/// What may be done to the directory (organisations and hubs) and the catalogue (programmes and
/// cohorts as lists): public to signed-in callers, changed by few.
pub mod directory {
    use trellis_domain::authz::Action;
    permissions! {
        Read => Action::Read;
        /// Add an organisation or a hub (platform admins).
        Create => Action::Create;
    }
}

/// The directory as a whole (organisations, hubs, presets).
pub struct Directory;

pub fn directory<A: Permission>(caller: &Caller, what: &str) -> Result<Allowed<Directory, A>, ApiError> {
    require(caller, A::ACTION, &Resource::Organisation, what)?;
    Ok(Allowed::grant(Directory))
}

/// Programmes and cohorts as lists.
pub struct Catalogue;

pub fn catalogue(caller: &Caller, what: &str) -> Result<Allowed<Catalogue, directory::Read>, ApiError> {
    require(caller, Action::Read, &Resource::Catalogue, what)?;
    Ok(Allowed::grant(Catalogue))
}

/// Changing an organisation's own settings (its term dates): its admins.
#[derive(Debug, Clone, Copy)]
pub struct UpdateSettings;

/// The organisation, if the caller may change its settings: 404 when there is none (or the
/// caller may not read it), 403 when they may read it but not change it.
pub fn organisation_settings(
    conn: &mut DbConn,
    caller: &Caller,
    id: OrganisationId,
) -> Result<Allowed<OrganisationId, UpdateSettings>, ApiError> {
    if crate::db::organisations::find(conn, id.uuid())?.is_none() {
        return Err(ApiError::not_found("organisation"));
    }
    require(caller, Action::Update, &Resource::OrganisationSettings { id }, "organisation")?;
    Ok(Allowed::grant(id))
}

/// What may be done to a programme.
pub mod programme {
    use trellis_domain::authz::Action;
    permissions! {
        Read => Action::Read;
        /// Create one for a provider (its facilitators).
        Create => Action::Create;
    }
}

/// The programme's record, if the caller may do `A` to it.
pub fn programme<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: ProgrammeId,
) -> Result<Allowed<crate::db::models::ProgrammeRow, A>, ApiError> {
    let row = crate::db::programmes::find(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("programme"))?;
    require(caller, A::ACTION, &Resource::Programme { provider_id: facts::uuid(&row.provider_id)? }, "programme")?;
    Ok(Allowed::grant(row))
}

/// A programme to be created for `provider`, if the caller may.
pub fn new_programme(
    caller: &Caller,
    provider: OrganisationId,
) -> Result<Allowed<OrganisationId, programme::Create>, ApiError> {
    require(caller, Action::Create, &Resource::Programme { provider_id: provider }, "programme")?;
    Ok(Allowed::grant(provider))
}

/// A cohort to be created of a programme, with the facilitators it will have.
pub struct NewCohort {
    pub programme_id: ProgrammeId,
    pub facts: CohortFacts,
}

/// Creating a cohort (its programme's provider's facilitators).
#[derive(Debug, Clone, Copy)]
pub struct CreateCohort;

/// A new cohort of `programme`, if the caller may create it: 422 `unknown_programme` when there is
/// no such programme.
pub fn new_cohort(
    conn: &mut DbConn,
    caller: &Caller,
    programme: ProgrammeId,
    facilitators: Vec<PersonId>,
) -> Result<Allowed<NewCohort, CreateCohort>, ApiError> {
    let provider = crate::db::cohorts::provider_of_programme(conn, programme.uuid())?
        .ok_or_else(|| ApiError::field("unknown_programme", "programme_id", "no such programme"))?;
    let facts = CohortFacts { provider_id: facts::uuid(&provider)?, facilitator_ids: facilitators };
    let resource = Resource::Cohort(facts);
    require(caller, Action::Create, &resource, "programme")?;
    let Resource::Cohort(facts) = resource else { return Err(ApiError::internal("not a cohort")) };
    Ok(Allowed::grant(NewCohort { programme_id: programme, facts }))
}

/// Adding a school (platform admins anywhere, trust admins into their own trust).
#[derive(Debug, Clone, Copy)]
pub struct CreateSchool;

/// A new school in `trust` (or in none), if the caller may add it: 403 otherwise (the directory of
/// schools being added to is no secret).
pub fn new_school(
    caller: &Caller,
    trust: Option<OrganisationId>,
) -> Result<Allowed<Option<OrganisationId>, CreateSchool>, ApiError> {
    if trellis_domain::authorize(&caller.principal, Action::Create, &Resource::NewSchool { trust_id: trust }).is_err() {
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant(trust))
}
