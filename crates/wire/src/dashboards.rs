//! Pull feeds for machines and dashboards: trust-wide progress per enrolment, its summary by school
//! and programme, and each person's CPD record. Every feed pages by cursor in a stable order (the
//! enrolment's or person's id), takes `updated_since`, and keeps what left it as a tombstone
//! (a withdrawn or deferred enrolment stays in the feed, flagged), so a delta sync never misses a
//! removal.

use super::*;

pub use trellis_domain::dashboard::Tally;

/// Which enrolments a progress feed, summary or export covers. Paging fields are ignored by the
/// summary and the exports, which cover everything that matches.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ProgressFeedParams {
    /// Page size, 1 to 200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page, as given (empty means the first page).
    #[cfg_attr(feature = "openapi", param(max_length = 100, pattern = r"^[A-Za-z0-9_-]*$"))]
    pub cursor: Option<String>,
    /// Only enrolments whose progress or standing may have changed at or after this instant.
    #[cfg_attr(feature = "openapi", param(pattern = r"^(19[0-9]{2}|[2-9][0-9]{3})-"))]
    pub updated_since: Option<DateTime<Utc>>,
    pub programme_id: Option<Uuid>,
    pub cohort_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
    pub status: Option<EnrolmentStatus>,
    /// Evaluate requirements as of this date (default: today, UTC).
    #[cfg_attr(feature = "openapi", param(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"))]
    pub as_of: Option<NaiveDate>,
}

impl ProgressFeedParams {
    pub fn paging(&self) -> ListParams {
        ListParams { limit: self.limit, cursor: self.cursor.clone(), updated_since: self.updated_since }
    }
}

/// One enrolment's standing, for a dashboard or an MIS.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProgressItem {
    pub enrolment_id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    /// The person's id in their school's MIS, when a roster sync set it.
    pub mis_id: Option<String>,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub cohort_id: Uuid,
    pub cohort_name: String,
    pub school_id: Uuid,
    pub school_name: String,
    pub school_urn: String,
    pub status: EnrolmentStatus,
    /// True when the enrolment has left the live list (withdrawn, or deferred to a later cohort):
    /// a delta consumer removes it from what it shows as under way. Its record stays.
    pub tombstone: bool,
    /// The participant left their school on this date (a roster sync); flagged for review.
    pub left_school_on: Option<NaiveDate>,
    /// Requirements met, and all of them.
    pub met: u32,
    pub total: u32,
    /// Requirements past their due date and not met.
    pub overdue: u32,
    /// Their titles, for the dashboard's "what is late" column.
    pub overdue_items: Vec<String>,
    pub certifiable: bool,
    /// Register marks: sessions attended (present or late) of those marked.
    pub sessions_attended: u32,
    pub sessions_marked: u32,
    pub updated_at: DateTime<Utc>,
}

page!(ProgressFeed, ProgressItem);

/// One school's enrolments on one programme, tallied.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProgressSummaryRow {
    pub school_id: Uuid,
    pub school_name: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// Schools × programmes, for the trust dashboard: every row's tally and the whole's.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProgressSummary {
    pub as_of: NaiveDate,
    /// By school name, then programme name.
    pub rows: Vec<ProgressSummaryRow>,
    pub totals: Tally,
}

/// Which people a per-person feed (CPD records, DfE-shaped participants and their outcomes) covers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PeopleFeedParams {
    /// Page size, 1 to 200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page, as given (empty means the first page).
    #[cfg_attr(feature = "openapi", param(max_length = 100, pattern = r"^[A-Za-z0-9_-]*$"))]
    pub cursor: Option<String>,
    /// Only records that may have changed at or after this instant: each is sent again whole, so
    /// what was removed from it (a register corrected, an enrolment withdrawn) shows.
    #[cfg_attr(feature = "openapi", param(pattern = r"^(19[0-9]{2}|[2-9][0-9]{3})-"))]
    pub updated_since: Option<DateTime<Utc>>,
    pub school_id: Option<Uuid>,
}

impl PeopleFeedParams {
    pub fn paging(&self) -> ListParams {
        ListParams { limit: self.limit, cursor: self.cursor.clone(), updated_since: self.updated_since }
    }
}

