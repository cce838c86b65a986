//! Delivery: sessions and registers, calendar feeds, learning groups; and their requests as the domain's commands.

use super::*;

pub use trellis_domain::delivery::{AttendanceStatus, SessionAudience};
pub use trellis_domain::rules::definition::SessionKind;

/// A session of a cohort. Times are UTC; `starts_local`/`ends_local` give Europe/London time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Session {
    pub id: Uuid,
    pub cohort_id: Uuid,
    pub kind: SessionKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Start in Europe/London, with its offset, e.g. `2026-10-24T10:00:00+01:00`.
    pub starts_local: String,
    pub ends_local: String,
    /// The host school, when the venue is a school.
    pub venue_school_id: Option<Uuid>,
    /// Free-text venue (an address, "Online").
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<Uuid>,
    /// The enrolment whose participant leads it (cluster meetings).
    pub led_by_enrolment_id: Option<Uuid>,
    pub audience: SessionAudience,
    pub group_id: Option<Uuid>,
    /// Set when cancelled: the session keeps its register but no longer counts.
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

page!(SessionPage, Session);

/// A new session. Times are RFC 3339 with an offset (`2026-10-24T09:00:00Z`), or a local
/// Europe/London time without one (`2026-10-24T10:00`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    pub kind: SessionKind,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Face-to-face day 2: Leading with impact"))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(example = "2026-10-24T10:00"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)| ([01]\d|2[0-3]):[0-5]\d)$"
        )
    )]
    pub starts_at: String,
    #[cfg_attr(feature = "openapi", schema(example = "2026-10-24T15:30"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)| ([01]\d|2[0-3]):[0-5]\d)$"
        )
    )]
    pub ends_at: String,
    pub venue_school_id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(length(max = 300), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$")
    )]
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<Uuid>,
    pub led_by_enrolment_id: Option<Uuid>,
    /// Default `cohort`.
    pub audience: Option<SessionAudience>,
    pub group_id: Option<Uuid>,
}

/// Changes to a session; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct UpdateSession {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub title: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)| ([01]\d|2[0-3]):[0-5]\d)$"
        )
    )]
    pub starts_at: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)| ([01]\d|2[0-3]):[0-5]\d)$"
        )
    )]
    pub ends_at: Option<String>,
    pub venue_school_id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(length(max = 300), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$")
    )]
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<Uuid>,
    pub led_by_enrolment_id: Option<Uuid>,
    pub audience: Option<SessionAudience>,
}

/// One line of a register.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RegisterEntry {
    pub enrolment_id: Uuid,
    pub status: AttendanceStatus,
    /// Face-to-face days credited, in halves (e.g. 0.5 for leaving a full day at lunch). Default:
    /// what the session kind is worth.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1, multiple_of = 0.5))]
    pub days: Option<f64>,
    /// Minutes attended, where that matters (e.g. arriving late).
    #[cfg_attr(feature = "validate", validate(range(max = 1440)))]
    #[cfg_attr(feature = "openapi", schema(maximum = 1440))]
    #[serde(default, deserialize_with = "trellis_domain::whole::option_u32")]
    pub minutes: Option<u32>,
}

/// The whole register of a session: it replaces what was recorded before. Enrolments not
/// listed keep no mark.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct Register {
    #[cfg_attr(feature = "validate", validate(length(max = 500), nested))]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub entries: Vec<RegisterEntry>,
}

/// A register mark, with the session it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AttendanceRecord {
    pub session_id: Uuid,
    pub session_title: String,
    pub kind: SessionKind,
    pub starts_at: DateTime<Utc>,
    pub enrolment_id: Uuid,
    pub person_name: String,
    pub status: AttendanceStatus,
    /// Face-to-face days credited.
    pub days: f64,
    pub minutes: Option<u32>,
    /// Counts towards the programme: attended, and the session is not cancelled.
    pub counted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AttendanceList {
    pub items: Vec<AttendanceRecord>,
    /// Face-to-face days counted so far.
    pub days_counted: f64,
}

/// Subscribe to a cohort's timetable, or (with no cohort) to your own.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateCalendarFeed {
    pub cohort_id: Option<Uuid>,
}

