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

use uuid::Uuid;

use trellis_domain::accounts::RoleContext;
use trellis_domain::authz::{
    Action, CohortFacts, EnrolmentFacts, EntryFacts, Principal, ProjectFacts, Resource, RoleGrant, SchoolFacts,
};
use trellis_domain::ids::{
    ClientId, CohortId, EnrolmentId, EvidenceFileId, InvitationId, MeasureId, OrganisationId, PersonId,
    PortfolioEntryId, ProgrammeId, ProjectId, SchoolId, SessionId, UserId,
};
use trellis_domain::{OrganisationKind, Role};

use crate::auth::Caller;
use crate::db::enrolments::PersonCols;
use crate::db::facts::{self, require};
use crate::db::models::EnrolmentRow;
use crate::db::portfolio::{EntryRow, FileRow};
use crate::db::projects::{self, ProjectRow};
use crate::db::roles::RoleRow;
use crate::db::sessions::SessionRow;
use crate::db::users::UserScope;
use crate::db::{DbConn, enrolments, portfolio, sessions};
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

/// How a roster names a school: the Trellis school id, or its URN.
pub enum SchoolKey<'a> {
    Id(SchoolId),
    Urn(&'a str),
}

/// The school a roster row names, if it exists and the caller may add people to it; `None`
/// otherwise, whichever it is, so a roster cannot probe for other schools.
pub fn roster_school(
    conn: &mut DbConn,
    caller: &Caller,
    key: SchoolKey,
) -> Result<Option<Allowed<LoadedSchool, AddPerson>>, ApiError> {
    let facts = match key {
        SchoolKey::Id(id) => facts::school(conn, id.uuid())?,
        // What is not a URN names no school (and never reaches the database: PostgreSQL refuses
        // text holding NUL, which a roster may send).
        SchoolKey::Urn(urn) => match trellis_domain::Urn::parse(urn) {
            Ok(_) => facts::school_by_urn(conn, urn)?,
            Err(_) => None,
        },
    };
    Ok(facts
        .filter(|f| {
            trellis_domain::authorize(&caller.principal, Action::Create, &Resource::NewPerson { school: *f }).is_ok()
        })
        .map(|facts| Allowed::grant(LoadedSchool { id: facts.id, facts })))
}

/// Every school the caller may add people to (where a roster's leaver who names no school is
/// looked for); 403 when there is none, so a caller who may staff nothing cannot sync at all.
pub fn roster_writer(conn: &mut DbConn, caller: &Caller) -> Result<Vec<Allowed<LoadedSchool, AddPerson>>, ApiError> {
    let visible = facts::schools_in(conn, &trellis_domain::scope::schools(&caller.principal))?;
    let schools: Vec<_> = visible
        .into_iter()
        .filter(|school| {
            trellis_domain::authorize(&caller.principal, Action::Create, &Resource::NewPerson { school: *school })
                .is_ok()
        })
        .map(|facts| Allowed::grant(LoadedSchool { id: facts.id, facts }))
        .collect();
    if schools.is_empty() { Err(ApiError::forbidden()) } else { Ok(schools) }
}

/// The schools whose people the caller may list (the OneRoster read's scope), by id.
pub fn roster_schools(
    conn: &mut DbConn,
    caller: &Caller,
) -> Result<Allowed<Vec<SchoolId>, school::ListPeople>, ApiError> {
    let visible = facts::schools_in(conn, &trellis_domain::scope::schools(&caller.principal))?;
    let ids = visible
        .into_iter()
        .filter(|f| trellis_domain::authorize(&caller.principal, Action::ListPeople, &Resource::School(*f)).is_ok())
        .map(|f| f.id)
        .collect();
    Ok(Allowed::grant(ids))
}

/// The enrolments the caller may read across every cohort: the scope of the progress and CPD
/// feeds ([`trellis_domain::scope::across_cohorts`]).
pub fn enrolments_across_cohorts(caller: &Caller) -> Allowed<trellis_domain::scope::EnrolmentScope, enrolment::Read> {
    Allowed::grant(trellis_domain::scope::across_cohorts(&caller.principal))
}

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
        Update => Action::Update;
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

/// What may be done to accounts and the roles they hold.
pub mod account {
    use trellis_domain::authz::Action;
    permissions! {
        /// See the account (and the roles of it the caller manages).
        Read => Action::Read;
        /// Give a role (an invitation).
        Grant => Action::Create;
        /// Take a role away, deactivate or reactivate the account.
        Manage => Action::Update;
    }
}

/// A role to be given, checked: its context exists and fits the role, and the caller may give it.
pub struct NewGrant {
    pub grant: RoleGrant,
    /// The member of staff the account belongs to, when the inviter named one they may see.
    pub person_id: Option<PersonId>,
}

