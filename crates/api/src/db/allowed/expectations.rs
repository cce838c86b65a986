//! A trust's expectations, a school's reviews and its support, loaded with the facts that decide
//! access to them and authorised before they are handed out. Which side's ratings a caller sees is
//! asked of the domain per side ([`may_side`]); ratings of a side the caller may not read are
//! never loaded.

use trellis_domain::authz::{Action, AssessmentFacts, Resource, SchoolFacts};
use trellis_domain::expectations::Side;
use trellis_domain::ids::{OrganisationId, SchoolId};
use trellis_domain::{OrganisationKind, Principal};

use super::{Allowed, Permission};
use crate::auth::Caller;
use crate::db::expectations::SupportRow;
use crate::db::facts::{require, uuid};
use crate::db::partnerships::{self as places, PlaceRow};
use crate::db::{DbConn, expectations as db};
use crate::error::ApiError;

/// What may be done to a trust's expectations.
pub mod framework {
    use trellis_domain::authz::Action;
    permissions! {
        /// See the framework (the trust's admins; its schools' leads).
        Read => Action::Read;
        /// Edit it (the trust's admins).
        Edit => Action::Update;
        /// See every school's ratings side by side (the trust's admins).
        Heatmap => Action::ReadReport;
    }
}

/// A trust's framework, with its schools and the facts access was decided on.
pub struct LoadedFramework {
    pub trust: OrganisationId,
    pub schools: Vec<PlaceRow>,
    pub framework: db::Framework,
}

impl LoadedFramework {
    fn resource(&self) -> Resource {
        Resource::ExpectationFramework { trust: self.trust, schools: self.schools.iter().map(|s| s.facts).collect() }
    }
}

pub fn framework<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    trust: OrganisationId,
) -> Result<Allowed<LoadedFramework, A>, ApiError> {
    // Another kind of organisation has no expectations: as absent as an unknown id.
    crate::db::organisations::require_org_kind(conn, trust.uuid(), OrganisationKind::Trust, "id")
        .map_err(|_| ApiError::not_found("organisation"))?;
    let schools = places::trust_schools(conn, &trust.to_string())?;
    let loaded = LoadedFramework { trust, schools, framework: db::Framework::default() };
    let resource = loaded.resource();
    if trellis_domain::authorize(&caller.principal, A::ACTION, &resource).is_err() {
        // Those who may read it are told what they may not do; the rest that it is not there.
        require(caller, Action::Read, &resource, "organisation")?;
        return Err(ApiError::forbidden());
    }
    let framework = db::framework(conn, &trust.to_string())?;
    Ok(Allowed::grant(LoadedFramework { framework, ..loaded }))
}

/// Whether the caller may do `action` to the framework (for the actions it is shown).
pub fn may_framework(caller: &Caller, action: Action, f: &LoadedFramework) -> bool {
    trellis_domain::authorize(&caller.principal, action, &f.resource()).is_ok()
}

/// What may be done to a school's expectations.
pub mod school {
    use trellis_domain::authz::Action;
    permissions! {
        /// See its reviews and history (its leads; its trust's admins).
        Read => Action::Read;
    }
}

/// A school in a trust, with its trust's framework.
pub struct LoadedSchool {
    pub place: PlaceRow,
    pub trust: OrganisationId,
    pub framework: db::Framework,
}

fn place(conn: &mut DbConn, id: SchoolId) -> Result<(PlaceRow, OrganisationId), ApiError> {
    let place = places::places(conn, &[id.to_string()])?.remove(&id.to_string());
    // A school outside any trust has no trust expectations.
    let place = place.ok_or_else(|| ApiError::not_found("school"))?;
    let trust = place.facts.trust_id.ok_or_else(|| ApiError::not_found("school"))?;
    Ok((place, trust))
}

pub fn school<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: SchoolId,
) -> Result<Allowed<LoadedSchool, A>, ApiError> {
    let (place, trust) = place(conn, id)?;
    require(caller, A::ACTION, &Resource::SchoolExpectations(place.facts), "school")?;
    let framework = db::framework(conn, &trust.to_string())?;
    Ok(Allowed::grant(LoadedSchool { place, trust, framework }))
}

/// Whether the caller may do `action` to this side of a school's assessment.
pub fn may_side(caller: &Caller, action: Action, school: SchoolFacts, side: Side, submitted: bool) -> bool {
    let facts = AssessmentFacts { school, side, submitted };
    trellis_domain::authorize(&caller.principal, action, &Resource::ExpectationAssessment(facts)).is_ok()
}

