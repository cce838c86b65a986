//! Who may do what with a trust's expectations (seed 002): the trust's admins keep the framework,
//! assess every school of the trust and allocate and review support; each school's leads
//! self-assess their own school and see what the trust allocated them. A side's ratings are
//! private to that side until it submits them — a school's draft is not the trust's to read, nor
//! the trust's draft the school's, and neither is a platform admin's.

use super::{Action, Denied, Resource, Role, SchoolFacts, UserPrincipal, allow};
use crate::expectations::Side;
use crate::ids::OrganisationId;

/// One side's assessment of a school for a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssessmentFacts {
    pub school: SchoolFacts,
    pub side: Side,
    pub submitted: bool,
}

impl UserPrincipal {
    fn administers_trust(&self, trust: Option<OrganisationId>) -> bool {
        self.role == Role::TrustAdmin && trust.is_some() && self.organisation_id == trust
    }

    fn is_head_of(&self, school: &SchoolFacts) -> bool {
        self.role == Role::SchoolLead && self.school_id == Some(school.id)
    }

    /// Writes this side: the school's leads for the school's, the trust's admins for the trust's.
    fn authors(&self, a: &AssessmentFacts) -> bool {
        match a.side {
            Side::School => self.is_head_of(&a.school),
            Side::Trust => self.administers_trust(a.school.trust_id),
        }
    }
}

pub(super) fn authorize_user(u: &UserPrincipal, action: Action, resource: &Resource) -> Result<(), Denied> {
    use Action as A;
    match (resource, action) {
        // The framework: read by the trust's admins and its schools' leads, kept by its admins.
        (Resource::ExpectationFramework { trust, schools }, A::Read) => {
            allow(u.administers_trust(Some(*trust)) || schools.iter().any(|s| u.is_head_of(s)))
        }
        (Resource::ExpectationFramework { trust, .. }, A::Update) => allow(u.administers_trust(Some(*trust))),
        // The heatmap of every school: the trust's admins.
        (Resource::ExpectationFramework { trust, .. }, A::ReadReport) => allow(u.administers_trust(Some(*trust))),
        // A school's expectations page (which sides it shows is `Read` on each assessment).
        (Resource::SchoolExpectations(s), A::Read) => allow(u.is_head_of(s) || u.administers_trust(s.trust_id)),
        (Resource::ExpectationAssessment(a), A::Read) => {
            allow(u.authors(a) || (a.submitted && (u.is_head_of(&a.school) || u.administers_trust(a.school.trust_id))))
        }
        (Resource::ExpectationAssessment(a), A::Update) => allow(u.authors(a)),
        // Support: allocated and reviewed by the trust, seen by the school.
        (Resource::SupportProvision(s), A::Read) => allow(u.is_head_of(s) || u.administers_trust(s.trust_id)),
        (Resource::SupportProvision(s), A::Create | A::Update) => allow(u.administers_trust(s.trust_id)),
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

    fn user(role: Role, org: Option<u128>, school: Option<u128>) -> Principal {
        Principal::User(UserPrincipal {
            user_id: id::<UserId>(900 + school.unwrap_or(0)),
            person_id: Some(id(700 + school.unwrap_or(0))),
            role,
            organisation_id: org.map(id),
            school_id: school.map(id::<SchoolId>),
        })
    }

    #[test]
    fn the_expectations_table() {
        let a = SchoolFacts { id: id(1), trust_id: Some(id(10)) };
        let b = SchoolFacts { id: id(2), trust_id: Some(id(10)) };
        let trust = user(Role::TrustAdmin, Some(10), None);
        let other_trust = user(Role::TrustAdmin, Some(11), None);
        let head_a = user(Role::SchoolLead, None, Some(1));
        let teacher_a = user(Role::Participant, None, Some(1));
        let admin = user(Role::PlatformAdmin, None, None);
        let may = |p: &Principal, action: Action, r: Resource| authorize(p, action, &r).is_ok();
        let framework = || Resource::ExpectationFramework { trust: id(10), schools: vec![a, b] };
        let side =
            |school, side, submitted| Resource::ExpectationAssessment(AssessmentFacts { school, side, submitted });

        assert!(may(&trust, Action::Update, framework()) && may(&head_a, Action::Read, framework()));
        assert!(!may(&head_a, Action::Update, framework()) && !may(&teacher_a, Action::Read, framework()));
        assert!(!may(&other_trust, Action::Read, framework()));
        assert!(may(&trust, Action::ReadReport, framework()) && !may(&head_a, Action::ReadReport, framework()));

        assert!(may(&head_a, Action::Read, Resource::SchoolExpectations(a)));
        assert!(!may(&head_a, Action::Read, Resource::SchoolExpectations(b)), "a school sees only its own");
        assert!(may(&trust, Action::Read, Resource::SchoolExpectations(b)), "the trust sees all of its schools");
        assert!(!may(&teacher_a, Action::Read, Resource::SchoolExpectations(a)));

        // Drafts are their authors' alone, even from platform admins.
        assert!(may(&head_a, Action::Update, side(a, Side::School, false)));
        assert!(
            !may(&trust, Action::Read, side(a, Side::School, false))
                && may(&trust, Action::Read, side(a, Side::School, true))
        );
        assert!(!may(&trust, Action::Update, side(a, Side::School, false)), "the trust does not write the school's");
        assert!(may(&trust, Action::Update, side(a, Side::Trust, false)));
        assert!(
            !may(&head_a, Action::Read, side(a, Side::Trust, false))
                && may(&head_a, Action::Read, side(a, Side::Trust, true))
        );
        assert!(!may(&head_a, Action::Update, side(a, Side::Trust, true)));
        assert!(!may(&head_a, Action::Read, side(b, Side::School, true)), "nor another school's, submitted");
        assert!(
            !may(&admin, Action::Read, side(a, Side::School, false))
                && !may(&admin, Action::Update, side(a, Side::Trust, false))
        );
        assert!(may(&admin, Action::Read, side(a, Side::School, true)));

        assert!(
            may(&head_a, Action::Read, Resource::SupportProvision(a))
                && !may(&head_a, Action::Create, Resource::SupportProvision(a))
        );
        assert!(
            may(&trust, Action::Create, Resource::SupportProvision(b))
                && !may(&other_trust, Action::Read, Resource::SupportProvision(b))
        );
    }
}
