//! Typed ids: each kind of object has its own id type over a UUID, so a user id cannot be passed
//! where a person id is due. On the wire they are plain UUID strings (`serde(transparent)`).
//! New ids are made by the API (UUIDv7, `paging::new_id`); the domain only carries them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                $name(u)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map($name)
            }
        }
    )*};
}

id_type! {
    /// A sign-in account.
    UserId;
    /// A member of staff or governor of a school (who may or may not have an account).
    PersonId;
    /// A provider, trust, alliance or local authority.
    OrganisationId;
    SchoolId;
    /// A machine client (an MIS, a dashboard).
    ClientId;
    /// An invitation to take a role.
    InvitationId;
    /// A role a user holds.
    UserRoleId;
    HubId;
    ProgrammeId;
    CohortId;
    EnrolmentId;
    SessionId;
    GroupId;
    /// A work-based project (one to a few enrolments of a cohort).
    ProjectId;
    /// An impact measure of a project.
    MeasureId;
    PortfolioEntryId;
    /// An evidence file held by a portfolio entry.
    EvidenceFileId;
    /// A final-assessment submission.
    SubmissionId;
    /// An awarded certificate.
    CertificateId;
    /// A round (baseline or end) of an enrolment's 360 diagnostic.
    DiagnosticRoundId;
    /// A rater nominated in a 360 round.
    RaterId;
    /// A machine client's webhook subscription.
    WebhookId;
    /// One event's delivery to one webhook subscription.
    WebhookDeliveryId;
    /// A school-to-school partnership round.
    PartnershipRoundId;
    /// A need posted to a partnership round.
    PartnershipNeedId;
    /// A visit a matched colleague made to the host school.
    PartnershipVisitId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_on_the_wire_and_distinct_types_in_code() {
        let u = Uuid::from_u128(7);
        let person = PersonId::from(u);
        assert_eq!(serde_json::to_string(&person).unwrap(), format!("\"{u}\""));
        assert_eq!(serde_json::from_str::<PersonId>(&format!("\"{u}\"")).unwrap(), person);
        assert_eq!(person.to_string().parse::<PersonId>().unwrap(), person);
        assert_eq!(Uuid::from(person), u);
    }
}