/// The role `role` in the given context, if the caller may give it: 422 for a context that does
/// not fit the role or does not exist, 403 when the caller may not give it.
pub fn new_grant(
    conn: &mut DbConn,
    caller: &Caller,
    email: &str,
    role: Role,
    organisation: Option<OrganisationId>,
    school: Option<SchoolId>,
    person: Option<PersonId>,
) -> Result<Allowed<NewGrant, account::Grant>, ApiError> {
    let unfit = |field: &str, msg: &str| ApiError::field("context_does_not_fit_role", field, msg.to_owned());
    let (organisation_id, school) = match role.context() {
        RoleContext::Everywhere => {
            if organisation.is_some() || school.is_some() {
                return Err(unfit("organisation_id", "a platform admin's role has no organisation or school"));
            }
            (None, None)
        }
        RoleContext::Organisation => {
            let Some(org) = organisation else {
                return Err(unfit("organisation_id", "this role is held in an organisation: give organisation_id"));
            };
            if school.is_some() {
                return Err(unfit("school_id", "this role is held in an organisation, not a school"));
            }
            let kind = crate::db::organisations::kind(conn, org.uuid())?
                .ok_or_else(|| ApiError::field("unknown_organisation", "organisation_id", "no such organisation"))?;
            if role == Role::TrustAdmin && kind != OrganisationKind::Trust.as_str() {
                return Err(unfit("organisation_id", "a trust admin's organisation must be a trust"));
            }
            (Some(org), None)
        }
        RoleContext::School => {
            let Some(s) = school else {
                return Err(unfit("school_id", "this role is held at a school: give school_id"));
            };
            if organisation.is_some() {
                return Err(unfit("organisation_id", "this role is held at a school, not in an organisation"));
            }
            let facts = facts::school(conn, s.uuid())?
                .ok_or_else(|| ApiError::field("unknown_school", "school_id", "no such school"))?;
            (None, Some(facts))
        }
    };
    let grant = RoleGrant { role, organisation_id, school };
    if trellis_domain::authorize(&caller.principal, Action::Create, &Resource::RoleGrant(grant)).is_err() {
        return Err(ApiError::forbidden());
    }
    if let Some(p) = person {
        // Linking an account to a person makes it that person's (their coachees, their enrolments):
        // only those who may see the person may, and a school role's person must be at its school.
        let unknown = || ApiError::field("unknown_person", "person_id", "no such person");
        let person_school = facts::person(conn, p.uuid())?.ok_or_else(unknown)?;
        let resource = Resource::Person { person_id: p, school: person_school };
        if trellis_domain::authorize(&caller.principal, Action::Read, &resource).is_err() {
            return Err(unknown());
        }
        if school.is_some_and(|s| s.id != person_school.id) {
            return Err(ApiError::field(
                "person_of_another_school",
                "person_id",
                "this person works at another school",
            ));
        }
        // A person has one account: linking a second would hand it their coaching notes and
        // their own work. Inviting the account they have (its email) into a new role is fine.
        if crate::db::users::email_of_person(conn, &p.to_string())?.is_some_and(|e| e != email) {
            return Err(ApiError::field(
                "person_has_account",
                "person_id",
                "this person already has a Trellis account: invite that account's email address",
            ));
        }
    }
    // An invitation into a school that names nobody is for the member of staff with that email,
    // when there is exactly one (and they have no other account); with several, the inviter
    // chooses. Nobody is fine: a lead need not be on the MIS's staff list.
    let person = match (person, &grant.school) {
        (Some(p), _) => Some(p),
        (None, Some(s)) => match crate::db::people::at_school_with_email(conn, s.id.uuid(), email)?.as_slice() {
            [] => None,
            [one] => match crate::db::users::email_of_person(conn, one)? {
                Some(e) if e != email => None,
                _ => Some(facts::uuid::<PersonId>(one)?),
            },
            _ => {
                return Err(ApiError::field(
                    "ambiguous_person",
                    "person_id",
                    "several people at this school have this email address: choose the member of staff",
                ));
            }
        },
        (None, None) => None,
    };
    Ok(Allowed::grant(NewGrant { grant, person_id: person }))
}

/// An account with its roles, and which of them the caller may manage.
pub struct ManagedUser {
    pub row: crate::db::users::UserRow,
    pub roles: Vec<RoleRow>,
    /// Per role: may the caller take it away?
    pub manageable: Vec<bool>,
}

impl ManagedUser {
    /// The roles the caller may see: those they manage.
    pub fn visible_roles(&self) -> impl Iterator<Item = &RoleRow> {
        self.roles.iter().zip(&self.manageable).filter(|(_, m)| **m).map(|(r, _)| r)
    }

    /// Whether the caller manages every role the account holds (so may deactivate it).
    pub fn manages_all(&self) -> bool {
        self.manageable.iter().all(|m| *m)
    }
}

/// The account, if the caller manages at least one of its roles (platform admins: any account);
/// 404 otherwise, so accounts elsewhere cannot be probed.
pub fn user<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: UserId,
) -> Result<Allowed<ManagedUser, A>, ApiError> {
    let row = crate::db::users::find(conn, &id.to_string())?.ok_or_else(|| ApiError::not_found("user"))?;
    let roles = crate::db::roles::of_user(conn, &row.id)?;
    let is_admin = matches!(&caller.principal, Principal::User(u) if u.role == Role::PlatformAdmin);
    let mut manageable = Vec::with_capacity(roles.len());
    for r in &roles {
        let ok = trellis_domain::authorize(&caller.principal, Action::Update, &Resource::RoleGrant(r.grant()?)).is_ok();
        manageable.push(ok);
    }
    if !is_admin && !manageable.iter().any(|m| *m) {
        return Err(ApiError::not_found("user"));
    }
    Ok(Allowed::grant(ManagedUser { row, roles, manageable }))
}

