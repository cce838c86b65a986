//! Partnership rounds and needs, loaded with the facts that decide access to them and authorised
//! before they are handed out.

use trellis_domain::authz::{Action, Colleague, NeedFacts, Resource, RoundFacts};
use trellis_domain::ids::{OrganisationId, PartnershipNeedId, PartnershipRoundId, PersonId};
use trellis_domain::{OrganisationKind, Principal, Role};

use super::{Allowed, Permission};
use crate::auth::Caller;
use crate::db::facts::{require, uuid};
use crate::db::partnerships::{self as p, MatchRow, NeedRow, PlaceRow, RoundRow};
use crate::db::{DbConn, organisations};
use crate::error::ApiError;

/// What may be done to a round.
pub mod round {
    use trellis_domain::authz::Action;
    permissions! {
        /// See it and its board (the organiser; the leads of each school taking part).
        Read => Action::Read;
        /// Postpone, resume, circulate it (the organiser).
        Run => Action::Update;
    }
}

/// What may be done to a need.
pub mod need {
    use trellis_domain::authz::Action;
    permissions! {
        /// See it, its match, visits and findings.
        Read => Action::Read;
        /// Acknowledge its findings (the host school's leads).
        Host => Action::Update;
        /// Log visits and write the findings up (the colleague; their school's leads).
        Report => Action::Report;
    }
}

/// A round with its schools and the facts access was decided on.
pub struct LoadedRound {
    pub row: RoundRow,
    pub schools: Vec<PlaceRow>,
    pub facts: RoundFacts,
}

impl LoadedRound {
    /// One of the round's schools, by its stored id.
    pub fn school(&self, id: &str) -> Option<&PlaceRow> {
        self.schools.iter().find(|s| s.facts.id.to_string() == id)
    }
}

fn load_rounds(conn: &mut DbConn, rows: Vec<RoundRow>) -> Result<Vec<LoadedRound>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut schools = p::round_schools(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let schools = schools.remove(&row.id).unwrap_or_default();
            let facts = p::round_facts(&row, &schools)?;
            Ok(LoadedRound { row, schools, facts })
        })
        .collect()
}

fn load_round(conn: &mut DbConn, id: &str) -> Result<LoadedRound, ApiError> {
    let row = p::find_round(conn, id)?.ok_or_else(|| ApiError::not_found("partnership round"))?;
    load_rounds(conn, vec![row])?.pop().ok_or_else(|| ApiError::not_found("partnership round"))
}

pub fn round<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: PartnershipRoundId,
) -> Result<Allowed<LoadedRound, A>, ApiError> {
    let round = load_round(conn, &id.to_string())?;
    require(caller, A::ACTION, &Resource::PartnershipRound(round.facts.clone()), "partnership round")?;
    Ok(Allowed::grant(round))
}

/// The rounds the caller may read, newest first.
pub fn rounds(conn: &mut DbConn, caller: &Caller) -> Result<Vec<Allowed<LoadedRound, round::Read>>, ApiError> {
    let Principal::User(u) = &caller.principal else { return Ok(vec![]) };
    let org = u.organisation_id.map(|o| o.to_string());
    let schools: Vec<String> = u.school_id.map(|s| s.to_string()).into_iter().collect();
    let rows = p::candidate_rounds(conn, org.as_deref(), &schools, u.role == Role::PlatformAdmin)?;
    Ok(load_rounds(conn, rows)?
        .into_iter()
        .filter(|r| {
            trellis_domain::authorize(&caller.principal, Action::Read, &Resource::PartnershipRound(r.facts.clone()))
                .is_ok()
        })
        .map(Allowed::grant)
        .collect())
}

/// A round not yet made: its trust and the schools chosen to take part.
pub struct NewRound {
    pub organisation_id: OrganisationId,
    pub schools: Vec<PlaceRow>,
}

/// Making a round (see [`new_round`]).
#[derive(Debug, Clone, Copy)]
pub struct CreateRound;

/// A round for this trust, with these of its schools (all of them when `None`): 404 for an
/// organisation that is not a trust, 403 for one the caller does not administer, 422
/// `school_not_in_round` for a school that is not the trust's.
pub fn new_round(
    conn: &mut DbConn,
    caller: &Caller,
    organisation_id: OrganisationId,
    school_ids: Option<&[uuid::Uuid]>,
) -> Result<Allowed<NewRound, CreateRound>, ApiError> {
    organisations::require_org_kind(conn, organisation_id.uuid(), OrganisationKind::Trust, "organisation_id")?;
    let all = p::trust_schools(conn, &organisation_id.to_string())?;
    let facts = RoundFacts { organiser: organisation_id, schools: all.iter().map(|s| s.facts).collect() };
    if trellis_domain::authorize(&caller.principal, Action::Create, &Resource::PartnershipRound(facts)).is_err() {
        return Err(ApiError::forbidden());
    }
    let schools = match school_ids {
        None => all,
        Some(ids) => {
            let mut chosen = vec![];
            for (i, id) in ids.iter().enumerate() {
                let s = all.iter().find(|s| s.facts.id.uuid() == *id).ok_or_else(|| {
                    ApiError::field("school_not_in_round", &format!("school_ids[{i}]"), "not a school of this trust")
                })?;
                if !chosen.iter().any(|c: &PlaceRow| c.facts.id == s.facts.id) {
                    chosen.push(s.clone());
                }
            }
            chosen
        }
    };
    if schools.is_empty() {
        return Err(ApiError::field("school_not_in_round", "school_ids", "the trust has no schools to take part"));
    }
    Ok(Allowed::grant(NewRound { organisation_id, schools }))
}