trellis_domain::wire_enum! {
    /// A kind of CPD activity.
    pub enum CpdActivityKind {
        /// A programme session the person attended (present or late).
        Session => "session",
        /// A coaching conversation logged for them.
        Coaching => "coaching",
    }
}

/// One piece of professional development, with its time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CpdActivity {
    pub kind: CpdActivityKind,
    pub date: NaiveDate,
    pub title: String,
    pub enrolment_id: Uuid,
    pub programme_name: String,
    /// The minutes recorded on the register, else the session's length; a coaching log's minutes.
    pub minutes: u32,
}

/// A certificate as a CPD record lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CpdCertificate {
    pub id: Uuid,
    pub code: String,
    pub issued_on: NaiveDate,
    pub status: CertificateStatus,
    /// The public page anyone can check it on.
    pub verify_url: String,
}

/// One programme the person took, with how it ended.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CpdProgramme {
    pub enrolment_id: Uuid,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub cohort_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: EnrolmentStatus,
    /// The final assessment's outcome (`passed`, `failed`, `voided`), when one is recorded.
    pub outcome: Option<String>,
    pub outcome_date: Option<NaiveDate>,
    pub certificates: Vec<CpdCertificate>,
}

/// A person's CPD record: what an MIS's CPD module stores against the member of staff.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CpdRecord {
    pub person_id: Uuid,
    pub mis_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub school_id: Uuid,
    pub school_urn: String,
    /// They left the school (a roster sync marked them): the record stays, flagged.
    pub left_on: Option<NaiveDate>,
    /// Sessions and coaching, newest first.
    pub activities: Vec<CpdActivity>,
    /// Every activity's minutes, in hours (two decimals).
    pub total_hours: f64,
    pub programmes: Vec<CpdProgramme>,
    pub updated_at: DateTime<Utc>,
}

page!(CpdFeed, CpdRecord);

/// A withdrawal as the DfE Lead Provider API reports one: the reason, and the day it was recorded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ParticipantWithdrawal {
    pub reason: WithdrawalReasonKind,
    /// The free text given with the reason (always present for `other`).
    pub details: Option<String>,
    pub date: NaiveDate,
}

/// A deferral: the day it was recorded, and where the enrolment resumes. Trellis records no
/// reason for a deferral.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ParticipantDeferral {
    pub date: NaiveDate,
    pub resumes_to: EnrolmentStatus,
}

/// One of a participant's enrolments, in the shape of the DfE's `npq_enrolments`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ParticipantEnrolment {
    pub enrolment_id: Uuid,
    /// The programme's preset key (e.g. `npq-middle-leadership`), else its id.
    pub course_identifier: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    /// The DfE cohort: the academic year the cohort starts in, by its September (`"2024"` for a
    /// cohort starting in January 2025).
    pub cohort: String,
    pub cohort_id: Uuid,
    pub cohort_name: String,
    pub training_status: TrainingStatus,
    /// Trellis's own, finer status.
    pub status: EnrolmentStatus,
    pub school_urn: String,
    /// The participant left their school on this date (a roster sync): flagged for review.
    pub left_school_on: Option<NaiveDate>,
    /// Set while `training_status` is `withdrawn`.
    pub withdrawal: Option<ParticipantWithdrawal>,
    /// Set while `training_status` is `deferred`.
    pub deferral: Option<ParticipantDeferral>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A participant as the DfE Lead Provider API lists one: the person, with each enrolment the
/// caller may read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Participant {
    /// The person's id.
    pub id: Uuid,
    pub full_name: String,
    pub mis_id: Option<String>,
    pub school_urn: String,
    /// They left the school (a roster sync marked them).
    pub left_on: Option<NaiveDate>,
    /// The DfE's `npq_enrolments`, for every kind of programme.
    pub enrolments: Vec<ParticipantEnrolment>,
    /// The latest change to the person or any enrolment listed.
    pub updated_at: DateTime<Utc>,
}

page!(ParticipantFeed, Participant);
page!(ParticipantOutcomeFeed, crate::assessment::OutcomeRecord);