/// Whose accounts, invitations and account events the caller sees: 403 for callers who manage
/// no accounts (participants, coaches, assessors, machine clients).
pub fn account_scope(caller: &Caller) -> Result<Allowed<UserScope, account::Read>, ApiError> {
    let Principal::User(u) = &caller.principal else { return Err(ApiError::forbidden()) };
    let id = |o: Option<OrganisationId>| o.map(|o| o.to_string()).into_iter().collect::<Vec<_>>();
    let scope = match u.role {
        Role::PlatformAdmin => UserScope::All,
        Role::TrustAdmin => {
            UserScope::Within { organisations: id(u.organisation_id), trusts: id(u.organisation_id), schools: vec![] }
        }
        Role::SchoolLead => UserScope::Within {
            organisations: vec![],
            trusts: vec![],
            schools: u.school_id.map(|s| s.to_string()).into_iter().collect(),
        },
        Role::Facilitator => {
            UserScope::Within { organisations: id(u.organisation_id), trusts: vec![], schools: vec![] }
        }
        Role::Coach | Role::Assessor | Role::Participant => return Err(ApiError::forbidden()),
    };
    Ok(Allowed::grant(scope))
}

/// Whether the caller may see or manage this role (the roles listed with an account).
pub fn may_see_role(caller: &Caller, role: &RoleRow) -> Result<bool, ApiError> {
    Ok(trellis_domain::authorize(&caller.principal, Action::Read, &Resource::RoleGrant(role.grant()?)).is_ok())
}

/// What may be done to a machine client: see it, rotate its secret, revoke it.
#[derive(Debug, Clone, Copy)]
pub struct ManageClient;

/// What a new client acts for: a whole trust, and/or these schools.
pub type ClientContext = (Option<OrganisationId>, Vec<SchoolId>);

/// A machine client to be registered for a trust and/or schools, each of which exists and the
/// caller leads: 422 for unknown ones, 403 for ones the caller does not lead.
pub fn new_machine_client(
    conn: &mut DbConn,
    caller: &Caller,
    trust: Option<OrganisationId>,
    school_ids: &[SchoolId],
) -> Result<Allowed<ClientContext, ManageClient>, ApiError> {
    if trust.is_none() && school_ids.is_empty() {
        return Err(ApiError::field("client_needs_a_context", "school_ids", "give trust_id or at least one school"));
    }
    if let Some(t) = trust {
        let kind = crate::db::organisations::kind(conn, t.uuid())?;
        if kind.as_deref() != Some(OrganisationKind::Trust.as_str()) {
            return Err(ApiError::field("unknown_trust", "trust_id", "no such trust"));
        }
    }
    let mut schools = Vec::with_capacity(school_ids.len());
    for (i, s) in school_ids.iter().enumerate() {
        let f = facts::school(conn, s.uuid())?
            .ok_or_else(|| ApiError::field("unknown_school", &format!("school_ids[{i}]"), "no such school"))?;
        schools.push(f);
    }
    let resource = Resource::MachineClient { trust_id: trust, schools };
    if trellis_domain::authorize(&caller.principal, Action::Create, &resource).is_err() {
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant((trust, school_ids.to_vec())))
}

/// The client, if the caller may manage it (404 otherwise: clients elsewhere cannot be probed).
pub fn machine_client(
    conn: &mut DbConn,
    caller: &Caller,
    id: ClientId,
) -> Result<Allowed<crate::db::clients::ClientRecord, ManageClient>, ApiError> {
    let record = crate::db::clients::find(conn, &id.to_string())?.ok_or_else(|| ApiError::not_found("client"))?;
    let resource = record.resource(conn)?;
    if trellis_domain::authorize(&caller.principal, Action::Update, &resource).is_err() {
        return Err(ApiError::not_found("client"));
    }
    Ok(Allowed::grant(record))
}

/// Of these clients, the ones the caller may manage.
pub fn manageable_clients(
    conn: &mut DbConn,
    caller: &Caller,
    records: Vec<crate::db::clients::ClientRecord>,
) -> Result<Vec<Allowed<crate::db::clients::ClientRecord, ManageClient>>, ApiError> {
    let mut out = vec![];
    for r in records {
        let resource = r.resource(conn)?;
        if trellis_domain::authorize(&caller.principal, Action::Update, &resource).is_ok() {
            out.push(Allowed::grant(r));
        }
    }
    Ok(out)
}

/// The platform's own records (the outbox): platform admins.
pub struct Platform;

pub fn platform(caller: &Caller) -> Result<Allowed<Platform, directory::Read>, ApiError> {
    if trellis_domain::authorize(&caller.principal, Action::Read, &Resource::Platform).is_err() {
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant(Platform))
}

/// The invitation, if the caller may see it (it offers a role they could give): 404 otherwise.
pub fn invitation<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: InvitationId,
) -> Result<Allowed<crate::db::invitations::InvitationRow, A>, ApiError> {
    let row = crate::db::invitations::find(conn, &id.to_string())?.ok_or_else(|| ApiError::not_found("invitation"))?;
    let school = match facts::opt_uuid::<Uuid>(row.school_id.as_deref())? {
        Some(s) => facts::school(conn, s)?,
        None => None,
    };
    let grant = RoleGrant {
        role: row.role.parse().map_err(ApiError::internal)?,
        organisation_id: facts::opt_uuid(row.organisation_id.as_deref())?,
        school,
    };
    require(caller, A::ACTION, &Resource::RoleGrant(grant), "invitation")?;
    Ok(Allowed::grant(row))
}