/// Rating one side of a school's assessment (see [`side`]).
#[derive(Debug, Clone, Copy)]
pub struct Rate;

/// The school, if the caller writes this side of its assessments: 404 for those who may not see
/// the school's expectations, 403 for those who may but do not write this side.
pub fn side(
    conn: &mut DbConn,
    caller: &Caller,
    id: SchoolId,
    side: Side,
) -> Result<Allowed<LoadedSchool, Rate>, ApiError> {
    let school = school::<school::Read>(conn, caller, id)?;
    if !may_side(caller, Action::Update, school.place.facts, side, false) {
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant(school.value))
}

/// What may be done to a school's support.
pub mod support {
    use trellis_domain::authz::Action;
    permissions! {
        /// See it and its reviews (the school's leads; the trust's admins).
        Read => Action::Read;
        /// Allocate and review it (the trust's admins).
        Manage => Action::Update;
    }
}

/// The school whose support the caller may `A`.
pub fn support_school<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: SchoolId,
) -> Result<Allowed<PlaceRow, A>, ApiError> {
    let (place, _) = place(conn, id)?;
    let resource = Resource::SupportProvision(place.facts);
    if trellis_domain::authorize(&caller.principal, A::ACTION, &resource).is_err() {
        require(caller, Action::Read, &resource, "school")?;
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant(place))
}

/// A piece of support with its school.
pub struct LoadedSupport {
    pub row: SupportRow,
    pub school: PlaceRow,
}

pub fn support_allocation<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: uuid::Uuid,
) -> Result<Allowed<LoadedSupport, A>, ApiError> {
    let row = db::find_support(conn, &id.to_string())?.ok_or_else(|| ApiError::not_found("support"))?;
    let school = support_school::<A>(conn, caller, uuid(&row.school_id)?)?;
    Ok(Allowed::grant(LoadedSupport { row, school: school.value }))
}

/// Whether the caller may manage (review) a school's support.
pub fn may_manage_support(caller: &Caller, school: SchoolFacts) -> bool {
    matches!(caller.principal, Principal::User(_))
        && trellis_domain::authorize(&caller.principal, Action::Update, &Resource::SupportProvision(school)).is_ok()
}

/// An evidence file with the assessment that holds it and that assessment's school.
pub struct LoadedFile {
    pub row: crate::db::expectations::ExpectationFileRow,
    pub assessment: crate::db::expectations::AssessmentRow,
    pub place: PlaceRow,
}

/// Reading an evidence file (see [`expectation_file`]).
#[derive(Debug, Clone, Copy)]
pub struct ReadFile;

/// Removing an evidence file (see [`expectation_file`]).
#[derive(Debug, Clone, Copy)]
pub struct RemoveFile;

fn load_file(conn: &mut DbConn, caller: &Caller, id: uuid::Uuid) -> Result<(LoadedFile, Side, bool), ApiError> {
    let (row, assessment) =
        db::find_file(conn, &id.to_string())?.ok_or_else(|| ApiError::not_found("evidence file"))?;
    let (place, _) = place(conn, uuid(&assessment.school_id)?)?;
    let (side, submitted) = (assessment.side()?, assessment.submitted_at.is_some());
    // Whoever may not read the side's ratings is not told its files exist.
    if !may_side(caller, Action::Read, place.facts, side, submitted) {
        return Err(ApiError::not_found("evidence file"));
    }
    Ok((LoadedFile { row, assessment, place }, side, submitted))
}

/// An evidence file the caller may read: the side's, as its ratings are (404 otherwise).
pub fn expectation_file(
    conn: &mut DbConn,
    caller: &Caller,
    id: uuid::Uuid,
) -> Result<Allowed<LoadedFile, ReadFile>, ApiError> {
    Ok(Allowed::grant(load_file(conn, caller, id)?.0))
}

/// An evidence file the caller may remove: one of their side's, while it is a draft (409 once
/// submitted; 403 for those who only read it).
pub fn removable_file(
    conn: &mut DbConn,
    caller: &Caller,
    id: uuid::Uuid,
) -> Result<Allowed<LoadedFile, RemoveFile>, ApiError> {
    let (file, side, submitted) = load_file(conn, caller, id)?;
    if !may_side(caller, Action::Update, file.place.facts, side, false) {
        return Err(ApiError::forbidden());
    }
    if submitted {
        let e = trellis_domain::expectations::ExpectationError::Submitted;
        return Err(ApiError::conflict(e.code(), e.to_string()));
    }
    Ok(Allowed::grant(file))
}
