//! What a caller may list, as a filter a query can apply: the list-shaped twin of
//! [`crate::authz::authorize`]'s `Read`. The database layer turns a scope into a SQL `WHERE`, so a
//! list is never loaded whole and filtered in memory. A property test holds every scope to the
//! authorisation function: an object is in the caller's scope exactly when they may read it.

use crate::authz::{CohortFacts, EnrolmentFacts, Principal, Role, SchoolFacts, Scope};
use crate::ids::{OrganisationId, PersonId, SchoolId};

/// The schools a caller may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchoolScope {
    All,
    /// These schools, and every school of this trust; nothing when both are empty.
    Only {
        school_ids: Vec<SchoolId>,
        trust_id: Option<OrganisationId>,
    },
}

impl SchoolScope {
    pub fn contains(&self, s: &SchoolFacts) -> bool {
        match self {
            SchoolScope::All => true,
            SchoolScope::Only { school_ids, trust_id } => {
                school_ids.contains(&s.id) || (trust_id.is_some() && s.trust_id == *trust_id)
            }
        }
    }
}

/// The schools `principal` may read (`authorize(Read, School)`).
pub fn schools(principal: &Principal) -> SchoolScope {
    match principal {
        Principal::User(u) => match u.role {
            Role::PlatformAdmin | Role::Facilitator | Role::Coach | Role::Assessor => SchoolScope::All,
            Role::TrustAdmin => {
                SchoolScope::Only { school_ids: u.school_id.into_iter().collect(), trust_id: u.organisation_id }
            }
            Role::SchoolLead | Role::Participant => {
                SchoolScope::Only { school_ids: u.school_id.into_iter().collect(), trust_id: None }
            }
        },
        Principal::Client(c) => SchoolScope::Only { school_ids: c.school_ids.clone(), trust_id: c.trust_id },
    }
}

/// The enrolments of one cohort a caller may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolmentScope {
    All,
    /// Enrolments at these schools (or this trust's), or of this person, or coached by this
    /// person; nothing when all are empty.
    Where {
        schools: SchoolScope,
        person_id: Option<PersonId>,
        coach_person_id: Option<PersonId>,
    },
}

impl EnrolmentScope {
    pub fn contains(&self, e: &EnrolmentFacts) -> bool {
        match self {
            EnrolmentScope::All => true,
            EnrolmentScope::Where { schools, person_id, coach_person_id } => {
                schools.contains(&e.school)
                    || (person_id.is_some() && *person_id == Some(e.person_id))
                    || (coach_person_id.is_some() && *coach_person_id == e.coach_person_id)
            }
        }
    }
}

const NO_SCHOOLS: SchoolScope = SchoolScope::Only { school_ids: vec![], trust_id: None };

/// The enrolments of a cohort (`cohort`) that `principal` may read (`authorize(Read, Enrolment)`).
pub fn enrolments(principal: &Principal, cohort: &CohortFacts) -> EnrolmentScope {
    match principal {
        Principal::User(u) => {
            let facilitates = u.role == Role::Facilitator
                && (u.person_id.is_some_and(|p| cohort.facilitator_ids.contains(&p))
                    || u.organisation_id == Some(cohort.provider_id));
            if u.role == Role::PlatformAdmin || facilitates {
                return EnrolmentScope::All;
            }
            let schools = match u.role {
                Role::TrustAdmin => SchoolScope::Only { school_ids: vec![], trust_id: u.organisation_id },
                Role::SchoolLead => SchoolScope::Only { school_ids: u.school_id.into_iter().collect(), trust_id: None },
                _ => NO_SCHOOLS,
            };
            EnrolmentScope::Where {
                schools,
                person_id: u.person_id,
                coach_person_id: if u.role == Role::Coach { u.person_id } else { None },
            }
        }
        Principal::Client(c) if c.scopes.contains(&Scope::ProgressRead) => EnrolmentScope::Where {
            schools: SchoolScope::Only { school_ids: c.school_ids.clone(), trust_id: c.trust_id },
            person_id: None,
            coach_person_id: None,
        },
        Principal::Client(_) => EnrolmentScope::Where { schools: NO_SCHOOLS, person_id: None, coach_person_id: None },
    }
}