/// What may be done to a project.
pub mod project {
    use trellis_domain::authz::Action;
    permissions! {
        /// See it whole (whoever may see one of its team's enrolments).
        Read => Action::Read;
        /// Keep its record: stages, actions, measures, presentations (its team, its tutors).
        Edit => Action::Update;
        /// Start one for a team.
        Create => Action::Create;
    }
}

/// One of a project's team, with the facts access to their enrolment is decided on.
pub struct TeamMember {
    pub enrolment_id: EnrolmentId,
    pub row: EnrolmentRow,
    pub person: PersonCols,
    pub facts: EnrolmentFacts,
}

/// A project not yet made: its cohort and team.
pub struct NewProject {
    pub cohort_id: CohortId,
    pub team: Vec<TeamMember>,
    pub facts: ProjectFacts,
}

/// Starting a project for this team in this cohort, if the caller may (a participant on the team,
/// a facilitator of the cohort). Every id must be an enrolment of the cohort (422
/// `not_in_cohort`, which says nothing about enrolments elsewhere).
pub fn new_project(
    conn: &mut DbConn,
    caller: &Caller,
    cohort_id: CohortId,
    team_ids: &[EnrolmentId],
) -> Result<Allowed<NewProject, project::Create>, ApiError> {
    let cohort = facts::cohort_or_404(conn, cohort_id.uuid())?;
    require(caller, Action::Read, &Resource::Cohort(cohort.clone()), "cohort")?;
    let ids: Vec<String> = team_ids.iter().map(|e| e.to_string()).collect();
    let team = projects::team(conn, &cohort_id.to_string(), &cohort, &ids)?;
    let facts = ProjectFacts { cohort, team: team.iter().map(|m| m.facts.clone()).collect() };
    // Decided on the enrolments that are in the cohort, before saying which are not, so the answer
    // tells a caller who may not start this project nothing about ids elsewhere.
    require(caller, Action::Create, &Resource::NewProject(facts.clone()), "cohort")?;
    let missing: Vec<String> = ids.iter().filter(|id| !team.iter().any(|m| &m.row.id == *id)).cloned().collect();
    if !missing.is_empty() {
        return Err(ApiError::field(
            "not_in_cohort",
            "team",
            format!("not enrolments of this cohort: {}", missing.join(", ")),
        ));
    }
    Ok(Allowed::grant(NewProject { cohort_id, team, facts }))
}

/// A project with its team and the facts access was decided on.
pub struct LoadedProject {
    pub id: ProjectId,
    pub row: ProjectRow,
    pub team: Vec<TeamMember>,
    pub facts: ProjectFacts,
}

impl LoadedProject {
    /// Whether the caller may also do `action` to it (to show or hide what they cannot do).
    pub fn may(&self, caller: &Caller, action: Action) -> bool {
        trellis_domain::authorize(&caller.principal, action, &Resource::Project(self.facts.clone())).is_ok()
    }
}

fn load_project(conn: &mut DbConn, row: ProjectRow) -> Result<LoadedProject, ApiError> {
    let cohort = facts::cohort_or_404(conn, facts::uuid(&row.cohort_id)?)?;
    let ids = projects::member_ids(conn, &row.id)?;
    let team = projects::team(conn, &row.cohort_id, &cohort, &ids)?;
    let facts = ProjectFacts { cohort, team: team.iter().map(|m| m.facts.clone()).collect() };
    Ok(LoadedProject { id: facts::uuid(&row.id)?, row, team, facts })
}

/// The project, if the caller may do `A` to it.
pub fn project<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: ProjectId,
) -> Result<Allowed<LoadedProject, A>, ApiError> {
    let row = projects::row(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("project"))?;
    let loaded = load_project(conn, row)?;
    require(caller, A::ACTION, &Resource::Project(loaded.facts.clone()), "project")?;
    Ok(Allowed::grant(loaded))
}

/// An impact measure with its project, if the caller may do `A` to the project.
pub fn measure<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: MeasureId,
) -> Result<(Allowed<LoadedProject, A>, projects::MeasureRow), ApiError> {
    let measure = projects::measure_row(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("impact measure"))?;
    let row = projects::row(conn, facts::uuid(&measure.project_id)?)?
        .ok_or_else(|| ApiError::internal("a measure without its project"))?;
    let loaded = load_project(conn, row)?;
    require(caller, A::ACTION, &Resource::Project(loaded.facts.clone()), "impact measure")?;
    Ok((Allowed::grant(loaded), measure))
}

/// The cohort's projects the caller may read (a list scope: each decided by `authorize`).
pub fn projects_in(
    conn: &mut DbConn,
    caller: &Caller,
    cohort: &Allowed<LoadedCohort, self::cohort::Read>,
) -> Result<Vec<Allowed<LoadedProject, project::Read>>, ApiError> {
    let mut out = vec![];
    for (row, ids) in projects::rows_in_cohort(conn, &cohort.id.to_string())? {
        let team = projects::team(conn, &row.cohort_id, &cohort.facts, &ids)?;
        let facts = ProjectFacts { cohort: cohort.facts.clone(), team: team.iter().map(|m| m.facts.clone()).collect() };
        if trellis_domain::authorize(&caller.principal, Action::Read, &Resource::Project(facts.clone())).is_ok() {
            out.push(Allowed::grant(LoadedProject { id: facts::uuid(&row.id)?, row, team, facts }));
        }
    }
    Ok(out)
}

