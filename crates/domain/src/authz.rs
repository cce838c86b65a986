//! Who may do what to which object: one pure function, [`authorize`], called by every handler
//! that touches an object, and tested here as a table.
//!
//! The caller's identity arrives as a [`Principal`]; the object arrives as a [`Resource`] carrying
//! the facts that decide access (which school a person belongs to, which trust that school is in,
//! who facilitates a cohort). The database layer loads those facts; this module decides.

use crate::ids::{ClientId, OrganisationId, PersonId, SchoolId, UserId};
use serde::{Deserialize, Serialize};

pub mod expectations;
pub mod partnership;
pub use expectations::AssessmentFacts;
pub use partnership::{Colleague, NeedFacts, RoundFacts};

crate::wire_enum! {
    /// A signed-in user's role.
    pub enum Role {
        PlatformAdmin => "platform_admin",
        TrustAdmin => "trust_admin",
        SchoolLead => "school_lead",
        Facilitator => "facilitator",
        Coach => "coach",
        Assessor => "assessor",
        Participant => "participant",
    }
}

crate::wire_enum! {
    /// What a machine client (an MIS, a dashboard) may do.
    pub enum Scope {
        /// Push staff rosters: read and write people of the client's schools.
        RosterWrite => "roster:write",
        /// Pull progress: read enrolments of the client's schools' staff.
        ProgressRead => "progress:read",
    }
}

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPrincipal {
    pub user_id: UserId,
    pub person_id: Option<PersonId>,
    pub role: Role,
    /// The trust (trust admin) or provider (facilitator, coach, assessor) the user works for.
    pub organisation_id: Option<OrganisationId>,
    /// The school of a school lead or participant.
    pub school_id: Option<SchoolId>,
}

/// A machine client holding a client-credentials token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPrincipal {
    pub client_id: ClientId,
    pub scopes: Vec<Scope>,
    /// The schools the client is limited to.
    pub school_ids: Vec<SchoolId>,
    /// Or: every school of this trust.
    pub trust_id: Option<OrganisationId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    User(UserPrincipal),
    Client(ClientPrincipal),
}

/// What the caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Create,
    Update,
    /// List the people of a school.
    ListPeople,
    /// Move an enrolment through its lifecycle.
    Transition(crate::enrolment::TransitionKind),
    /// Name the coach of an enrolment.
    AssignCoach,
    /// Record a coaching session (the coach).
    LogCoaching,
    /// Read what was said in coaching (the coach and the coachee only).
    ReadCoachingNotes,
    /// Verify a portfolio entry, or return it with comments (the coach or a tutor); verify the
    /// evidence of an assessment submission (the coach).
    Verify,
    /// Assign a submission's marker and moderator (the cohort's facilitators).
    AssignAssessor,
    /// Mark a submission (its assigned marker).
    Mark,
    /// Moderate a submission's mark (its assigned moderator).
    Moderate,
    /// Release a submission's outcome to the participant (the cohort's facilitators).
    Release,
    /// Read a submission's judgements and feedback.
    ReadFeedback,
    /// Award a certificate, or revoke one (the certifier the programme names).
    Certify,
    /// Write one's own 360 self-review (the participant).
    SelfReview,
    /// Read a 360 round's report (the participant and their coach); a trust's expectations
    /// heatmap across its schools (its admins).
    ReadReport,
    /// Match a member of one's own staff to another school's partnership need.
    Match,
    /// Log a partnership visit or write up its findings (the matched colleague).
    Report,
}