/// A calendar subscription. `url` is shown once, at creation: it is the only credential.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarFeed {
    pub id: Uuid,
    pub cohort_id: Option<Uuid>,
    /// The `webcal`-ready https/http URL of the feed; present only in the creation response.
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarFeedList {
    pub items: Vec<CalendarFeed>,
}

pub use trellis_domain::delivery::LearningGroupKind;

/// An action learning set or cluster group: a facilitator and a few members of one cohort.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LearningGroup {
    pub id: Uuid,
    pub cohort_id: Uuid,
    pub name: String,
    pub kind: LearningGroupKind,
    pub facilitator_person_id: Option<Uuid>,
    /// The members the caller may see.
    pub member_enrolment_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateLearningGroup {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub name: String,
    pub kind: LearningGroupKind,
    pub facilitator_person_id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(length(max = 50)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub member_enrolment_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LearningGroupList {
    pub items: Vec<LearningGroup>,
}

impl From<&RegisterEntry> for trellis_domain::delivery::MarkEntry {
    fn from(e: &RegisterEntry) -> Self {
        trellis_domain::delivery::MarkEntry {
            enrolment_id: e.enrolment_id.into(),
            status: e.status,
            days: e.days,
            minutes: e.minutes,
        }
    }
}

/// A session request as the domain's plan: both times parsed (RFC 3339 or Europe/London wall-clock
/// time, in [`trellis_domain::YEARS`]), every fault collected; text trimmed; the audience defaults
/// to the cohort. Field rules are the `validate` derive's; whether the times are in order, the kind
/// is the programme's and the references exist are checked with the cohort.
impl TryFrom<&CreateSession> for trellis_domain::delivery::SessionPlan {
    type Error = Vec<trellis_domain::cohort::FieldFault>;

    fn try_from(b: &CreateSession) -> Result<Self, Self::Error> {
        use trellis_domain::delivery::{parse_instant, trimmed};
        let starts = parse_instant("starts_at", &b.starts_at, trellis_domain::YEARS);
        let ends = parse_instant("ends_at", &b.ends_at, trellis_domain::YEARS);
        let (starts, ends) = match (starts, ends) {
            (Ok(s), Ok(e)) => (s, e),
            (s, e) => return Err(s.err().into_iter().chain(e.err()).collect()),
        };
        Ok(trellis_domain::delivery::SessionPlan {
            kind: b.kind,
            title: b.title.trim().to_owned(),
            starts,
            ends,
            venue_school_id: b.venue_school_id.map(Into::into),
            venue_text: b.venue_text.as_deref().and_then(trimmed),
            facilitator_person_id: b.facilitator_person_id.map(Into::into),
            led_by_enrolment_id: b.led_by_enrolment_id.map(Into::into),
            audience: b.audience.unwrap_or(SessionAudience::Cohort),
            group_id: b.group_id.map(Into::into),
        })
    }
}

impl UpdateSession {
    /// The edit as the domain's changes, and the faults of the times that did not parse (those stay
    /// as they were; everything else is changed, so the rest can still be checked and reported).
    pub fn changes(&self) -> (trellis_domain::delivery::SessionChanges, Vec<trellis_domain::cohort::FieldFault>) {
        use trellis_domain::delivery::parse_instant;
        let mut faults = vec![];
        let mut parse =
            |field, t: &Option<String>| match t.as_deref().map(|t| parse_instant(field, t, trellis_domain::YEARS)) {
                Some(Ok(t)) => Some(t),
                Some(Err(f)) => {
                    faults.push(f);
                    None
                }
                None => None,
            };
        let (starts, ends) = (parse("starts_at", &self.starts_at), parse("ends_at", &self.ends_at));
        let changes = trellis_domain::delivery::SessionChanges {
            title: self.title.clone(),
            starts,
            ends,
            venue_school_id: self.venue_school_id.map(Into::into),
            venue_text: self.venue_text.clone(),
            facilitator_person_id: self.facilitator_person_id.map(Into::into),
            led_by_enrolment_id: self.led_by_enrolment_id.map(Into::into),
            audience: self.audience,
        };
        (changes, faults)
    }
}