/// What may be done to a portfolio entry. Seeing that it exists and its state is part of its
/// enrolment (`enrolment::Read`, [`entry_state`]); these are about its contents.
pub mod entry {
    use trellis_domain::authz::Action;
    permissions! {
        /// Read its contents and files.
        Read => Action::Read;
        /// Change it, submit or withdraw it, add or remove files (the participant).
        Edit => Action::Update;
        /// Verify it or return it with comments (the coach, the cohort's facilitators).
        Verify => Action::Verify;
    }
}

/// A portfolio entry with its enrolment's person and the facts access was decided on.
pub struct LoadedEntry {
    pub id: PortfolioEntryId,
    pub row: EntryRow,
    /// The participant's (given name, family name, school id, school name, trust id).
    pub person: PersonCols,
    pub cohort_id: String,
    pub facts: EntryFacts,
}

fn load_entry(conn: &mut DbConn, row: EntryRow) -> Result<LoadedEntry, ApiError> {
    let (enrolment, person, enrolment_facts) =
        enrolments::with_facts(conn, facts::uuid(&row.enrolment_id)?)?.ok_or_else(|| ApiError::not_found("entry"))?;
    let facts = EntryFacts { enrolment: enrolment_facts, state: row.state()?, shared: row.shared };
    Ok(LoadedEntry { id: facts::uuid(&row.id)?, row, person, cohort_id: enrolment.cohort_id, facts })
}

/// Refuses `action` on the entry as [`require`] does, except that a caller who may see the entry's
/// state (its enrolment) but not do this is told 403 rather than 404.
fn require_entry(caller: &Caller, action: Action, facts: &EntryFacts) -> Result<(), ApiError> {
    if trellis_domain::authorize(&caller.principal, action, &Resource::PortfolioEntry(facts.clone())).is_ok() {
        return Ok(());
    }
    let sees =
        trellis_domain::authorize(&caller.principal, Action::Read, &Resource::Enrolment(facts.enrolment.clone()));
    Err(if sees.is_ok() { ApiError::forbidden() } else { ApiError::not_found("portfolio entry") })
}

/// The entry, if the caller may do `A` to it. With `for_update`, on PostgreSQL its row stays
/// locked until the transaction ends.
pub fn entry<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: PortfolioEntryId,
    for_update: bool,
) -> Result<Allowed<LoadedEntry, A>, ApiError> {
    let row = if for_update { portfolio::row_for_update(conn, id.uuid())? } else { portfolio::row(conn, id.uuid())? };
    let loaded = load_entry(conn, row.ok_or_else(|| ApiError::not_found("portfolio entry"))?)?;
    require_entry(caller, A::ACTION, &loaded.facts)?;
    Ok(Allowed::grant(loaded))
}

/// The entry, if the caller may see that it exists and its state (whoever may read its enrolment);
/// its contents go only to those [`entry::Read`] admits ([`portfolio::views`]).
pub fn entry_state(
    conn: &mut DbConn,
    caller: &Caller,
    id: PortfolioEntryId,
) -> Result<Allowed<LoadedEntry, enrolment::Read>, ApiError> {
    let row = portfolio::row(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("portfolio entry"))?;
    let loaded = load_entry(conn, row)?;
    require(caller, Action::Read, &Resource::Enrolment(loaded.facts.enrolment.clone()), "portfolio entry")?;
    Ok(Allowed::grant(loaded))
}

/// The enrolment's entries, for a caller who may read the enrolment.
pub fn entries_of(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, enrolment::Read>,
) -> Result<Vec<Allowed<LoadedEntry, enrolment::Read>>, ApiError> {
    portfolio::rows_of_enrolment(conn, &target.id.to_string())?
        .into_iter()
        .map(|row| {
            let facts = EntryFacts { enrolment: target.facts.clone(), state: row.state()?, shared: row.shared };
            Ok(Allowed::grant(LoadedEntry {
                id: facts::uuid(&row.id)?,
                row,
                person: target.person.clone(),
                cohort_id: target.row.cohort_id.clone(),
                facts,
            }))
        })
        .collect()
}

/// Loads each row's enrolment once and keeps those the caller may do `A` to.
fn entries_allowed<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    rows: Vec<EntryRow>,
) -> Result<Vec<Allowed<LoadedEntry, A>>, ApiError> {
    let mut enrolments_seen: std::collections::HashMap<String, (EnrolmentRow, PersonCols, EnrolmentFacts)> =
        Default::default();
    let mut out = vec![];
    for row in rows {
        if !enrolments_seen.contains_key(&row.enrolment_id) {
            let Some(found) = enrolments::with_facts(conn, facts::uuid(&row.enrolment_id)?)? else { continue };
            enrolments_seen.insert(row.enrolment_id.clone(), found);
        }
        let (enrolment, person, enrolment_facts) = &enrolments_seen[&row.enrolment_id];
        let facts = EntryFacts { enrolment: enrolment_facts.clone(), state: row.state()?, shared: row.shared };
        if trellis_domain::authorize(&caller.principal, A::ACTION, &Resource::PortfolioEntry(facts.clone())).is_ok() {
            out.push(Allowed::grant(LoadedEntry {
                id: facts::uuid(&row.id)?,
                row,
                person: person.clone(),
                cohort_id: enrolment.cohort_id.clone(),
                facts,
            }));
        }
    }
    Ok(out)
}

