//! Who may do what in a school-to-school partnership round: the organising trust's admins run
//! the round; each participating school's leads post their school's needs, match their own staff
//! to other schools' needs and acknowledge findings on their own; the matched colleague (and their
//! school's leads) log visits and write the findings up. The board is shared by every
//! participating school; a colleague sees the need they work on.

use super::{Action, Denied, Resource, Role, SchoolFacts, UserPrincipal, allow};
use crate::ids::{OrganisationId, PersonId};

/// A round: the trust that organises it and the schools taking part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundFacts {
    pub organiser: OrganisationId,
    pub schools: Vec<SchoolFacts>,
}

/// A member of staff matched (or to be matched) to a need, with their own school.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colleague {
    pub person_id: PersonId,
    pub school: SchoolFacts,
}

/// A need: its round, the host school that posted it, and the colleague matched to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedFacts {
    pub round: RoundFacts,
    pub host: SchoolFacts,
    pub colleague: Option<Colleague>,
}

impl RoundFacts {
    fn takes_part(&self, school: &SchoolFacts) -> bool {
        self.schools.iter().any(|s| s.id == school.id)
    }
}

impl UserPrincipal {
    fn organises(&self, r: &RoundFacts) -> bool {
        self.role == Role::TrustAdmin && self.organisation_id == Some(r.organiser)
    }

    fn reads_round(&self, r: &RoundFacts) -> bool {
        self.organises(r) || r.schools.iter().any(|s| self.leads_school(s))
    }

    fn is_colleague(&self, c: Option<&Colleague>) -> bool {
        c.is_some_and(|c| self.person_id == Some(c.person_id))
    }
}

pub(super) fn authorize_user(u: &UserPrincipal, action: Action, resource: &Resource) -> Result<(), Denied> {
    use Action as A;
    match (resource, action) {
        (Resource::PartnershipRound(r), A::Read) => allow(u.reads_round(r)),
        // Running the round (making it, postponing it, circulating its board): the organiser.
        (Resource::PartnershipRound(r), A::Create | A::Update) => allow(u.organises(r)),
        (Resource::PartnershipNeed(n), A::Read) => {
            allow(u.reads_round(&n.round) || u.is_colleague(n.colleague.as_ref()))
        }
        // A school posts, edits and acknowledges its own needs.
        (Resource::PartnershipNeed(n), A::Create | A::Update) => {
            allow(n.round.takes_part(&n.host) && u.leads_school(&n.host))
        }
        // A school matches its own staff (whether to another school's need is the domain's
        // `check_match`, a 422, not a refusal).
        (Resource::PartnershipNeed(n), A::Match) => {
            allow(n.colleague.is_some_and(|c| n.round.takes_part(&c.school) && u.leads_school(&c.school)))
        }
        // Visits and the write-up: the colleague, or their own school's leads for them.
        (Resource::PartnershipNeed(n), A::Report) => {
            allow(u.is_colleague(n.colleague.as_ref()) || n.colleague.is_some_and(|c| u.leads_school(&c.school)))
        }
        // Putting oneself forward, or one's own staff.
        (Resource::PartnershipOffer { round, colleague }, A::Read | A::Update) => allow(
            round.takes_part(&colleague.school)
                && (u.person_id == Some(colleague.person_id) || u.leads_school(&colleague.school)),
        ),
        _ => Err(Denied),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Principal, authorize};
    use super::*;
    use crate::ids::{SchoolId, UserId};

    fn id<T: From<uuid::Uuid>>(n: u128) -> T {
        uuid::Uuid::from_u128(n).into()
    }

    fn school(n: u128, trust: u128) -> SchoolFacts {
        SchoolFacts { id: id(n), trust_id: Some(id(trust)) }
    }

    fn user(role: Role, org: Option<u128>, school: Option<u128>, person: Option<u128>) -> Principal {
        Principal::User(UserPrincipal {
            user_id: id::<UserId>(900 + person.unwrap_or(0)),
            person_id: person.map(id),
            role,
            organisation_id: org.map(id),
            school_id: school.map(id::<SchoolId>),
        })
    }

    #[test]
    fn the_partnership_table() {
        let (a, b, c) = (school(1, 10), school(2, 10), school(3, 10));
        let round = RoundFacts { organiser: id(10), schools: vec![a, b] };
        let open = NeedFacts { round: round.clone(), host: a, colleague: None };
        let proposed = NeedFacts { colleague: Some(Colleague { person_id: id(50), school: b }), ..open.clone() };
        let outsider_school = NeedFacts { colleague: Some(Colleague { person_id: id(51), school: c }), ..open.clone() };

        let trust = user(Role::TrustAdmin, Some(10), None, None);
        let other_trust = user(Role::TrustAdmin, Some(11), None, None);
        let lead_a = user(Role::SchoolLead, None, Some(1), Some(60));
        let lead_b = user(Role::SchoolLead, None, Some(2), Some(61));
        let lead_c = user(Role::SchoolLead, None, Some(3), Some(62));
        let colleague = user(Role::Participant, None, Some(2), Some(50));
        let stranger = user(Role::Participant, None, Some(2), Some(52));
        let may =
            |p: &Principal, a: Action, n: &NeedFacts| authorize(p, a, &Resource::PartnershipNeed(n.clone())).is_ok();
        let round_r = Resource::PartnershipRound(round.clone());

        assert!(authorize(&trust, Action::Update, &round_r).is_ok());
        assert!(authorize(&lead_a, Action::Read, &round_r).is_ok());
        assert!(authorize(&lead_a, Action::Update, &round_r).is_err(), "a school does not run the round");
        assert!(authorize(&lead_c, Action::Read, &round_r).is_err(), "a school not taking part");
        assert!(authorize(&other_trust, Action::Read, &round_r).is_err());

        assert!(may(&lead_a, Action::Create, &open) && may(&trust, Action::Create, &open));
        assert!(!may(&lead_b, Action::Create, &open), "B does not post A's needs");
        assert!(may(&lead_b, Action::Read, &open) && !may(&stranger, Action::Read, &open));
        assert!(may(&lead_b, Action::Match, &proposed), "B matches its own staff");
        assert!(!may(&lead_a, Action::Match, &proposed), "A does not match B's staff");
        assert!(!may(&lead_c, Action::Match, &outsider_school), "C takes no part");
        assert!(may(&colleague, Action::Read, &proposed) && may(&colleague, Action::Report, &proposed));
        assert!(may(&lead_b, Action::Report, &proposed) && !may(&lead_a, Action::Report, &proposed));
        assert!(may(&lead_a, Action::Update, &proposed), "the host acknowledges");
        assert!(!may(&colleague, Action::Update, &proposed));
        assert!(!may(&stranger, Action::Report, &proposed));

        let offer = |c: Colleague| Resource::PartnershipOffer { round: round.clone(), colleague: c };
        let mine = offer(Colleague { person_id: id(50), school: b });
        assert!(
            authorize(&colleague, Action::Update, &mine).is_ok() && authorize(&lead_b, Action::Update, &mine).is_ok()
        );
        assert!(
            authorize(&lead_a, Action::Update, &mine).is_err() && authorize(&stranger, Action::Update, &mine).is_err()
        );
        let outside = offer(Colleague { person_id: id(62), school: c });
        assert!(authorize(&lead_c, Action::Update, &outside).is_err(), "C takes no part");
    }
}
