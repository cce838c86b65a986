//! School-to-school partnerships (seed 003, "Developing Leadership through Partnership"): each
//! participating school posts an area of need; the list is circulated; a school matches a member
//! of its own staff to a need in a **different** school; the colleague visits and collects data;
//! the findings and an action plan are presented to the host's senior team (and, where
//! appropriate, its governors), and the host acknowledges them. A round can be postponed with a
//! restart date, as the seed's own programme was.

use chrono::NaiveDate;

use crate::ids::SchoolId;

crate::wire_enum! {
    /// An area of need, from the seed's list; `curriculum_review` and `other` name the subject,
    /// year group or topic in `area_detail`.
    pub enum NeedArea {
        QualityOfFeedback => "quality_of_feedback",
        HomeworkProvision => "homework_provision",
        SupportingDisadvantaged => "supporting_disadvantaged",
        PastoralSystems => "pastoral_systems",
        DigitalTechnology => "digital_technology",
        CpdProvision => "cpd_provision",
        SupportingTheTopEnd => "supporting_the_top_end",
        WellbeingReview => "wellbeing_review",
        /// A curriculum subject or year-group review.
        CurriculumReview => "curriculum_review",
        Other => "other",
    }
}

impl NeedArea {
    /// The seed's own words, for boards and emails.
    pub fn label(self) -> &'static str {
        match self {
            NeedArea::QualityOfFeedback => "Quality of feedback",
            NeedArea::HomeworkProvision => "Homework provision",
            NeedArea::SupportingDisadvantaged => "Supporting disadvantaged children",
            NeedArea::PastoralSystems => "Pastoral systems",
            NeedArea::DigitalTechnology => "Digital technology",
            NeedArea::CpdProvision => "CPD provision",
            NeedArea::SupportingTheTopEnd => "Supporting the top end",
            NeedArea::WellbeingReview => "Wellbeing review",
            NeedArea::CurriculumReview => "Curriculum subject or year-group review",
            NeedArea::Other => "Other",
        }
    }

    /// Whether `area_detail` must say what (the subject or year group; the topic).
    pub fn needs_detail(self) -> bool {
        matches!(self, NeedArea::CurriculumReview | NeedArea::Other)
    }
}

crate::wire_enum! {
    /// How a visit collected its data (the seed's list).
    pub enum DataCollection {
        LessonObservation => "lesson_observation",
        StaffInterview => "staff_interview",
        PupilInterview => "pupil_interview",
        DataEvaluation => "data_evaluation",
        /// Analysing policies and schemes of work.
        PolicyAnalysis => "policy_analysis",
    }
}

crate::wire_enum! {
    /// Where a partnership round stands. (Named apart in the OpenAPI document from a 360 round's
    /// status, which shares the Rust name.)
    #[cfg_attr(feature = "openapi", schema(as = PartnershipRoundStatus))]
    pub enum RoundStatus {
        /// Needs are posted and matched.
        Open => "open",
        /// Paused until its restart date; nothing new is posted or matched meanwhile.
        Postponed => "postponed",
    }
}

crate::wire_enum! {
    /// Where a need stands, from posting to the host's acknowledgement of the findings.
    pub enum NeedStatus {
        Open => "open",
        /// A colleague from another school is matched to it.
        Matched => "matched",
        /// The findings and action plan are written and presented.
        Reported => "reported",
        /// The host school has acknowledged the findings.
        Acknowledged => "acknowledged",
    }
}

/// Why a partnership request is refused, as the API's stable codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnershipError {
    #[error("a colleague is matched to a need in a different school, not their own")]
    SameSchool,
    #[error("{0} needs area_detail saying which subject, year group or topic")]
    DetailRequired(NeedArea),
    #[error("the time frame ends before it starts")]
    TimeFrame,
    #[error("the round is postponed until {0}: nothing is posted or matched until it restarts")]
    Postponed(NaiveDate),
    #[error("the restart date must be after today")]
    RestartInPast,
    #[error("this need already has a colleague matched to it")]
    AlreadyMatched,
    #[error("this need has no colleague matched to it yet")]
    NotMatched,
    #[error("a visit needs at least one way of collecting data")]
    NoDataCollection,
    #[error("findings come from the visits: log them first, and present on or after the first")]
    PresentedBeforeVisit,
    #[error("findings are acknowledged once they are written up and presented")]
    NotReported,
}

