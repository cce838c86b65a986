//! The portfolio: entries, their verification, evidence files; the verification queue and a
//! cohort's posters.

use super::*;

pub use trellis_domain::portfolio::{EntryMove, EntryState, FileKind, PosterTheme};
pub use trellis_domain::rules::definition::PortfolioEntryKind;

/// An impact poster (seed 001): five panels and the themes it shows impact in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct Poster {
    /// What the work focused on.
    #[cfg_attr(feature = "validate", validate(length(max = 1500), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1500,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub focus: String,
    /// The issues it set out to address.
    #[cfg_attr(feature = "validate", validate(length(max = 1500), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1500,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub issues: String,
    /// What was done.
    #[cfg_attr(feature = "validate", validate(length(max = 1500), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1500,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub actions: String,
    /// The impact seen, with its evidence (e.g. "KS1 phonics pass rate from 27 % to 79 %").
    #[cfg_attr(feature = "validate", validate(length(max = 1500), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1500,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub impact: String,
    /// Where it goes next.
    #[cfg_attr(feature = "validate", validate(length(max = 1500), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1500,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub desired_outcomes: String,
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 6)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 6))]
    pub themes: Vec<PosterTheme>,
}

/// Starts an entry, as a draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreatePortfolioEntry {
    pub kind: PortfolioEntryKind,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub title: String,
    /// The reflection, the analytical story, or the evidence's commentary.
    #[cfg_attr(feature = "validate", validate(length(max = 50000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 50000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub body: String,
    /// A reflection's session: one of the cohort's that the participant attended.
    pub session_id: Option<Uuid>,
    /// An impact poster's panels.
    #[cfg_attr(feature = "validate", validate(nested))]
    pub poster: Option<Poster>,
    /// Let the school's leads read it once handed in (they always see its state).
    #[serde(default)]
    pub shared: bool,
}

/// Replaces a draft's or a returned entry's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct UpdatePortfolioEntry {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub title: String,
    #[cfg_attr(feature = "validate", validate(length(max = 50000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 50000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[serde(default)]
    pub body: String,
    pub session_id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(nested))]
    pub poster: Option<Poster>,
    #[serde(default)]
    pub shared: bool,
}

/// Verifies a submitted entry, with an optional comment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct VerifyPortfolioEntry {
    #[cfg_attr(feature = "validate", validate(length(max = 5000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub comment: Option<String>,
}

/// Returns a submitted entry to the participant, saying what to change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct ReturnPortfolioEntry {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 5000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub comment: String,
}

/// A file an entry holds. Its bytes are served only to those who may read the entry, as a
/// download (`Content-Disposition: attachment`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EvidenceFile {
    pub id: Uuid,
    pub entry_id: Uuid,
    pub filename: String,
    /// Told from the file's bytes.
    pub kind: FileKind,
    pub media_type: String,
    pub size_bytes: u64,
    /// SHA-256 of the bytes, in hex.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

/// The session a reflection is on.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReflectedSession {
    pub id: Uuid,
    pub title: String,
    pub kind: trellis_domain::rules::definition::SessionKind,
    pub starts_at: DateTime<Utc>,
    /// The participant led it (as recorded on the session).
    pub led_by_participant: bool,
}

/// A move an entry made: who, when, with what comment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EntryEvent {
    pub action: EntryMove,
    pub comment: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What an entry says: present only for those who may read it (the participant; once handed in,
/// the coach and the cohort's facilitators; the school's leads if the participant shared it).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EntryContent {
    pub title: String,
    pub body: String,
    /// Words of the body, as the programme's rules count them.
    pub words: u32,
    pub session: Option<ReflectedSession>,
    pub poster: Option<Poster>,
    pub shared: bool,
    pub files: Vec<EvidenceFile>,
    /// Oldest first.
    pub history: Vec<EntryEvent>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PortfolioEntry {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub kind: PortfolioEntryKind,
    pub state: EntryState,
    pub submitted_at: Option<DateTime<Utc>>,
    pub verified_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// Absent for those who see only the entry's state.
    pub content: Option<EntryContent>,
    /// The moves the caller may make now.
    pub moves: Vec<EntryMove>,
    /// The caller may change its contents and files now.
    pub editable: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PortfolioEntryList {
    pub items: Vec<PortfolioEntry>,
}

/// An entry waiting for the caller to verify it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VerificationItem {
    pub entry: PortfolioEntry,
    pub participant: String,
    pub cohort_id: Uuid,
    pub cohort_name: String,
}

/// Submitted entries the caller verifies (as the coach or a facilitator of the cohort), oldest
/// submission first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VerificationQueue {
    pub items: Vec<VerificationItem>,
}

/// A poster on a cohort's board.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PosterCard {
    pub entry_id: Uuid,
    pub enrolment_id: Uuid,
    pub participant: String,
    pub school_name: String,
    pub title: String,
    pub poster: Poster,
}

/// A theme's posters.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PosterGroup {
    pub theme: PosterTheme,
    pub posters: Vec<PosterCard>,
}

/// A cohort's handed-in impact posters grouped by theme (seed 001, Annex A); a poster with
/// several themes appears under each. Only posters the caller may read are on it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PosterBoard {
    pub cohort_id: Uuid,
    pub groups: Vec<PosterGroup>,
}