/// Submitted entries the caller may verify (a list scope: pre-filtered in SQL by coach and
/// facilitator, each then decided by `authorize`).
pub fn verification_queue(
    conn: &mut DbConn,
    caller: &Caller,
) -> Result<Vec<Allowed<LoadedEntry, entry::Verify>>, ApiError> {
    let Principal::User(u) = &caller.principal else { return Ok(vec![]) };
    let provider = (u.role == Role::Facilitator).then(|| u.organisation_id.map(|o| o.to_string())).flatten();
    let rows = portfolio::queue_candidates(conn, u.person_id.map(|p| p.to_string()), provider)?;
    entries_allowed(conn, caller, rows)
}

/// The cohort's handed-in posters the caller may read.
pub fn posters(
    conn: &mut DbConn,
    caller: &Caller,
    cohort: &Allowed<LoadedCohort, self::cohort::Read>,
) -> Result<Vec<Allowed<LoadedEntry, entry::Read>>, ApiError> {
    let rows = portfolio::poster_rows(conn, &cohort.id.to_string())?;
    entries_allowed(conn, caller, rows)
}

/// One of the entry's files, if the caller may do `A` to the entry.
pub fn evidence_file<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    entry_id: PortfolioEntryId,
    file_id: EvidenceFileId,
    for_update: bool,
) -> Result<(Allowed<LoadedEntry, A>, FileRow), ApiError> {
    let e = entry::<A>(conn, caller, entry_id, for_update)?;
    let file = portfolio::file_row(conn, &e.row.id, file_id.uuid())?.ok_or_else(|| ApiError::not_found("file"))?;
    Ok((e, file))
}

/// A move on a portfolio entry, if the caller may make it: submit and withdraw are the
/// participant's, verify and return the verifier's (known only at run time, so checked here).
pub fn entry_move(
    conn: &mut DbConn,
    caller: &Caller,
    id: PortfolioEntryId,
    action: trellis_domain::portfolio::EntryMove,
) -> Result<Allowed<LoadedEntry, MoveEntry>, ApiError> {
    use trellis_domain::portfolio::EntryMove as M;
    let row = portfolio::row_for_update(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("portfolio entry"))?;
    let loaded = load_entry(conn, row)?;
    let needs = match action {
        M::Submit | M::Withdraw => Action::Update,
        M::Verify | M::Return => Action::Verify,
    };
    require_entry(caller, needs, &loaded.facts)?;
    Ok(Allowed::grant(loaded))
}

/// A move on a portfolio entry (see [`entry_move`]).
#[derive(Debug, Clone, Copy)]
pub struct MoveEntry;

/// What may be done to a certificate.
pub mod certificate {
    use trellis_domain::authz::Action;
    permissions! {
        /// See it and download its credential (whoever may see the enrolment).
        Read => Action::Read;
        /// Choose the evidence its credential shares (the holder).
        Share => Action::Update;
        /// Award it, or revoke it (the certifier the programme names).
        Award => Action::Certify;
    }
}

/// A certificate with the enrolment it was awarded on and the facts access was decided on.
pub struct LoadedCertificate {
    pub row: crate::db::certificates::CertRow,
    /// Whoever a certificate admits may also read its enrolment (checked as it is loaded).
    pub enrolment: Allowed<LoadedEnrolment, enrolment::Read>,
    pub facts: trellis_domain::authz::CertificateFacts,
}

fn certificate_facts(
    conn: &mut DbConn,
    enrolment: &LoadedEnrolment,
) -> Result<trellis_domain::authz::CertificateFacts, ApiError> {
    let by = crate::db::cohorts::definition(conn, &enrolment.row.cohort_id)?.certification.by;
    Ok(trellis_domain::authz::CertificateFacts { enrolment: enrolment.facts.clone(), by })
}

fn load_enrolment(conn: &mut DbConn, id: &str) -> Result<LoadedEnrolment, ApiError> {
    let id: EnrolmentId = facts::uuid(id)?;
    let (row, person, facts) =
        enrolments::with_facts(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("enrolment"))?;
    Ok(LoadedEnrolment { id, row, person, facts })
}

/// The enrolment, if the caller is the certifier its programme names (the trust for Leading
/// Active Learning, the provider for NPQML): 404 to a caller who may not see it, 403 to one who
/// may see it but not award it.
pub fn new_certificate(
    conn: &mut DbConn,
    caller: &Caller,
    id: EnrolmentId,
) -> Result<Allowed<LoadedEnrolment, certificate::Award>, ApiError> {
    let (row, person, facts) =
        enrolments::with_facts(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("enrolment"))?;
    let loaded = LoadedEnrolment { id, row, person, facts };
    let cert = certificate_facts(conn, &loaded)?;
    require(caller, Action::Certify, &Resource::Certificate(cert), "enrolment")?;
    Ok(Allowed::grant(loaded))
}