/// The facts about a school that decide access to it and to everything in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchoolFacts {
    pub id: SchoolId,
    pub trust_id: Option<OrganisationId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortFacts {
    pub provider_id: OrganisationId,
    /// Person ids of the cohort's facilitators.
    pub facilitator_ids: Vec<PersonId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentFacts {
    pub person_id: PersonId,
    pub school: SchoolFacts,
    pub cohort: CohortFacts,
    pub coach_person_id: Option<PersonId>,
}

/// The object being acted on, with the facts that decide access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// Organisations are a public directory; creating one is for platform admins.
    Organisation,
    /// An organisation's own settings, such as its term dates: its admins may change them.
    OrganisationSettings {
        id: OrganisationId,
    },
    /// The catalogue as a list (organisations, programmes, cohorts): readable where its entries are.
    Catalogue,
    School(SchoolFacts),
    /// A school not yet created, in this trust (or in none).
    NewSchool {
        trust_id: Option<OrganisationId>,
    },
    /// A person not yet added, at this school.
    NewPerson {
        school: SchoolFacts,
    },
    Person {
        person_id: PersonId,
        school: SchoolFacts,
    },
    /// A programme run by `provider_id`.
    Programme {
        provider_id: OrganisationId,
    },
    Cohort(CohortFacts),
    Enrolment(EnrolmentFacts),
    /// A role held (or offered) in a context: granting it (an invitation) is `Create`, revoking
    /// it `Update`, seeing who holds it `Read`.
    RoleGrant(RoleGrant),
    /// A machine client acting for a whole trust and/or some schools.
    MachineClient {
        trust_id: Option<OrganisationId>,
        schools: Vec<SchoolFacts>,
    },
    /// The email outbox and the audit trail of the whole platform: platform admins only.
    Platform,
    /// A work-based project: readable by whoever may read one of its team's enrolments, changed
    /// by its team and the cohort's facilitators (its tutors).
    Project(ProjectFacts),
    /// A project not yet made, for this team.
    NewProject(ProjectFacts),
    /// A portfolio entry's contents (its state is part of the enrolment: `Read` on that).
    PortfolioEntry(EntryFacts),
    /// A final-assessment submission: the participant's, read by their coach, the cohort's
    /// facilitators and the assessors assigned to it — no other assessor.
    Submission(SubmissionFacts),
    /// An enrolment's certificate (made or to be made), awarded by the programme's certifier.
    Certificate(CertificateFacts),
    /// An enrolment's 360 diagnostic (its rounds): completion is read by whoever reads the
    /// enrolment; rounds are run by the participant and the cohort's facilitators; the report is
    /// the participant's and their coach's alone.
    Diagnostic(EnrolmentFacts),
    /// A machine client's webhook subscriptions (made, read and changed by that client alone:
    /// they hold its signing secret and its integration's shape, so not even platform admins).
    WebhookSubscription {
        client_id: crate::ids::ClientId,
    },
    /// A school-to-school partnership round (see [`partnership`]).
    PartnershipRound(partnership::RoundFacts),
    /// A need posted to a partnership round, with its match, visits and findings.
    PartnershipNeed(partnership::NeedFacts),
    /// A member of staff's offer to take on needs of some areas in a round.
    PartnershipOffer {
        round: partnership::RoundFacts,
        colleague: partnership::Colleague,
    },
    /// A trust's expectations framework (see [`expectations`]), with the trust's schools.
    ExpectationFramework {
        trust: OrganisationId,
        schools: Vec<SchoolFacts>,
    },
    /// A school's expectations reviews and their history.
    SchoolExpectations(SchoolFacts),
    /// One side's ratings of a school for a term: private to that side until submitted.
    ExpectationAssessment(expectations::AssessmentFacts),
    /// The support a trust allocates a school, and its termly reviews.
    SupportProvision(SchoolFacts),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionFacts {
    pub enrolment: EnrolmentFacts,
    /// The assessor assigned to mark it.
    pub marker: Option<UserId>,
    /// The assessor assigned to moderate the mark.
    pub moderator: Option<UserId>,
    /// The outcome is released to the participant.
    pub released: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    pub enrolment: EnrolmentFacts,
    pub by: crate::rules::definition::Certifier,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub cohort: CohortFacts,
    /// The team's enrolments (one to a few, all of the cohort).
    pub team: Vec<EnrolmentFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFacts {
    pub enrolment: EnrolmentFacts,
    pub state: crate::portfolio::EntryState,
    /// The participant shared it with those who may see their enrolment (their school's leads).
    pub shared: bool,
}

/// A role in its context, as [`Resource::RoleGrant`] decides access to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleGrant {
    pub role: Role,
    /// The trust or provider, for organisation roles.
    pub organisation_id: Option<OrganisationId>,
    /// The school, for school roles.
    pub school: Option<SchoolFacts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not permitted")]
pub struct Denied;

fn allow(ok: bool) -> Result<(), Denied> {
    if ok { Ok(()) } else { Err(Denied) }
}

impl UserPrincipal {
    /// Trust admin of the school's trust, or school lead of the school itself.
    fn leads_school(&self, school: &SchoolFacts) -> bool {
        match self.role {
            Role::TrustAdmin => school.trust_id.is_some() && school.trust_id == self.organisation_id,
            Role::SchoolLead => self.school_id == Some(school.id),
            _ => false,
        }
    }

    fn works_for_provider(&self, provider_id: OrganisationId) -> bool {
        self.role == Role::Facilitator && self.organisation_id == Some(provider_id)
    }

    fn facilitates(&self, cohort: &CohortFacts) -> bool {
        self.role == Role::Facilitator
            && (self.person_id.is_some_and(|p| cohort.facilitator_ids.contains(&p))
                || self.works_for_provider(cohort.provider_id))
    }

    fn is_coach_of(&self, e: &EnrolmentFacts) -> bool {
        self.role == Role::Coach && self.person_id.is_some() && self.person_id == e.coach_person_id
    }

    /// Who may invite whom: trust admins for their trust and its schools, school leads for their
    /// school, facilitators for their provider's staff. (Platform admins: everything.)
    fn may_grant(&self, g: &RoleGrant) -> bool {
        let school_role = matches!(g.role, Role::SchoolLead | Role::Participant);
        let provider_role = matches!(g.role, Role::Facilitator | Role::Coach | Role::Assessor);
        match self.role {
            Role::TrustAdmin => {
                (g.role == Role::TrustAdmin && g.organisation_id.is_some() && g.organisation_id == self.organisation_id)
                    || (school_role && g.school.is_some_and(|s| self.leads_school(&s)))
            }
            Role::SchoolLead => school_role && g.school.is_some_and(|s| self.leads_school(&s)),
            Role::Facilitator => {
                provider_role && g.organisation_id.is_some() && g.organisation_id == self.organisation_id
            }
            _ => false,
        }
    }

    /// A client for a whole trust is its trust admins'; one for schools, each school's leads'.
    fn may_manage_client(&self, trust_id: Option<OrganisationId>, schools: &[SchoolFacts]) -> bool {
        (trust_id.is_some() || !schools.is_empty())
            && trust_id.is_none_or(|t| self.role == Role::TrustAdmin && self.organisation_id == Some(t))
            && schools.iter().all(|s| self.leads_school(s))
    }

    /// The coach of the enrolment, or a facilitator of its cohort (a tutor).
    fn verifies(&self, e: &EnrolmentFacts) -> bool {
        self.is_coach_of(e) || self.facilitates(&e.cohort)
    }

    fn is_participant(&self, e: &EnrolmentFacts) -> bool {
        self.person_id.is_some() && self.person_id == Some(e.person_id)
    }

    /// An assessor assigned to mark or moderate the submission.
    fn assesses(&self, x: &SubmissionFacts) -> bool {
        self.role == Role::Assessor && (x.marker == Some(self.user_id) || x.moderator == Some(self.user_id))
    }

    fn is_provider_staff(&self) -> bool {
        matches!(self.role, Role::Facilitator | Role::Coach | Role::Assessor)
    }
}

impl ClientPrincipal {
    pub(crate) fn covers(&self, school: &SchoolFacts) -> bool {
        self.school_ids.contains(&school.id) || (school.trust_id.is_some() && school.trust_id == self.trust_id)
    }

    fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// Decides whether `principal` may perform `action` on `resource`.
pub fn authorize(principal: &Principal, action: Action, resource: &Resource) -> Result<(), Denied> {
    // A participant's own work and their coaching conversations are private even from platform
    // admins: those actions are decided by the rules alone, whoever asks.
    let private = matches!(
        (action, resource),
        (Action::LogCoaching | Action::ReadCoachingNotes | Action::Update, Resource::Enrolment(_))
            | (_, Resource::PortfolioEntry(_))
            | (Action::Update | Action::Verify | Action::Mark | Action::Moderate, Resource::Submission(_))
            | (Action::Update, Resource::Certificate(_))
            | (Action::SelfReview | Action::ReadReport, Resource::Diagnostic(_))
            | (_, Resource::WebhookSubscription { .. })
            | (Action::Update, Resource::ExpectationAssessment(_))
    ) || matches!(resource, Resource::ExpectationAssessment(a) if !a.submitted);
    // An organisation's settings are part of the organisation: whoever may read it may read them,
    // so a caller who may not change them is told so (403) rather than that they do not exist.
    if let (Resource::OrganisationSettings { .. }, Action::Read) = (resource, action) {
        return authorize(principal, Action::Read, &Resource::Organisation);
    }
    match principal {
        Principal::User(u) if u.role == Role::PlatformAdmin && !private => Ok(()),
        Principal::User(u) => authorize_user(u, action, resource),
        Principal::Client(c) => authorize_client(c, action, resource),
    }
}

/// The lifecycle moves `principal` may make on an enrolment now: of those `legal` from its state,
/// the ones [`authorize`] permits. The server sends these with each enrolment, so a client shows
/// exactly the buttons that will work.
pub fn permitted_transitions(
    principal: &Principal,
    facts: &EnrolmentFacts,
    legal: &[crate::enrolment::TransitionKind],
) -> Vec<crate::enrolment::TransitionKind> {
    let resource = Resource::Enrolment(facts.clone());
    legal.iter().copied().filter(|k| authorize(principal, Action::Transition(*k), &resource).is_ok()).collect()
}

/// The moves `principal` may make on a portfolio entry now: of those open from its state, the
/// participant's (submit, withdraw) and the verifier's (verify, return) that [`authorize`] permits.
pub fn permitted_entry_moves(principal: &Principal, facts: &EntryFacts) -> Vec<crate::portfolio::EntryMove> {
    use crate::portfolio::EntryMove as M;
    let resource = Resource::PortfolioEntry(facts.clone());
    let may = |a| authorize(principal, a, &resource).is_ok();
    facts
        .state
        .moves()
        .into_iter()
        .filter(|m| match m {
            M::Submit | M::Withdraw => may(Action::Update),
            M::Verify | M::Return => may(Action::Verify),
        })
        .collect()
}

fn authorize_user(u: &UserPrincipal, action: Action, resource: &Resource) -> Result<(), Denied> {
    use Action as A;
    match (resource, action) {
        // Catalogue information: every signed-in user may read organisations, programmes and cohorts.
        (Resource::Organisation | Resource::Catalogue | Resource::Programme { .. } | Resource::Cohort(_), A::Read) => {
            Ok(())
        }
        (Resource::Organisation | Resource::Catalogue, _) => Err(Denied),
        (Resource::OrganisationSettings { id }, A::Update) => {
            allow(u.role == Role::TrustAdmin && u.organisation_id == Some(*id))
        }
        (Resource::OrganisationSettings { .. }, _) => Err(Denied),
        (Resource::Programme { provider_id }, A::Create | A::Update) => allow(u.works_for_provider(*provider_id)),
        (Resource::Cohort(c), A::Create) => allow(u.works_for_provider(c.provider_id)),
        // Running a cohort (its sessions, registers and groups) is for its facilitators.
        (Resource::Cohort(c), A::Update) => allow(u.facilitates(c)),
        (Resource::Programme { .. } | Resource::Cohort(_), _) => Err(Denied),

        (Resource::School(s), A::Read) => {
            allow(u.leads_school(s) || u.school_id == Some(s.id) || u.is_provider_staff())
        }
        (Resource::School(s), A::Create | A::Update) => allow(u.role == Role::TrustAdmin && u.leads_school(s)),
        (Resource::School(s), A::ListPeople) => allow(u.leads_school(s)),
        (Resource::School(_), _) => Err(Denied),
        (Resource::NewSchool { trust_id }, A::Create) => {
            allow(u.role == Role::TrustAdmin && trust_id.is_some() && *trust_id == u.organisation_id)
        }
        (Resource::NewPerson { school }, A::Create) => allow(u.leads_school(school)),
        (Resource::NewSchool { .. } | Resource::NewPerson { .. }, _) => Err(Denied),

        (Resource::Person { person_id, school }, A::Read) => {
            allow(u.leads_school(school) || u.person_id == Some(*person_id))
        }
        (Resource::Person { school, .. }, A::Create | A::Update) => allow(u.leads_school(school)),
        (Resource::Person { .. }, _) => Err(Denied),

        (Resource::Enrolment(e), A::Read) => allow(
            u.leads_school(&e.school)
                || u.facilitates(&e.cohort)
                || (u.person_id.is_some() && u.person_id == Some(e.person_id))
                || (u.role == Role::Coach && u.person_id.is_some() && u.person_id == e.coach_person_id),
        ),
        // Nomination: a school puts its own staff forward; a facilitator may enrol directly.
        (Resource::Enrolment(e), A::Create) => allow(u.leads_school(&e.school) || u.facilitates(&e.cohort)),
        // The participant's own work on their enrolment (such as a report draft) is theirs alone.
        (Resource::Enrolment(e), A::Update) => allow(u.person_id.is_some() && u.person_id == Some(e.person_id)),
        (Resource::Enrolment(e), A::AssignCoach) => allow(u.leads_school(&e.school) || u.facilitates(&e.cohort)),
        // Only someone signed in as a coach is ever "the coach": naming a school lead as coach
        // must not open the notes to them.
        (Resource::Enrolment(e), A::LogCoaching) => allow(u.is_coach_of(e)),
        (Resource::Enrolment(e), A::ReadCoachingNotes) => {
            allow(u.is_coach_of(e) || (u.person_id.is_some() && u.person_id == Some(e.person_id)))
        }
        (Resource::Enrolment(e), A::Transition(kind)) => {
            use crate::enrolment::TransitionKind as T;
            match kind {
                // Schools approve, defer and withdraw their own staff; delivery moves belong to the provider.
                T::Approve | T::Defer | T::Resume | T::Withdraw => {
                    allow(u.leads_school(&e.school) || u.facilitates(&e.cohort))
                }
                T::Activate | T::Complete => allow(u.facilitates(&e.cohort)),
                // Certification follows a passed assessment; no user moves it by hand yet.
                T::Certify => Err(Denied),
            }
        }
        (Resource::Enrolment(_), _) => Err(Denied),
        (Resource::RoleGrant(g), A::Read | A::Create | A::Update) => allow(u.may_grant(g)),
        (Resource::MachineClient { trust_id, schools }, A::Read | A::Create | A::Update) => {
            allow(u.may_manage_client(*trust_id, schools))
        }
        (Resource::RoleGrant(_) | Resource::MachineClient { .. } | Resource::Platform, _) => Err(Denied),
        (Resource::Project(p), A::Read) => {
            allow(p.team.iter().any(|e| authorize_user(u, A::Read, &Resource::Enrolment(e.clone())).is_ok()))
        }
        // The team and the cohort's facilitators (its tutors) keep the project's record.
        (Resource::Project(p), A::Update) => {
            allow(p.team.iter().any(|e| u.is_participant(e)) || u.facilitates(&p.cohort))
        }
        // Anyone signed in may read the cohort a new project is for, so a refusal is a 403.
        (Resource::NewProject(_), A::Read) => Ok(()),
        // A participant starts a project with themselves on the team; a facilitator for any team.
        (Resource::NewProject(p), A::Create) => {
            allow(p.team.iter().any(|e| u.is_participant(e)) || u.facilitates(&p.cohort))
        }
        (Resource::Project(_) | Resource::NewProject(_), _) => Err(Denied),
        // The contents: the participant always; those who verify once it is handed in; those who may
        // see the enrolment (the school's leads) once handed in and only if the participant shared it.
        (Resource::PortfolioEntry(x), A::Read) => allow(
            u.is_participant(&x.enrolment)
                || (x.state.handed_in()
                    && (u.verifies(&x.enrolment)
                        || (x.shared
                            && authorize_user(u, A::Read, &Resource::Enrolment(x.enrolment.clone())).is_ok()))),
        ),
        (Resource::PortfolioEntry(x), A::Update) => allow(u.is_participant(&x.enrolment)),
        (Resource::PortfolioEntry(x), A::Verify) => allow(!u.is_participant(&x.enrolment) && u.verifies(&x.enrolment)),
        (Resource::PortfolioEntry(_), _) => Err(Denied),
        (Resource::Submission(x), A::Read) => allow(
            u.is_participant(&x.enrolment)
                || u.is_coach_of(&x.enrolment)
                || u.facilitates(&x.enrolment.cohort)
                || u.assesses(x),
        ),
        // Withdrawing it is the participant's.
        (Resource::Submission(x), A::Update) => allow(u.is_participant(&x.enrolment)),
        (Resource::Submission(x), A::Verify) => allow(u.is_coach_of(&x.enrolment)),
        (Resource::Submission(x), A::AssignAssessor | A::Release) => allow(u.facilitates(&x.enrolment.cohort)),
        (Resource::Submission(x), A::Mark) => {
            allow(u.role == Role::Assessor && x.marker == Some(u.user_id) && !u.is_participant(&x.enrolment))
        }
        (Resource::Submission(x), A::Moderate) => {
            allow(u.role == Role::Assessor && x.moderator == Some(u.user_id) && !u.is_participant(&x.enrolment))
        }
        // Feedback reaches the participant and the coach once released; those who judge and run
        // the assessment see it as it is written.
        (Resource::Submission(x), A::ReadFeedback) => allow(
            ((u.is_participant(&x.enrolment) || u.is_coach_of(&x.enrolment)) && x.released)
                || u.facilitates(&x.enrolment.cohort)
                || u.assesses(x),
        ),
        (Resource::Submission(_), _) => Err(Denied),
        (Resource::Certificate(c), A::Read) => authorize_user(u, A::Read, &Resource::Enrolment(c.enrolment.clone())),
        // The holder chooses what evidence the credential shares.
        (Resource::Certificate(c), A::Update) => allow(u.is_participant(&c.enrolment)),
        (Resource::Certificate(c), A::Certify) => allow(match c.by {
            crate::rules::definition::Certifier::Trust => {
                u.role == Role::TrustAdmin && u.leads_school(&c.enrolment.school)
            }
            crate::rules::definition::Certifier::Provider => u.facilitates(&c.enrolment.cohort),
        }),
        (Resource::Certificate(_), _) => Err(Denied),
        (Resource::Diagnostic(e), A::Read) => authorize_user(u, A::Read, &Resource::Enrolment(e.clone())),
        (Resource::Diagnostic(e), A::Create | A::Update) => allow(u.is_participant(e) || u.facilitates(&e.cohort)),
        (Resource::Diagnostic(e), A::SelfReview) => allow(u.is_participant(e)),
        (Resource::Diagnostic(e), A::ReadReport) => allow(u.is_participant(e) || u.is_coach_of(e)),
        (Resource::Diagnostic(_), _) => Err(Denied),
        (Resource::WebhookSubscription { .. }, _) => Err(Denied),
        (
            Resource::ExpectationFramework { .. }
            | Resource::SchoolExpectations(_)
            | Resource::ExpectationAssessment(_)
            | Resource::SupportProvision(_),
            _,
        ) => expectations::authorize_user(u, action, resource),
        (Resource::PartnershipRound(_) | Resource::PartnershipNeed(_) | Resource::PartnershipOffer { .. }, _) => {
            partnership::authorize_user(u, action, resource)
        }
    }
}

fn authorize_client(c: &ClientPrincipal, action: Action, resource: &Resource) -> Result<(), Denied> {
    use Action as A;
    match (resource, action) {
        (Resource::Organisation | Resource::Catalogue | Resource::Programme { .. } | Resource::Cohort(_), A::Read) => {
            allow(c.has(Scope::ProgressRead))
        }
        (Resource::NewPerson { school }, A::Create) => allow(c.covers(school) && c.has(Scope::RosterWrite)),
        (Resource::School(s), A::Read) => allow(c.covers(s)),
        (Resource::School(s), A::ListPeople) => allow(c.covers(s) && c.has(Scope::RosterWrite)),
        (Resource::Person { school, .. }, A::Read | A::Create | A::Update) => {
            allow(c.covers(school) && c.has(Scope::RosterWrite))
        }
        (Resource::Enrolment(e), A::Read) => allow(c.covers(&e.school) && c.has(Scope::ProgressRead)),
        (Resource::Certificate(x), A::Read) => allow(c.covers(&x.enrolment.school) && c.has(Scope::ProgressRead)),
        (Resource::WebhookSubscription { client_id }, A::Read | A::Create | A::Update) => {
            allow(*client_id == c.client_id)
        }
        _ => Err(Denied),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrolment::TransitionKind as T;

    fn id<T: From<uuid::Uuid>>(n: u128) -> T {
        uuid::Uuid::from_u128(n).into()
    }

    const TRUST: u128 = 1;
    const OTHER_TRUST: u128 = 2;
    const SCHOOL_A: u128 = 10;
    const SCHOOL_B: u128 = 11;
    const SCHOOL_X: u128 = 12; // in the other trust
    const PROVIDER: u128 = 20;
    const OTHER_PROVIDER: u128 = 21;
    const PERSON_A: u128 = 100; // a participant at A
    const PERSON_B: u128 = 101; // a participant at B
    const FACILITATOR: u128 = 102;
    const COACH: u128 = 103;

    fn school(n: u128) -> SchoolFacts {
        let trust = if n == SCHOOL_X { OTHER_TRUST } else { TRUST };
        SchoolFacts { id: id(n), trust_id: Some(id(trust)) }
    }

    fn user(role: Role, person: Option<u128>, org: Option<u128>, school: Option<u128>) -> Principal {
        Principal::User(UserPrincipal {
            user_id: id(999),
            person_id: person.map(id),
            role,
            organisation_id: org.map(id),
            school_id: school.map(id),
        })
    }

    fn cohort(provider: u128) -> CohortFacts {
        CohortFacts { provider_id: id(provider), facilitator_ids: vec![id(FACILITATOR)] }
    }

    fn enrolment(person: u128, school_n: u128) -> Resource {
        Resource::Enrolment(EnrolmentFacts {
            person_id: id(person),
            school: school(school_n),
            cohort: cohort(PROVIDER),
            coach_person_id: Some(id(COACH)),
        })
    }

    fn person(p: u128, s: u128) -> Resource {
        Resource::Person { person_id: id(p), school: school(s) }
    }

    fn client(scopes: &[Scope], schools: &[u128]) -> Principal {
        Principal::Client(ClientPrincipal {
            client_id: id(500),
            scopes: scopes.to_vec(),
            school_ids: schools.iter().copied().map(id).collect(),
            trust_id: None,
        })
    }

    #[test]
    fn a_webhook_subscription_is_its_clients_alone() {
        let mine = Resource::WebhookSubscription { client_id: id(500) };
        let theirs = Resource::WebhookSubscription { client_id: id(501) };
        let c = client(&[Scope::ProgressRead], &[SCHOOL_A]);
        for action in [Action::Read, Action::Create, Action::Update] {
            assert!(authorize(&c, action, &mine).is_ok());
            assert!(authorize(&c, action, &theirs).is_err());
            assert!(authorize(&user(Role::PlatformAdmin, None, None, None), action, &mine).is_err());
            assert!(authorize(&user(Role::TrustAdmin, None, Some(TRUST), None), action, &mine).is_err());
        }
    }

    fn part_a_again() -> Principal {
        user(Role::Participant, Some(PERSON_A), None, Some(SCHOOL_A))
    }

    /// (who, action, resource, allowed)
    #[test]
    fn submissions_are_read_by_those_assigned_and_judged_by_them_alone() {
        use crate::rules::definition::Certifier;
        let as_user = |role, user: u128, person: Option<u128>, org: Option<u128>, school: Option<u128>| {
            Principal::User(UserPrincipal {
                user_id: id(user),
                person_id: person.map(id),
                role,
                organisation_id: org.map(id),
                school_id: school.map(id),
            })
        };
        let Resource::Enrolment(e) = enrolment(PERSON_A, SCHOOL_A) else { unreachable!() };
        let sub = |released| {
            Resource::Submission(SubmissionFacts {
                enrolment: e.clone(),
                marker: Some(id(500)),
                moderator: Some(id(501)),
                released,
            })
        };
        let participant = as_user(Role::Participant, 1, Some(PERSON_A), None, Some(SCHOOL_A));
        let marker = as_user(Role::Assessor, 500, Some(700), Some(PROVIDER), None);
        let moderator = as_user(Role::Assessor, 501, Some(701), Some(PROVIDER), None);
        let other_assessor = as_user(Role::Assessor, 502, Some(702), Some(PROVIDER), None);
        let coach = as_user(Role::Coach, 2, Some(COACH), Some(PROVIDER), None);
        let fac = as_user(Role::Facilitator, 3, Some(FACILITATOR), Some(PROVIDER), None);
        let head = as_user(Role::SchoolLead, 4, Some(900), None, Some(SCHOOL_A));
        let trust = as_user(Role::TrustAdmin, 5, None, Some(TRUST), None);
        let admin = as_user(Role::PlatformAdmin, 6, None, None, None);
        let ok = |p: &Principal, a, r: &Resource| authorize(p, a, r).is_ok();
        let (held, out) = (sub(false), sub(true));
        for (who, p, read) in [
            ("participant", &participant, true),
            ("marker", &marker, true),
            ("moderator", &moderator, true),
            ("coach", &coach, true),
            ("facilitator", &fac, true),
            ("another assessor", &other_assessor, false),
            ("school lead", &head, false),
            ("trust admin", &trust, false),
        ] {
            assert_eq!(ok(p, Action::Read, &held), read, "{who} reads");
        }
        assert!(ok(&marker, Action::Mark, &held) && !ok(&moderator, Action::Mark, &held));
        assert!(ok(&moderator, Action::Moderate, &held) && !ok(&marker, Action::Moderate, &held));
        assert!(!ok(&admin, Action::Mark, &held) && !ok(&admin, Action::Moderate, &held), "admins judge nothing");
        assert!(
            !ok(&fac, Action::Mark, &held)
                && ok(&fac, Action::AssignAssessor, &held)
                && ok(&fac, Action::Release, &held)
        );
        assert!(
            ok(&coach, Action::Verify, &held)
                && !ok(&fac, Action::Verify, &held)
                && !ok(&participant, Action::Verify, &held)
        );
        assert!(ok(&participant, Action::Update, &held) && !ok(&admin, Action::Update, &held));
        assert!(!ok(&participant, Action::ReadFeedback, &held) && ok(&participant, Action::ReadFeedback, &out));
        assert!(!ok(&coach, Action::ReadFeedback, &held) && ok(&marker, Action::ReadFeedback, &held));
        let cert = |by| Resource::Certificate(CertificateFacts { enrolment: e.clone(), by });
        assert!(
            ok(&trust, Action::Certify, &cert(Certifier::Trust)) && !ok(&fac, Action::Certify, &cert(Certifier::Trust))
        );
        assert!(
            ok(&fac, Action::Certify, &cert(Certifier::Provider))
                && !ok(&trust, Action::Certify, &cert(Certifier::Provider))
        );
        assert!(
            !ok(&head, Action::Certify, &cert(Certifier::Trust))
                && !ok(&participant, Action::Certify, &cert(Certifier::Trust))
        );
        assert!(
            ok(&participant, Action::Update, &cert(Certifier::Trust))
                && !ok(&admin, Action::Update, &cert(Certifier::Trust))
        );
        assert!(
            ok(&head, Action::Read, &cert(Certifier::Trust))
                && !ok(&other_assessor, Action::Read, &cert(Certifier::Trust))
        );
    }

    #[test]
    fn a_360_report_is_the_participants_and_coachs_alone() {
        let Resource::Enrolment(e) = enrolment(PERSON_A, SCHOOL_A) else { unreachable!() };
        let d = Resource::Diagnostic(e);
        let participant = user(Role::Participant, Some(PERSON_A), None, Some(SCHOOL_A));
        let coach = user(Role::Coach, Some(COACH), Some(PROVIDER), None);
        let fac = user(Role::Facilitator, Some(FACILITATOR), Some(PROVIDER), None);
        let head = user(Role::SchoolLead, Some(900), None, Some(SCHOOL_A));
        let admin = user(Role::PlatformAdmin, None, None, None);
        let other_head = user(Role::SchoolLead, Some(901), None, Some(SCHOOL_B));
        let ok = |p: &Principal, a| authorize(p, a, &d).is_ok();
        for (who, p, read, run, own, report) in [
            ("participant", &participant, true, true, true, true),
            ("coach", &coach, true, false, false, true),
            ("facilitator", &fac, true, true, false, false),
            ("school lead", &head, true, false, false, false),
            ("platform admin", &admin, true, true, false, false),
            ("another school's lead", &other_head, false, false, false, false),
        ] {
            assert_eq!(ok(p, Action::Read), read, "{who} reads completion");
            assert_eq!(ok(p, Action::Update), run, "{who} runs rounds");
            assert_eq!(ok(p, Action::SelfReview), own, "{who} writes the self-review");
            assert_eq!(ok(p, Action::ReadReport), report, "{who} reads the report");
        }
    }

    fn table() -> Vec<(&'static str, Principal, Action, Resource, bool)> {
        let admin = user(Role::PlatformAdmin, None, None, None);
        let trust = user(Role::TrustAdmin, None, Some(TRUST), None);
        let head_a = user(Role::SchoolLead, None, None, Some(SCHOOL_A));
        let head_b = user(Role::SchoolLead, None, None, Some(SCHOOL_B));
        let part_a = user(Role::Participant, Some(PERSON_A), None, Some(SCHOOL_A));
        let fac = user(Role::Facilitator, Some(FACILITATOR), Some(PROVIDER), None);
        let other_fac = user(Role::Facilitator, Some(777), Some(OTHER_PROVIDER), None);
        let coach = user(Role::Coach, Some(COACH), Some(PROVIDER), None);
        let assessor = user(Role::Assessor, Some(778), Some(PROVIDER), None);
        let mis_a = client(&[Scope::RosterWrite, Scope::ProgressRead], &[SCHOOL_A]);
        let dash_a = client(&[Scope::ProgressRead], &[SCHOOL_A]);
        let tr = |k| Action::Transition(k);
        vec![
            ("admin reads anything", admin.clone(), Action::Read, enrolment(PERSON_B, SCHOOL_X), true),
            ("admin creates orgs", admin, Action::Create, Resource::Organisation, true),
            (
                "trust admin reads own trust's school",
                trust.clone(),
                Action::Read,
                Resource::School(school(SCHOOL_B)),
                true,
            ),
            (
                "trust admin cannot read another trust's school",
                trust.clone(),
                Action::Read,
                Resource::School(school(SCHOOL_X)),
                false,
            ),
            (
                "trust admin lists people of own school",
                trust.clone(),
                Action::ListPeople,
                Resource::School(school(SCHOOL_A)),
                true,
            ),
            ("trust admin approves own staff", trust.clone(), tr(T::Approve), enrolment(PERSON_A, SCHOOL_A), true),
            ("trust admin cannot activate", trust.clone(), tr(T::Activate), enrolment(PERSON_A, SCHOOL_A), false),
            ("trust admin cannot create orgs", trust, Action::Create, Resource::Organisation, false),
            ("head A reads own school", head_a.clone(), Action::Read, Resource::School(school(SCHOOL_A)), true),
            ("head A reads A's person", head_a.clone(), Action::Read, person(PERSON_A, SCHOOL_A), true),
            ("head B cannot read A's school", head_b.clone(), Action::Read, Resource::School(school(SCHOOL_A)), false),
            (
                "head B cannot list A's people",
                head_b.clone(),
                Action::ListPeople,
                Resource::School(school(SCHOOL_A)),
                false,
            ),
            ("head B cannot read A's person", head_b.clone(), Action::Read, person(PERSON_A, SCHOOL_A), false),
            ("head B cannot create at A", head_b.clone(), Action::Create, person(PERSON_A, SCHOOL_A), false),
            ("head B cannot read A's enrolment", head_b.clone(), Action::Read, enrolment(PERSON_A, SCHOOL_A), false),
            (
                "head B cannot withdraw A's enrolment",
                head_b.clone(),
                tr(T::Withdraw),
                enrolment(PERSON_A, SCHOOL_A),
                false,
            ),
            ("head B withdraws B's enrolment", head_b.clone(), tr(T::Withdraw), enrolment(PERSON_B, SCHOOL_B), true),
            ("head B nominates B's staff", head_b.clone(), Action::Create, enrolment(PERSON_B, SCHOOL_B), true),
            ("head B cannot complete", head_b, tr(T::Complete), enrolment(PERSON_B, SCHOOL_B), false),
            ("participant reads own person", part_a.clone(), Action::Read, person(PERSON_A, SCHOOL_A), true),
            ("participant cannot read a colleague", part_a.clone(), Action::Read, person(PERSON_B, SCHOOL_A), false),
            (
                "participant cannot list people",
                part_a.clone(),
                Action::ListPeople,
                Resource::School(school(SCHOOL_A)),
                false,
            ),
            ("participant reads own enrolment", part_a.clone(), Action::Read, enrolment(PERSON_A, SCHOOL_A), true),
            (
                "participant cannot read another's enrolment",
                part_a.clone(),
                Action::Read,
                enrolment(PERSON_B, SCHOOL_A),
                false,
            ),
            ("participant cannot withdraw", part_a.clone(), tr(T::Withdraw), enrolment(PERSON_A, SCHOOL_A), false),
            ("participant reads own school", part_a.clone(), Action::Read, Resource::School(school(SCHOOL_A)), true),
            ("participant cannot read another school", part_a, Action::Read, Resource::School(school(SCHOOL_B)), false),
            (
                "facilitator reads enrolment in own cohort",
                fac.clone(),
                Action::Read,
                enrolment(PERSON_B, SCHOOL_X),
                true,
            ),
            ("facilitator activates", fac.clone(), tr(T::Activate), enrolment(PERSON_B, SCHOOL_B), true),
            ("facilitator cannot certify by hand", fac.clone(), tr(T::Certify), enrolment(PERSON_B, SCHOOL_B), false),
            (
                "facilitator cannot list school people",
                fac.clone(),
                Action::ListPeople,
                Resource::School(school(SCHOOL_A)),
                false,
            ),
            (
                "facilitator creates a cohort for own provider",
                fac,
                Action::Create,
                Resource::Cohort(cohort(PROVIDER)),
                true,
            ),
            (
                "facilitator of another provider cannot read",
                other_fac.clone(),
                Action::Read,
                enrolment(PERSON_A, SCHOOL_A),
                false,
            ),
            (
                "facilitator of another provider cannot create cohort",
                other_fac,
                Action::Create,
                Resource::Cohort(cohort(PROVIDER)),
                false,
            ),
            ("coach reads coachee's enrolment", coach.clone(), Action::Read, enrolment(PERSON_A, SCHOOL_A), true),
            ("coach cannot withdraw", coach.clone(), tr(T::Withdraw), enrolment(PERSON_A, SCHOOL_A), false),
            ("coach cannot read a person record", coach, Action::Read, person(PERSON_A, SCHOOL_A), false),
            ("assessor sees no enrolment unassigned", assessor, Action::Read, enrolment(PERSON_A, SCHOOL_A), false),
            ("MIS A writes A's people", mis_a.clone(), Action::Create, person(PERSON_A, SCHOOL_A), true),
            ("MIS A lists A's people", mis_a.clone(), Action::ListPeople, Resource::School(school(SCHOOL_A)), true),
            ("MIS A cannot write B's people", mis_a.clone(), Action::Create, person(PERSON_B, SCHOOL_B), false),
            (
                "MIS A cannot list B's people",
                mis_a.clone(),
                Action::ListPeople,
                Resource::School(school(SCHOOL_B)),
                false,
            ),
            ("MIS A reads A's progress", mis_a.clone(), Action::Read, enrolment(PERSON_A, SCHOOL_A), true),
            ("MIS A cannot read B's progress", mis_a.clone(), Action::Read, enrolment(PERSON_B, SCHOOL_B), false),
            ("MIS A cannot change enrolments", mis_a, tr(T::Withdraw), enrolment(PERSON_A, SCHOOL_A), false),
            ("dashboard cannot write people", dash_a.clone(), Action::Create, person(PERSON_A, SCHOOL_A), false),
            ("dashboard reads progress", dash_a, Action::Read, enrolment(PERSON_A, SCHOOL_A), true),
            ("participant edits own work", part_a_again(), Action::Update, enrolment(PERSON_A, SCHOOL_A), true),
            (
                "coach reads coaching notes",
                user(Role::Coach, Some(COACH), Some(PROVIDER), None),
                Action::ReadCoachingNotes,
                enrolment(PERSON_A, SCHOOL_A),
                true,
            ),
            (
                "coachee reads coaching notes",
                part_a_again(),
                Action::ReadCoachingNotes,
                enrolment(PERSON_A, SCHOOL_A),
                true,
            ),
            (
                "school lead cannot read coaching notes",
                user(Role::SchoolLead, Some(555), None, Some(SCHOOL_A)),
                Action::ReadCoachingNotes,
                enrolment(PERSON_A, SCHOOL_A),
                false,
            ),
            (
                "trust admin cannot read coaching notes",
                user(Role::TrustAdmin, None, Some(TRUST), None),
                Action::ReadCoachingNotes,
                enrolment(PERSON_A, SCHOOL_A),
                false,
            ),
            (
                "facilitator cannot read coaching notes",
                user(Role::Facilitator, Some(FACILITATOR), Some(PROVIDER), None),
                Action::ReadCoachingNotes,
                enrolment(PERSON_A, SCHOOL_A),
                false,
            ),
            (
                "coach logs coaching",
                user(Role::Coach, Some(COACH), Some(PROVIDER), None),
                Action::LogCoaching,
                enrolment(PERSON_A, SCHOOL_A),
                true,
            ),
            ("coachee cannot log coaching", part_a_again(), Action::LogCoaching, enrolment(PERSON_A, SCHOOL_A), false),
            (
                "school lead assigns a coach",
                user(Role::SchoolLead, Some(555), None, Some(SCHOOL_A)),
                Action::AssignCoach,
                enrolment(PERSON_A, SCHOOL_A),
                true,
            ),
            (
                "other school's lead cannot assign",
                user(Role::SchoolLead, Some(556), None, Some(SCHOOL_B)),
                Action::AssignCoach,
                enrolment(PERSON_A, SCHOOL_A),
                false,
            ),
            (
                "cohort facilitator runs the cohort",
                user(Role::Facilitator, Some(FACILITATOR), Some(OTHER_PROVIDER), None),
                Action::Update,
                Resource::Cohort(cohort(PROVIDER)),
                true,
            ),
            (
                "other provider's facilitator cannot",
                user(Role::Facilitator, Some(777), Some(OTHER_PROVIDER), None),
                Action::Update,
                Resource::Cohort(cohort(PROVIDER)),
                false,
            ),
            (
                "school lead cannot run a cohort",
                user(Role::SchoolLead, None, None, Some(SCHOOL_A)),
                Action::Update,
                Resource::Cohort(cohort(PROVIDER)),
                false,
            ),
            (
                "participant cannot edit another's work",
                part_a_again(),
                Action::Update,
                enrolment(PERSON_B, SCHOOL_A),
                false,
            ),
            (
                "school lead cannot edit a participant's work",
                user(Role::SchoolLead, Some(555), None, Some(SCHOOL_A)),
                Action::Update,
                enrolment(PERSON_A, SCHOOL_A),
                false,
            ),
            (
                "trust admin sets own trust's term dates",
                user(Role::TrustAdmin, None, Some(TRUST), None),
                Action::Update,
                Resource::OrganisationSettings { id: id(TRUST) },
                true,
            ),
            (
                "trust admin cannot set another's term dates",
                user(Role::TrustAdmin, None, Some(TRUST), None),
                Action::Update,
                Resource::OrganisationSettings { id: id(OTHER_TRUST) },
                false,
            ),
            (
                "school lead cannot set term dates",
                user(Role::SchoolLead, None, None, Some(SCHOOL_A)),
                Action::Update,
                Resource::OrganisationSettings { id: id(TRUST) },
                false,
            ),
        ]
    }

    fn grant(role: Role, org: Option<u128>, s: Option<u128>) -> Resource {
        Resource::RoleGrant(RoleGrant { role, organisation_id: org.map(id), school: s.map(school) })
    }

    #[test]
    fn who_may_give_which_role() {
        let trust = user(Role::TrustAdmin, None, Some(TRUST), None);
        let head_a = user(Role::SchoolLead, None, None, Some(SCHOOL_A));
        let fac = user(Role::Facilitator, Some(FACILITATOR), Some(PROVIDER), None);
        let part_a = part_a_again();
        let coach = user(Role::Coach, Some(COACH), Some(PROVIDER), None);
        let admin = user(Role::PlatformAdmin, None, None, None);
        let rows = [
            (&trust, grant(Role::SchoolLead, None, Some(SCHOOL_B)), true),
            (&trust, grant(Role::Participant, None, Some(SCHOOL_A)), true),
            (&trust, grant(Role::TrustAdmin, Some(TRUST), None), true),
            (&trust, grant(Role::TrustAdmin, Some(OTHER_TRUST), None), false),
            (&trust, grant(Role::Participant, None, Some(SCHOOL_X)), false),
            (&trust, grant(Role::Coach, Some(PROVIDER), None), false),
            (&trust, grant(Role::PlatformAdmin, None, None), false),
            (&head_a, grant(Role::Participant, None, Some(SCHOOL_A)), true),
            (&head_a, grant(Role::SchoolLead, None, Some(SCHOOL_A)), true),
            (&head_a, grant(Role::Participant, None, Some(SCHOOL_B)), false),
            (&head_a, grant(Role::TrustAdmin, Some(TRUST), None), false),
            (&fac, grant(Role::Coach, Some(PROVIDER), None), true),
            (&fac, grant(Role::Assessor, Some(PROVIDER), None), true),
            (&fac, grant(Role::Facilitator, Some(PROVIDER), None), true),
            (&fac, grant(Role::Coach, Some(OTHER_PROVIDER), None), false),
            (&fac, grant(Role::Participant, None, Some(SCHOOL_A)), false),
            (&part_a, grant(Role::Participant, None, Some(SCHOOL_A)), false),
            (&coach, grant(Role::Coach, Some(PROVIDER), None), false),
            (&admin, grant(Role::PlatformAdmin, None, None), true),
        ];
        for (who, resource, expected) in rows {
            for action in [Action::Read, Action::Create, Action::Update] {
                assert_eq!(authorize(who, action, &resource).is_ok(), expected, "{who:?} {action:?} {resource:?}");
            }
        }
    }

    #[test]
    fn machine_clients_belong_to_those_who_lead_every_school_they_reach() {
        let trust = user(Role::TrustAdmin, None, Some(TRUST), None);
        let head_a = user(Role::SchoolLead, None, None, Some(SCHOOL_A));
        let client = |t: Option<u128>, s: &[u128]| Resource::MachineClient {
            trust_id: t.map(id),
            schools: s.iter().map(|n| school(*n)).collect(),
        };
        assert!(authorize(&trust, Action::Create, &client(Some(TRUST), &[])).is_ok());
        assert!(authorize(&trust, Action::Create, &client(None, &[SCHOOL_A, SCHOOL_B])).is_ok());
        assert!(authorize(&trust, Action::Create, &client(Some(OTHER_TRUST), &[])).is_err());
        assert!(authorize(&trust, Action::Create, &client(None, &[SCHOOL_A, SCHOOL_X])).is_err());
        assert!(authorize(&head_a, Action::Update, &client(None, &[SCHOOL_A])).is_ok());
        assert!(authorize(&head_a, Action::Update, &client(None, &[SCHOOL_A, SCHOOL_B])).is_err());
        assert!(authorize(&head_a, Action::Update, &client(Some(TRUST), &[])).is_err());
        assert!(authorize(&head_a, Action::Create, &client(None, &[])).is_err());
        let part_a = part_a_again();
        assert!(authorize(&part_a, Action::Read, &client(None, &[SCHOOL_A])).is_err());
        assert!(authorize(&part_a, Action::Read, &Resource::Platform).is_err());
        assert!(authorize(&user(Role::PlatformAdmin, None, None, None), Action::Read, &Resource::Platform).is_ok());
    }

    #[test]
    fn projects_and_portfolio_entries() {
        use crate::portfolio::EntryState as S;
        let Resource::Enrolment(a) = enrolment(PERSON_A, SCHOOL_A) else { unreachable!() };
        let Resource::Enrolment(b) = enrolment(PERSON_B, SCHOOL_B) else { unreachable!() };
        let project = Resource::Project(ProjectFacts { cohort: cohort(PROVIDER), team: vec![a.clone()] });
        let admin = user(Role::PlatformAdmin, None, None, None);
        let head_a = user(Role::SchoolLead, None, None, Some(SCHOOL_A));
        let head_b = user(Role::SchoolLead, None, None, Some(SCHOOL_B));
        let part_b = user(Role::Participant, Some(PERSON_B), None, Some(SCHOOL_B));
        let fac = user(Role::Facilitator, Some(FACILITATOR), Some(PROVIDER), None);
        let coach = user(Role::Coach, Some(COACH), Some(PROVIDER), None);
        let ok = |p: &Principal, act, r: &Resource| authorize(p, act, r).is_ok();
        assert!(ok(&part_a_again(), Action::Update, &project));
        assert!(ok(&head_a, Action::Read, &project) && !ok(&head_a, Action::Update, &project));
        assert!(!ok(&head_b, Action::Read, &project) && !ok(&part_b, Action::Update, &project));
        assert!(ok(&fac, Action::Update, &project) && ok(&coach, Action::Read, &project));
        // Starting a project: on one's own team only.
        let theirs = Resource::NewProject(ProjectFacts { cohort: cohort(PROVIDER), team: vec![b.clone()] });
        assert!(!ok(&part_a_again(), Action::Create, &theirs) && ok(&part_b, Action::Create, &theirs));

        let entry = |state, shared| Resource::PortfolioEntry(EntryFacts { enrolment: a.clone(), state, shared });
        // A draft is the participant's alone, even from the platform admin and the coach.
        for who in [&admin, &coach, &fac, &head_a] {
            assert!(!ok(who, Action::Read, &entry(S::Draft, true)), "{who:?}");
        }
        assert!(ok(&part_a_again(), Action::Read, &entry(S::Draft, false)));
        // Handed in: those who verify see it; the school lead only if shared; the admin never.
        assert!(
            ok(&coach, Action::Read, &entry(S::Submitted, false))
                && ok(&fac, Action::Verify, &entry(S::Submitted, false))
        );
        assert!(
            !ok(&head_a, Action::Read, &entry(S::Submitted, false))
                && ok(&head_a, Action::Read, &entry(S::Verified, true))
        );
        assert!(
            !ok(&head_b, Action::Read, &entry(S::Verified, true))
                && !ok(&admin, Action::Read, &entry(S::Verified, false))
        );
        // Nobody verifies their own work; only the participant changes it.
        assert!(!ok(&part_a_again(), Action::Verify, &entry(S::Submitted, false)));
        assert!(
            !ok(&coach, Action::Update, &entry(S::Returned, false))
                && !ok(&admin, Action::Verify, &entry(S::Submitted, false))
        );
        let dash = client(&[Scope::ProgressRead], &[SCHOOL_A]);
        assert!(!ok(&dash, Action::Read, &entry(S::Verified, true)) && !ok(&dash, Action::Read, &project));
    }

    #[test]
    fn authorisation_table() {
        let mut wrong = vec![];
        for (name, who, action, resource, expected) in table() {
            if authorize(&who, action, &resource).is_ok() != expected {
                wrong.push(name);
            }
        }
        assert!(wrong.is_empty(), "rows that decided wrongly: {wrong:#?}");
    }

    #[test]
    fn organisation_settings_are_readable_by_whoever_reads_the_organisation() {
        let client = |scopes: Vec<Scope>| {
            Principal::Client(ClientPrincipal {
                client_id: id(1),
                scopes,
                school_ids: vec![id(SCHOOL_A)],
                trust_id: None,
            })
        };
        let settings = Resource::OrganisationSettings { id: id(TRUST) };
        for who in [
            user(Role::SchoolLead, None, None, Some(SCHOOL_A)),
            user(Role::Participant, Some(PERSON_A), None, Some(SCHOOL_A)),
            client(vec![Scope::ProgressRead]),
            client(vec![Scope::RosterWrite]),
        ] {
            assert_eq!(
                authorize(&who, Action::Read, &settings).is_ok(),
                authorize(&who, Action::Read, &Resource::Organisation).is_ok(),
                "{who:?}"
            );
            assert!(authorize(&who, Action::Update, &settings).is_err(), "{who:?}");
        }
        assert!(authorize(&client(vec![Scope::ProgressRead]), Action::Read, &settings).is_ok());
        assert!(authorize(&client(vec![Scope::RosterWrite]), Action::Read, &settings).is_err());
    }

    #[test]
    fn trust_scoped_client_covers_every_school_of_its_trust_only() {
        let c = Principal::Client(ClientPrincipal {
            client_id: id(1),
            scopes: vec![Scope::RosterWrite],
            school_ids: vec![],
            trust_id: Some(id(TRUST)),
        });
        assert!(authorize(&c, Action::ListPeople, &Resource::School(school(SCHOOL_B))).is_ok());
        assert!(authorize(&c, Action::ListPeople, &Resource::School(school(SCHOOL_X))).is_err());
        let no_trust = SchoolFacts { id: id(55), trust_id: None };
        assert!(authorize(&c, Action::ListPeople, &Resource::School(no_trust)).is_err(), "None must not match None");
    }
}