/// A need with its round, match and the facts access was decided on.
pub struct LoadedNeed {
    pub row: NeedRow,
    pub matched: Option<MatchRow>,
    pub round: LoadedRound,
    pub facts: NeedFacts,
}

fn need_facts(round: &LoadedRound, row: &NeedRow, m: Option<&MatchRow>) -> Result<NeedFacts, ApiError> {
    let in_round = |id: &str| -> Result<trellis_domain::authz::SchoolFacts, ApiError> {
        let id: trellis_domain::ids::SchoolId = uuid(id)?;
        round
            .schools
            .iter()
            .find(|s| s.facts.id == id)
            .map(|s| s.facts)
            .ok_or_else(|| ApiError::internal("a partnership school that is not in its round"))
    };
    let colleague = match m {
        Some(m) => Some(Colleague { person_id: uuid(&m.person_id)?, school: in_round(&m.school_id)? }),
        None => None,
    };
    Ok(NeedFacts { round: round.facts.clone(), host: in_round(&row.school_id)?, colleague })
}

fn load_need(conn: &mut DbConn, id: &str) -> Result<LoadedNeed, ApiError> {
    let (row, matched) = p::find_need(conn, id)?.ok_or_else(|| ApiError::not_found("partnership need"))?;
    let round = load_round(conn, &row.round_id)?;
    let facts = need_facts(&round, &row, matched.as_ref())?;
    Ok(LoadedNeed { row, matched, round, facts })
}

pub fn need<A: Permission>(
    conn: &mut DbConn,
    caller: &Caller,
    id: PartnershipNeedId,
) -> Result<Allowed<LoadedNeed, A>, ApiError> {
    let need = load_need(conn, &id.to_string())?;
    require(caller, A::ACTION, &Resource::PartnershipNeed(need.facts.clone()), "partnership need")?;
    Ok(Allowed::grant(need))
}

/// The round's needs (whoever reads a round reads its board), by host school name, then when posted.
pub fn needs_of<A: Permission>(
    conn: &mut DbConn,
    round: &Allowed<LoadedRound, A>,
) -> Result<Vec<Allowed<LoadedNeed, need::Read>>, ApiError> {
    let mut out = vec![];
    for (row, matched) in p::needs_of_round(conn, &round.row.id)? {
        let facts = need_facts(round, &row, matched.as_ref())?;
        let round = LoadedRound { row: round.row.clone(), schools: round.schools.clone(), facts: round.facts.clone() };
        out.push(Allowed::grant(LoadedNeed { row, matched, round, facts }));
    }
    let name = |n: &LoadedNeed| n.round.school(&n.row.school_id).map(|s| s.name.clone());
    out.sort_by(|a, b| name(a).cmp(&name(b)).then_with(|| a.row.id.cmp(&b.row.id)));
    Ok(out)
}

/// The needs the calling user is the matched colleague on, newest first.
pub fn my_needs(conn: &mut DbConn, caller: &Caller) -> Result<Vec<Allowed<LoadedNeed, need::Read>>, ApiError> {
    let Principal::User(u) = &caller.principal else {
        return Err(ApiError::bad_request("users_only", "a machine client is never matched to a need"));
    };
    let Some(person) = u.person_id else { return Ok(vec![]) };
    let mut out = vec![];
    for (row, _) in p::needs_of_colleague(conn, &person.to_string())? {
        let need = load_need(conn, &row.id)?;
        if trellis_domain::authorize(&caller.principal, Action::Read, &Resource::PartnershipNeed(need.facts.clone()))
            .is_ok()
        {
            out.push(Allowed::grant(need));
        }
    }
    Ok(out)
}

/// A need to be posted, at this host school of the round.
pub struct NewNeed {
    pub round: LoadedRound,
    pub host: PlaceRow,
}

#[derive(Debug, Clone, Copy)]
pub struct PostNeed;