/// The enrolments of every cohort that `principal` may read without naming a cohort: the scope of
/// the trust-wide progress and CPD feeds. The same as [`enrolments`] for every caller but a
/// facilitator, whose reach is per cohort (they read their cohorts' progress there) and who sees
/// only their own enrolments here; never wider than what [`crate::authorize`] lets them read.
pub fn across_cohorts(principal: &Principal) -> EnrolmentScope {
    match principal {
        Principal::User(u) if u.role == Role::Facilitator => {
            EnrolmentScope::Where { schools: NO_SCHOOLS, person_id: u.person_id, coach_person_id: None }
        }
        _ => enrolments(
            principal,
            &CohortFacts { provider_id: OrganisationId::from(uuid::Uuid::nil()), facilitator_ids: vec![] },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Action, ClientPrincipal, Resource, UserPrincipal, authorize};
    use proptest::prelude::*;

    /// Ids from a small pool, so that principals and objects often share them.
    fn id<T: From<uuid::Uuid> + std::fmt::Debug>() -> impl Strategy<Value = T> {
        (1u128..6).prop_map(|n| uuid::Uuid::from_u128(n).into())
    }

    fn role() -> impl Strategy<Value = Role> {
        prop::sample::select(vec![
            Role::PlatformAdmin,
            Role::TrustAdmin,
            Role::SchoolLead,
            Role::Facilitator,
            Role::Coach,
            Role::Assessor,
            Role::Participant,
        ])
    }

    fn principal() -> impl Strategy<Value = Principal> {
        let user = (role(), prop::option::of(id()), prop::option::of(id()), prop::option::of(id())).prop_map(
            |(role, person_id, organisation_id, school_id)| {
                Principal::User(UserPrincipal {
                    user_id: uuid::Uuid::from_u128(99).into(),
                    person_id,
                    role,
                    organisation_id,
                    school_id,
                })
            },
        );
        let client = (
            prop::sample::subsequence(vec![Scope::RosterWrite, Scope::ProgressRead], 0..=2),
            prop::collection::vec(id(), 0..3),
            prop::option::of(id()),
        )
            .prop_map(|(scopes, school_ids, trust_id)| {
                Principal::Client(ClientPrincipal {
                    client_id: uuid::Uuid::from_u128(98).into(),
                    scopes,
                    school_ids,
                    trust_id,
                })
            });
        prop_oneof![user, client]
    }

    fn school() -> impl Strategy<Value = SchoolFacts> {
        (id(), prop::option::of(id())).prop_map(|(id, trust_id)| SchoolFacts { id, trust_id })
    }

    fn cohort() -> impl Strategy<Value = CohortFacts> {
        (id(), prop::collection::vec(id(), 0..3))
            .prop_map(|(provider_id, facilitator_ids)| CohortFacts { provider_id, facilitator_ids })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn school_scope_is_exactly_what_may_be_read(p in principal(), s in school()) {
            let may = authorize(&p, Action::Read, &Resource::School(s)).is_ok();
            prop_assert_eq!(schools(&p).contains(&s), may, "{:?} on {:?}", p, s);
        }

        #[test]
        fn enrolment_scope_is_exactly_what_may_be_read(
            p in principal(), c in cohort(), person in id(), s in school(), coach in prop::option::of(id()),
        ) {
            let e = EnrolmentFacts { person_id: person, school: s, cohort: c.clone(), coach_person_id: coach };
            let may = authorize(&p, Action::Read, &Resource::Enrolment(e.clone())).is_ok();
            prop_assert_eq!(enrolments(&p, &c).contains(&e), may, "{:?} on {:?}", p, e);
        }

        #[test]
        fn the_cross_cohort_scope_never_reaches_past_what_may_be_read(
            p in principal(), c in cohort(), person in id(), s in school(), coach in prop::option::of(id()),
        ) {
            let e = EnrolmentFacts { person_id: person, school: s, cohort: c.clone(), coach_person_id: coach };
            let may = authorize(&p, Action::Read, &Resource::Enrolment(e.clone())).is_ok();
            let facilitator = matches!(&p, Principal::User(u) if u.role == Role::Facilitator);
            if across_cohorts(&p).contains(&e) {
                prop_assert!(may, "{:?} on {:?}", p, e);
            } else if !facilitator {
                prop_assert!(!may, "{:?} on {:?}", p, e);
            }
        }

        /// The resources that stand for "a new one" or "the list" decide as the real objects do,
        /// whatever their ids would be.
        #[test]
        fn stand_in_resources_decide_as_the_objects_they_stand_for(
            p in principal(), s in school(), person in id(), provider in id(),
        ) {
            let ok = |a: Action, r: Resource| authorize(&p, a, &r).is_ok();
            prop_assert_eq!(
                ok(Action::Create, Resource::NewSchool { trust_id: s.trust_id }),
                ok(Action::Create, Resource::School(s))
            );
            prop_assert_eq!(
                ok(Action::Create, Resource::NewPerson { school: s }),
                ok(Action::Create, Resource::Person { person_id: person, school: s })
            );
            prop_assert_eq!(
                ok(Action::Read, Resource::Catalogue),
                ok(Action::Read, Resource::Programme { provider_id: provider })
            );
        }
    }
}