fn grant_certificate<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    row: crate::db::certificates::CertRow,
) -> Result<Allowed<LoadedCertificate, A>, ApiError> {
    let enrolment = load_enrolment(conn, &row.enrolment_id)?;
    let facts = certificate_facts(conn, &enrolment)?;
    require(caller, A::ACTION, &Resource::Certificate(facts.clone()), "certificate")?;
    require(caller, Action::Read, &Resource::Enrolment(enrolment.facts.clone()), "certificate")?;
    Ok(Allowed::grant(LoadedCertificate { row, enrolment: Allowed::grant(enrolment), facts }))
}

/// The certificate, if the caller may do `A` to it.
pub fn certificate<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: trellis_domain::ids::CertificateId,
) -> Result<Allowed<LoadedCertificate, A>, ApiError> {
    let row = crate::db::certificates::row(conn, &id.to_string())?.ok_or_else(|| ApiError::not_found("certificate"))?;
    grant_certificate(conn, caller, row)
}

/// The enrolment's certificate, for a caller who may see the enrolment (404 when it has none).
pub fn enrolment_certificate(
    conn: &mut DbConn,
    caller: &Caller,
    id: EnrolmentId,
) -> Result<Allowed<LoadedCertificate, certificate::Read>, ApiError> {
    let target = enrolment::<enrolment::Read>(conn, caller, id)?;
    let row = crate::db::certificates::of_enrolment(conn, &target.row.id)?
        .ok_or_else(|| ApiError::not_found("certificate"))?;
    grant_certificate(conn, caller, row)
}

/// Whether the caller may revoke (award) this certificate: what the SPA offers.
pub fn may_award(caller: &Caller, c: &LoadedCertificate) -> bool {
    trellis_domain::authorize(&caller.principal, Action::Certify, &Resource::Certificate(c.facts.clone())).is_ok()
}

/// What may be done to a final-assessment submission.
pub mod submission {
    use trellis_domain::authz::Action;
    permissions! {
        /// Read its report, documents and verification.
        Read => Action::Read;
        /// Withdraw it before it is marked (the participant).
        Withdraw => Action::Update;
        /// Verify its evidence (the coach).
        Verify => Action::Verify;
        /// Assign its marker and moderator (the cohort's facilitators).
        Assign => Action::AssignAssessor;
        /// Mark it (its marker).
        Mark => Action::Mark;
        /// Moderate its mark (its moderator).
        Moderate => Action::Moderate;
        /// Release its outcome (the cohort's facilitators).
        Release => Action::Release;
    }
}

/// A submission with its participant, its cohort's name and programme, and the facts access was
/// decided on.
pub struct LoadedSubmission {
    pub row: crate::db::assessment::SubmissionRow,
    pub person: PersonCols,
    pub cohort_id: String,
    pub cohort_name: String,
    pub definition: trellis_domain::rules::Definition,
    pub facts: trellis_domain::authz::SubmissionFacts,
}

fn load_submission(
    conn: &mut DbConn,
    row: crate::db::assessment::SubmissionRow,
    enrolment: Option<(&EnrolmentRow, &PersonCols, &EnrolmentFacts)>,
) -> Result<LoadedSubmission, ApiError> {
    let (cohort_id, person, facts) = match enrolment {
        Some((e, p, f)) => (e.cohort_id.clone(), p.clone(), f.clone()),
        None => {
            let (e, p, f) = enrolments::with_facts(conn, facts::uuid(&row.enrolment_id)?)?
                .ok_or_else(|| ApiError::not_found("submission"))?;
            (e.cohort_id, p, f)
        }
    };
    let definition = crate::db::cohorts::definition(conn, &cohort_id)?;
    let cohort_name = crate::db::cohorts::name_of(conn, &cohort_id)?;
    let facts = trellis_domain::authz::SubmissionFacts {
        enrolment: facts,
        marker: row.marker_user_id.as_deref().map(facts::uuid).transpose()?,
        moderator: row.moderator_user_id.as_deref().map(facts::uuid).transpose()?,
        released: row.status == "released",
    };
    Ok(LoadedSubmission { row, person, cohort_id, cohort_name, definition, facts })
}

/// The submission, if the caller may do `A` to it: 404 to whoever may not read it (an assessor it
/// is not assigned to included), 403 to a reader who may not do this. `for_update` locks it.
pub fn submission<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: trellis_domain::ids::SubmissionId,
    for_update: bool,
) -> Result<Allowed<LoadedSubmission, A>, ApiError> {
    let id = id.to_string();
    let row = if for_update {
        crate::db::assessment::row_for_update(conn, &id)?
    } else {
        crate::db::assessment::row(conn, &id)?
    };
    let loaded = load_submission(conn, row.ok_or_else(|| ApiError::not_found("submission"))?, None)?;
    require(caller, A::ACTION, &Resource::Submission(loaded.facts.clone()), "submission")?;
    Ok(Allowed::grant(loaded))
}

/// The enrolment's submissions, for a caller who may read the enrolment (what each shows is for
/// [`crate::db::assessment::view`] to decide).
pub fn submissions_of(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, enrolment::Read>,
) -> Result<Vec<Allowed<LoadedSubmission, enrolment::Read>>, ApiError> {
    crate::db::assessment::history(conn, target)?
        .into_iter()
        .map(|row| load_submission(conn, row, Some((&target.row, &target.person, &target.facts))).map(Allowed::grant))
        .collect()
}