/// Posting a need for `school_id`: 404 when the caller may not read the round, 422
/// `school_not_in_round` when the school does not take part, 403 when the caller does not lead it.
pub fn new_need(
    conn: &mut DbConn,
    caller: &Caller,
    round_id: PartnershipRoundId,
    school_id: uuid::Uuid,
) -> Result<Allowed<NewNeed, PostNeed>, ApiError> {
    let round = round::<round::Read>(conn, caller, round_id)?.value;
    let host = round.schools.iter().find(|s| s.facts.id.uuid() == school_id).cloned().ok_or_else(|| {
        ApiError::field("school_not_in_round", "school_id", "the school does not take part in this round")
    })?;
    let facts = NeedFacts { round: round.facts.clone(), host: host.facts, colleague: None };
    if trellis_domain::authorize(&caller.principal, Action::Create, &Resource::PartnershipNeed(facts)).is_err() {
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant(NewNeed { round, host }))
}

/// A colleague, at a school taking part in the round, for the need or offer at hand.
fn colleague_in(conn: &mut DbConn, round: &LoadedRound, person_id: PersonId) -> Result<Colleague, ApiError> {
    let refuse = || ApiError::field("not_staff_of_school", "person_id", "not on the staff of a school taking part");
    let (school, current) = p::person_school(conn, &person_id.to_string())?.ok_or_else(refuse)?;
    let school = round.school(&school).filter(|_| current).ok_or_else(refuse)?;
    Ok(Colleague { person_id, school: school.facts })
}

/// Matching a colleague to a need (see [`need_match`]).
#[derive(Debug, Clone, Copy)]
pub struct MatchColleague;

/// The need, with the colleague the caller proposes: 404 when the caller may not read the need,
/// 422 `not_staff_of_school` for someone not on the staff of a school taking part, 403 when the
/// caller does not lead the colleague's school.
pub fn need_match(
    conn: &mut DbConn,
    caller: &Caller,
    id: PartnershipNeedId,
    person_id: PersonId,
) -> Result<Allowed<(LoadedNeed, Colleague), MatchColleague>, ApiError> {
    let need = need::<need::Read>(conn, caller, id)?.value;
    let colleague = colleague_in(conn, &need.round, person_id)?;
    let proposed = NeedFacts { colleague: Some(colleague), ..need.facts.clone() };
    if trellis_domain::authorize(&caller.principal, Action::Match, &Resource::PartnershipNeed(proposed)).is_err() {
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant((need, colleague)))
}

/// The schools whose staff the caller may match to this need: those taking part that they lead,
/// other than the host.
pub fn matching_schools_of(caller: &Caller, need: &LoadedNeed) -> Vec<PlaceRow> {
    need.round
        .schools
        .iter()
        .filter(|s| s.facts.id != need.facts.host.id)
        .filter(|s| {
            // Anyone at the school stands for it: may the caller match them?
            let c = Colleague { person_id: PersonId::from(uuid::Uuid::nil()), school: s.facts };
            let facts = NeedFacts { colleague: Some(c), ..need.facts.clone() };
            trellis_domain::authorize(&caller.principal, Action::Match, &Resource::PartnershipNeed(facts)).is_ok()
        })
        .cloned()
        .collect()
}

/// Changing a member of staff's offer in a round.
#[derive(Debug, Clone, Copy)]
pub struct ChangeOffer;

/// A person's offer in a round: 404 when the caller may not read the round, 422 for someone not
/// on the staff of a school taking part, 403 when the caller is neither them nor their school's lead.
pub fn offer(
    conn: &mut DbConn,
    caller: &Caller,
    round_id: PartnershipRoundId,
    person_id: PersonId,
) -> Result<Allowed<(LoadedRound, Colleague), ChangeOffer>, ApiError> {
    let round = load_round(conn, &round_id.to_string())?;
    let colleague = match colleague_in(conn, &round, person_id) {
        Ok(c) => c,
        Err(e) => {
            require(caller, Action::Read, &Resource::PartnershipRound(round.facts.clone()), "partnership round")?;
            return Err(e);
        }
    };
    let resource = Resource::PartnershipOffer { round: round.facts.clone(), colleague };
    if trellis_domain::authorize(&caller.principal, Action::Update, &resource).is_err() {
        require(caller, Action::Read, &Resource::PartnershipRound(round.facts.clone()), "partnership round")?;
        return Err(ApiError::forbidden());
    }
    Ok(Allowed::grant((round, colleague)))
}

/// Whether the caller may do `action` to the need (for the `actions` the SPA shows).
pub fn may(caller: &Caller, action: Action, need: &LoadedNeed) -> bool {
    trellis_domain::authorize(&caller.principal, action, &Resource::PartnershipNeed(need.facts.clone())).is_ok()
}

/// Whether the caller may do `action` to the round.
pub fn may_round(caller: &Caller, action: Action, round: &LoadedRound) -> bool {
    trellis_domain::authorize(&caller.principal, action, &Resource::PartnershipRound(round.facts.clone())).is_ok()
}