impl PartnershipError {
    pub fn code(&self) -> &'static str {
        match self {
            PartnershipError::SameSchool => "same_school_match",
            PartnershipError::DetailRequired(_) => "area_detail_required",
            PartnershipError::TimeFrame => "invalid_time_frame",
            PartnershipError::Postponed(_) => "round_postponed",
            PartnershipError::RestartInPast => "restart_in_past",
            PartnershipError::AlreadyMatched => "already_matched",
            PartnershipError::NotMatched => "not_matched",
            PartnershipError::NoDataCollection => "data_collection_required",
            PartnershipError::PresentedBeforeVisit => "presented_before_visit",
            PartnershipError::NotReported => "findings_not_reported",
        }
    }

    /// The request field at fault, where there is one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            PartnershipError::SameSchool => Some("person_id"),
            PartnershipError::DetailRequired(_) => Some("area_detail"),
            PartnershipError::TimeFrame => Some("ends_on"),
            PartnershipError::RestartInPast => Some("restart_on"),
            PartnershipError::NoDataCollection => Some("data_collection"),
            PartnershipError::PresentedBeforeVisit => Some("presented_on"),
            _ => None,
        }
    }
}

/// A need as posted: checked once, at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedSpec {
    pub area: NeedArea,
    pub area_detail: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl NeedSpec {
    pub fn parse(
        area: NeedArea,
        area_detail: Option<&str>,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> Result<NeedSpec, PartnershipError> {
        let area_detail = area_detail.map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned);
        if area.needs_detail() && area_detail.is_none() {
            return Err(PartnershipError::DetailRequired(area));
        }
        if ends_on < starts_on {
            return Err(PartnershipError::TimeFrame);
        }
        Ok(NeedSpec { area, area_detail, starts_on, ends_on })
    }
}

/// Whether a round takes new needs and matches now.
pub fn open_for_changes(status: RoundStatus, restart_on: Option<NaiveDate>) -> Result<(), PartnershipError> {
    match (status, restart_on) {
        (RoundStatus::Postponed, Some(d)) => Err(PartnershipError::Postponed(d)),
        _ => Ok(()),
    }
}