/// The submissions assigned to the calling assessor and not yet released, each one it may read.
pub fn assessor_queue(
    conn: &mut DbConn,
    caller: &Caller,
) -> Result<Vec<Allowed<LoadedSubmission, submission::Read>>, ApiError> {
    let Principal::User(u) = &caller.principal else { return Err(ApiError::forbidden()) };
    let mut out = vec![];
    for row in crate::db::assessment::assigned_to(conn, &u.user_id.to_string())? {
        let loaded = load_submission(conn, row, None)?;
        if trellis_domain::authorize(&caller.principal, Action::Read, &Resource::Submission(loaded.facts.clone()))
            .is_ok()
        {
            out.push(Allowed::grant(loaded));
        }
    }
    Ok(out)
}

/// What may be done to an enrolment's 360 diagnostic.
pub mod diagnostic {
    use trellis_domain::authz::Action;
    permissions! {
        /// See its rounds' completion (whoever reads the enrolment).
        Read => Action::Read;
        /// Open, nominate for, close and re-date rounds (the participant, the cohort's facilitators).
        Run => Action::Update;
        /// Write the self-review (the participant).
        SelfReview => Action::SelfReview;
        /// Read a closed round's report (the participant and their coach).
        ReadReport => Action::ReadReport;
    }
}

/// The enrolment, if the caller may do `A` to its diagnostic: 404 to whoever may not read the
/// enrolment, 403 to a reader who may not do this.
pub fn diagnostic_of<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: EnrolmentId,
) -> Result<Allowed<LoadedEnrolment, A>, ApiError> {
    let (row, person, facts) =
        enrolments::with_facts(conn, id.uuid())?.ok_or_else(|| ApiError::not_found("enrolment"))?;
    require(caller, A::ACTION, &Resource::Diagnostic(facts.clone()), "enrolment")?;
    Ok(Allowed::grant(LoadedEnrolment { id, row, person, facts }))
}

/// A round of the diagnostic with its enrolment.
pub struct LoadedRound {
    pub row: crate::db::diagnostic::RoundRow,
    pub enrolment: LoadedEnrolment,
}

impl LoadedRound {
    /// Whether the caller may also do `action` to the diagnostic (what the SPA offers).
    pub fn may(&self, caller: &Caller, action: Action) -> bool {
        trellis_domain::authorize(&caller.principal, action, &Resource::Diagnostic(self.enrolment.facts.clone()))
            .is_ok()
    }
}

/// The round, if the caller may do `A` to its diagnostic. With `for_update`, on PostgreSQL its
/// row stays locked until the transaction ends.
pub fn round<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: trellis_domain::ids::DiagnosticRoundId,
    for_update: bool,
) -> Result<Allowed<LoadedRound, A>, ApiError> {
    let row = crate::db::diagnostic::round_row(conn, &id.to_string(), for_update)?
        .ok_or_else(|| ApiError::not_found("diagnostic round"))?;
    let enrolment = load_enrolment(conn, &row.enrolment_id)?;
    require(caller, A::ACTION, &Resource::Diagnostic(enrolment.facts.clone()), "diagnostic round")?;
    Ok(Allowed::grant(LoadedRound { row, enrolment }))
}

/// The rounds of an enrolment whose diagnostic the caller may do `A` to, each granted the same.
pub fn rounds_of<A: Permission>(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, A>,
) -> Result<Vec<Allowed<LoadedRound, A>>, ApiError> {
    let rows = crate::db::diagnostic::rounds_of(conn, target)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let e = &target.value;
            Allowed::grant(LoadedRound {
                row,
                enrolment: LoadedEnrolment {
                    id: e.id,
                    row: e.row.clone(),
                    person: e.person.clone(),
                    facts: e.facts.clone(),
                },
            })
        })
        .collect())
}

/// What may be done to a webhook subscription: made, read, changed, replayed by its client alone.
#[derive(Debug, Clone, Copy)]
pub struct ManageWebhook;

/// The calling machine client, to own new subscriptions and list its own: 403 for users.
pub fn webhook_owner(caller: &Caller) -> Result<Allowed<trellis_domain::ids::ClientId, ManageWebhook>, ApiError> {
    let trellis_domain::Principal::Client(c) = &caller.principal else {
        return Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            "forbidden",
            "webhooks belong to machine clients: call with a client's token",
        ));
    };
    let resource = Resource::WebhookSubscription { client_id: c.client_id };
    if trellis_domain::authorize(&caller.principal, Action::Create, &resource).is_err() {
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant(c.client_id))
}

/// The subscription, if it is the calling client's (404 otherwise: others' cannot be probed).
pub fn webhook_subscription(
    conn: &mut DbConn,
    caller: &Caller,
    id: trellis_domain::ids::WebhookId,
) -> Result<Allowed<crate::db::webhooks::SubscriptionRow, ManageWebhook>, ApiError> {
    let row =
        crate::db::webhooks::find(conn, &id.to_string())?.ok_or_else(|| ApiError::not_found("webhook subscription"))?;
    let resource = Resource::WebhookSubscription { client_id: facts::uuid(&row.client_id)? };
    if trellis_domain::authorize(&caller.principal, Action::Update, &resource).is_err() {
        return Err(ApiError::not_found("webhook subscription"));
    }
    Ok(Allowed::grant(row))
}

// After `permissions!`, which it uses.
pub mod expectations;
pub mod partnerships;
