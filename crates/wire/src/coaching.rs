//! Coaching: coaches and coaching sessions.

use super::*;

pub use trellis_domain::rules::definition::CoachingMode;

/// Names an enrolment's coach.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct AssignCoach {
    pub coach_person_id: Uuid,
    /// The coach's statement of commitment, given at application.
    #[cfg_attr(feature = "validate", validate(length(max = 5000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub supporting_statement: Option<String>,
}

/// A coaching session. `focus` and `notes` are present only for the coach and the coachee;
/// others see that the session happened.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoachingSession {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub coach_person_id: Uuid,
    pub held_on: NaiveDate,
    pub minutes: u32,
    pub mode: CoachingMode,
    pub focus: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateCoachingSession {
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub held_on: NaiveDate,
    #[cfg_attr(feature = "validate", validate(range(min = 1, max = 600)))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 600))]
    #[serde(deserialize_with = "trellis_domain::whole::u32")]
    pub minutes: u32,
    pub mode: CoachingMode,
    #[cfg_attr(feature = "validate", validate(length(max = 500), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 500,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub focus: String,
    #[cfg_attr(feature = "validate", validate(length(max = 20000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 20000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoachingSessionList {
    pub items: Vec<CoachingSession>,
}

/// Someone who coaches for a cohort's provider.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Coach {
    pub person_id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoachList {
    pub items: Vec<Coach>,
}