/// A restart date for a postponement, which must lie ahead.
pub fn restart_date(restart_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate, PartnershipError> {
    if restart_on <= today { Err(PartnershipError::RestartInPast) } else { Ok(restart_on) }
}

/// The seed's one rule of matching: a colleague works on a need in a school other than their own.
pub fn check_match(host: SchoolId, colleague_school: SchoolId) -> Result<(), PartnershipError> {
    if host == colleague_school { Err(PartnershipError::SameSchool) } else { Ok(()) }
}

/// A point on the Earth, in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

impl Coordinates {
    /// `None` when either is out of range or not a number.
    pub fn parse(latitude: f64, longitude: f64) -> Option<Coordinates> {
        ((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude))
            .then_some(Coordinates { latitude, longitude })
    }

    /// Straight-line (great-circle) distance in kilometres, by the haversine formula on a sphere of
    /// the Earth's mean radius: within 0.5 % of the ellipsoid, plenty to rank schools by.
    pub fn distance_km(self, other: Coordinates) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0088;
        let (p1, p2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dp = p2 - p1;
        let dl = (other.longitude - self.longitude).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

/// A member of staff who might take on a need.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<K> {
    pub key: K,
    pub name: String,
    /// They put themselves forward for the need's area in this round.
    pub offers_area: bool,
    /// From their school to the host; `None` when either school has no coordinates.
    pub distance_km: Option<f64>,
}

/// Ranks candidates for a need: those who offered its area first, then the nearest (unknown
/// distances last), then by name — a stable, explainable order.
pub fn rank<K>(mut candidates: Vec<Candidate<K>>) -> Vec<Candidate<K>> {
    candidates.sort_by(|a, b| {
        b.offers_area
            .cmp(&a.offers_area)
            .then_with(|| match (a.distance_km, b.distance_km) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => core::cmp::Ordering::Less,
                (None, Some(_)) => core::cmp::Ordering::Greater,
                (None, None) => core::cmp::Ordering::Equal,
            })
            .then_with(|| a.name.cmp(&b.name))
    });
    candidates
}

/// Findings come from visits: there is at least one, and they are presented no earlier than the
/// first.
pub fn check_presented(presented_on: NaiveDate, first_visit: Option<NaiveDate>) -> Result<(), PartnershipError> {
    match first_visit {
        Some(v) if presented_on >= v => Ok(()),
        _ => Err(PartnershipError::PresentedBeforeVisit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_colleague_cannot_take_a_need_in_their_own_school() {
        let (a, b) = (SchoolId::from(Uuid::from_u128(1)), SchoolId::from(Uuid::from_u128(2)));
        assert_eq!(check_match(a, a), Err(PartnershipError::SameSchool));
        assert_eq!(PartnershipError::SameSchool.code(), "same_school_match");
        assert_eq!(check_match(a, b), Ok(()));
    }

    #[test]
    fn curriculum_reviews_and_other_areas_say_what() {
        let (s, e) = (d("2027-01-05"), d("2027-03-31"));
        assert_eq!(
            NeedSpec::parse(NeedArea::CurriculumReview, Some("  "), s, e),
            Err(PartnershipError::DetailRequired(NeedArea::CurriculumReview))
        );
        assert!(NeedSpec::parse(NeedArea::CurriculumReview, Some("Year 6 maths"), s, e).is_ok());
        assert_eq!(NeedSpec::parse(NeedArea::HomeworkProvision, None, s, e).map(|n| n.area_detail), Ok(None));
        assert_eq!(NeedSpec::parse(NeedArea::HomeworkProvision, None, e, s), Err(PartnershipError::TimeFrame));
    }

    #[test]
    fn a_postponed_round_takes_nothing_new_and_restarts_ahead() {
        assert_eq!(
            open_for_changes(RoundStatus::Postponed, Some(d("2021-09-01"))),
            Err(PartnershipError::Postponed(d("2021-09-01")))
        );
        assert_eq!(open_for_changes(RoundStatus::Open, None), Ok(()));
        assert_eq!(restart_date(d("2021-09-01"), d("2021-09-01")), Err(PartnershipError::RestartInPast));
        assert_eq!(restart_date(d("2021-09-01"), d("2021-03-01")), Ok(d("2021-09-01")));
    }

    #[test]
    fn distance_is_the_great_circle() {
        let london = Coordinates::parse(51.5074, -0.1278).unwrap();
        let manchester = Coordinates::parse(53.4808, -2.2426).unwrap();
        let km = london.distance_km(manchester);
        assert!((km - 262.0).abs() < 2.0, "{km}");
        assert!(london.distance_km(london).abs() < 1e-9);
        assert!((london.distance_km(manchester) - manchester.distance_km(london)).abs() < 1e-9);
        assert!(Coordinates::parse(91.0, 0.0).is_none());
        assert!(Coordinates::parse(0.0, f64::NAN).is_none());
    }

    #[test]
    fn candidates_who_offered_the_area_come_first_then_the_nearest() {
        let c = |key: u8, name: &str, offers_area, distance_km| Candidate {
            key,
            name: name.into(),
            offers_area,
            distance_km,
        };
        let ranked = rank(vec![
            c(1, "Ann", false, Some(1.0)),
            c(2, "Ben", true, None),
            c(3, "Cal", true, Some(9.0)),
            c(4, "Dee", true, Some(2.0)),
            c(5, "Eve", false, None),
            c(6, "Abe", false, Some(1.0)),
        ]);
        assert_eq!(ranked.iter().map(|c| c.key).collect::<Vec<_>>(), [4, 3, 2, 6, 1, 5]);
    }

    #[test]
    fn findings_are_presented_after_the_first_visit() {
        assert_eq!(
            check_presented(d("2027-02-01"), Some(d("2027-02-02"))),
            Err(PartnershipError::PresentedBeforeVisit)
        );
        assert!(check_presented(d("2027-02-02"), Some(d("2027-02-02"))).is_ok());
        assert_eq!(check_presented(d("2027-02-02"), None), Err(PartnershipError::PresentedBeforeVisit));
    }
}
