//! The directory: organisations, hubs, schools and people.

use super::*;

page!(OrganisationPage, Organisation);
page!(SchoolPage, School);
page!(HubPage, Hub);
page!(PersonPage, Person);

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    /// Real term dates for this organisation's schools, where they differ from the defaults.
    pub term_calendar: Option<TermCalendar>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisation {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Oakfield Learning Trust"))]
    pub name: String,
    pub kind: OrganisationKind,
}

/// A group of schools; one of them hosts the hub's sessions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Hub {
    pub id: Uuid,
    pub name: String,
    pub organisation_id: Uuid,
    pub host_school_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateHub {
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
    pub organisation_id: Uuid,
    pub host_school_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct School {
    pub id: Uuid,
    /// The six-digit Unique Reference Number.
    #[cfg_attr(feature = "openapi", schema(example = "100000"))]
    pub urn: String,
    pub name: String,
    pub phase: SchoolPhase,
    pub trust_id: Option<Uuid>,
    pub hub_id: Option<Uuid>,
    /// Where it is (WGS 84 degrees), for ranking partnership matches by distance.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateSchool {
    /// Exactly six digits.
    #[cfg_attr(feature = "openapi", schema(example = "100000", pattern = r"^[0-9]{6}$"))]
    pub urn: String,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Oakfield Primary School"))]
    pub name: String,
    pub phase: SchoolPhase,
    /// The trust the school belongs to, if any (an organisation of kind `trust`).
    pub trust_id: Option<Uuid>,
    pub hub_id: Option<Uuid>,
    /// Where it is, in WGS 84 degrees (both or neither).
    #[cfg_attr(feature = "validate", validate(range(min = -90.0, max = 90.0)))]
    #[cfg_attr(feature = "openapi", schema(minimum = -90.0, maximum = 90.0, example = 52.4862))]
    #[serde(default)]
    pub latitude: Option<f64>,
    #[cfg_attr(feature = "validate", validate(range(min = -180.0, max = 180.0)))]
    #[cfg_attr(feature = "openapi", schema(minimum = -180.0, maximum = 180.0, example = -1.8904))]
    #[serde(default)]
    pub longitude: Option<f64>,
}

/// A member of staff or a governor of a school.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Person {
    pub id: Uuid,
    pub school_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub staff_role: StaffRole,
    /// The school MIS's own staff id (OneRoster `sourcedId`); unique within the school.
    pub mis_id: Option<String>,
    /// The day a roster sync said they left the school; their history stays.
    pub left_on: Option<NaiveDate>,
    /// Whether they sign in to Trellis (an account belongs to them); if not, they can be given one.
    #[serde(default)]
    pub has_account: bool,
    /// Whether the school's MIS sends this person (a roster client covers the school and they have
    /// an MIS id): their names, email, role, MIS id and leaving are then changed in the MIS.
    #[serde(default)]
    pub mis_managed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreatePerson {
    #[cfg_attr(feature = "validate", validate(length(max = 100), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Amira"))]
    pub given_name: String,
    #[cfg_attr(feature = "validate", validate(length(max = 100), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "Khan"))]
    pub family_name: String,
    #[cfg_attr(feature = "validate", validate(email, length(max = 320)))]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 320))]
    pub email: Option<String>,
    pub staff_role: StaffRole,
    #[cfg_attr(feature = "validate", validate(length(max = 64), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 64,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "STF-0042"))]
    pub mis_id: Option<String>,
}

/// A member of staff who has left the school: their row, enrolments and history stay; open
/// enrolments are flagged for review, as when the MIS says they left.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeavePerson {
    /// The day they left.
    pub left_on: NaiveDate,
}

/// A member of staff moving to another school of the same trust, with their enrolments and history.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MovePerson {
    pub school_id: Uuid,
}
