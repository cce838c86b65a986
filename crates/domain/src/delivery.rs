//! Running a programme week to week: sessions, registers, coaching.

use crate::rules::definition::SessionKind;

crate::wire_enum! {
    /// A register mark.
    pub enum AttendanceStatus {
        Present => "present",
        Late => "late",
        Absent => "absent",
        Apologies => "apologies",
    }
}

impl AttendanceStatus {
    /// Whether the mark counts as attending.
    pub fn attended(self) -> bool {
        matches!(self, AttendanceStatus::Present | AttendanceStatus::Late)
    }
}

crate::wire_enum! {
    /// Who may come to a session.
    pub enum SessionAudience {
        Cohort => "cohort",
        OpenToGovernors => "open_to_governors",
        Public => "public",
    }
}

/// How a caller stands to a cohort, for which of its sessions they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Involvement {
    /// Runs it, is enrolled in it, coaches in it, or leads (or reads for) a school with staff in it.
    Member,
    /// A governor of a school with staff in the cohort.
    Governor,
    /// Anyone else signed in.
    Outsider,
}

impl SessionAudience {
    /// Whether someone who stands so to the cohort sees a session for this audience: the cohort's
    /// own sessions are its members'; those open to governors, its schools' governors' too;
    /// public ones (seminars), everyone's.
    pub fn visible_to(self, who: Involvement) -> bool {
        matches!(
            (self, who),
            (_, Involvement::Member)
                | (SessionAudience::Public, _)
                | (SessionAudience::OpenToGovernors, Involvement::Governor)
        )
    }
}

crate::wire_enum! {
    pub enum LearningGroupKind {
        ActionLearningSet => "action_learning_set",
        ClusterGroup => "cluster_group",
    }
}

/// Face-to-face time a session of this kind is worth, in half-days: a school improvement
/// half-day is 1, a twilight seminar or a meeting 0 (they count as sessions, not days), and a
/// full day 2.
pub fn default_half_days(kind: SessionKind) -> u32 {
    match kind {
        SessionKind::SchoolImprovementHalfDay => 1,
        SessionKind::Induction | SessionKind::CoreWorkshop | SessionKind::FaceToFaceDay | SessionKind::StudySession => {
            2
        }
        SessionKind::ClusterMeeting
        | SessionKind::ActionLearningSet
        | SessionKind::PublicSeminar
        | SessionKind::ImpactPresentation => 0,
    }
}

/// One participant's mark as a register gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarkEntry {
    pub enrolment_id: crate::ids::EnrolmentId,
    pub status: AttendanceStatus,
    /// Face-to-face days credited, when not what the session is worth.
    pub days: Option<f64>,
    pub minutes: Option<u32>,
}

/// A mark to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub enrolment_id: crate::ids::EnrolmentId,
    pub status: AttendanceStatus,
    /// What the register credited, if it said; otherwise the session's worth counts.
    pub half_days: Option<HalfDays>,
    pub minutes: Option<u32>,
}

/// Whether a session's register may be taken at `now`: once the session has started (a
/// facilitator marks it during the session or after), never for one still to come.
pub fn register_open(starts_at: chrono::NaiveDateTime, now: chrono::NaiveDateTime) -> bool {
    starts_at <= now
}

/// A whole register for a session of `kind`, against the cohort's enrolments (`members`, with
/// their status) and the register as stored (`current`). Only active enrolments are marked: an
/// enrolment that is not active (deferred, completed, withdrawn…) keeps the mark it had, which
/// may be sent again unchanged and which a register that leaves it out keeps. Each entry is
/// listed once, with days the session can credit. Every fault is collected, at
/// `entries[i].<field>`.
pub fn plan_register(
    entries: &[MarkEntry],
    kind: SessionKind,
    members: &std::collections::HashMap<crate::ids::EnrolmentId, crate::EnrolmentStatus>,
    current: &[Mark],
) -> Result<Vec<Mark>, Vec<crate::cohort::FieldFault>> {
    use crate::cohort::FieldFault;
    let mut faults = vec![];
    let mut marks = Vec::with_capacity(entries.len());
    let mut seen = std::collections::HashSet::new();
    for (i, e) in entries.iter().enumerate() {
        let field = |f: &str| format!("entries[{i}].{f}");
        if !seen.insert(e.enrolment_id) {
            faults.push(FieldFault::new(field("enrolment_id"), "duplicate", "listed twice"));
        }
        let half_days = match e.days.map(|d| HalfDays::from_days(d, kind)).transpose() {
            Ok(h) => h,
            Err(invalid) => {
                faults.push(FieldFault::new(field("days"), "invalid_days", invalid.to_string()));
                None
            }
        };
        let mark = Mark { enrolment_id: e.enrolment_id, status: e.status, half_days, minutes: e.minutes };
        match members.get(&e.enrolment_id) {
            None => faults.push(FieldFault::new(
                field("enrolment_id"),
                "not_in_cohort",
                "not an enrolment of this session's cohort",
            )),
            Some(crate::EnrolmentStatus::Active) => {}
            Some(_) if current.contains(&mark) => {}
            Some(status) => faults.push(FieldFault::new(
                field("enrolment_id"),
                "enrolment_not_active",
                format!("this enrolment is {}: only active participants are marked", status.as_str()),
            )),
        }
        marks.push(mark);
    }
    // Marks of enrolments no longer active stand as recorded.
    for kept in current {
        let active = members.get(&kept.enrolment_id) == Some(&crate::EnrolmentStatus::Active);
        if !active && !seen.contains(&kept.enrolment_id) {
            marks.push(*kept);
        }
    }
    if faults.is_empty() { Ok(marks) } else { Err(faults) }
}

/// The enrolments whose mark one register adds, removes or changes against another, in id order:
/// their progress may move; an unchanged mark moves nothing.
pub fn changed_marks(before: &[Mark], after: &[Mark]) -> Vec<crate::ids::EnrolmentId> {
    let mut changed: Vec<_> = before
        .iter()
        .filter(|m| !after.contains(m))
        .chain(after.iter().filter(|m| !before.contains(m)))
        .map(|m| m.enrolment_id)
        .collect();
    changed.sort();
    changed.dedup();
    changed
}

/// An instant from RFC 3339 (with offset), or a Europe/London wall-clock time without one, as UTC.
/// In the autumn hour that happens twice the earlier is meant; a spring-forward time that never
/// happens is refused (`nonexistent_local_time`), and so (`out_of_range`) is a year outside
/// `years`, before any time-zone arithmetic is done on it.
pub fn parse_instant(
    field: &str,
    s: &str,
    years: std::ops::RangeInclusive<i32>,
) -> Result<chrono::NaiveDateTime, crate::cohort::FieldFault> {
    use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Utc};
    use chrono_tz::Europe::London;
    let fault = |code: &'static str, message: String| crate::cohort::FieldFault::new(field, code, message);
    let in_range = |t: NaiveDateTime| {
        if years.contains(&t.year()) {
            Ok(t)
        } else {
            Err(fault("out_of_range", format!("must fall between the years {} and {}", years.start(), years.end())))
        }
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return in_range(t.with_timezone(&Utc).naive_utc());
    }
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| fault("invalid_time", format!("{s:?} is not RFC 3339 or a local YYYY-MM-DDTHH:MM time")))?;
    let local = in_range(local)?;
    match London.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc).naive_utc()),
        chrono::LocalResult::Ambiguous(early, _) => Ok(early.with_timezone(&Utc).naive_utc()),
        chrono::LocalResult::None => {
            Err(fault("nonexistent_local_time", format!("{s} does not exist in Europe/London (the clocks go forward)")))
        }
    }
}

/// A session as a cohort's timetable holds it (times in UTC; free text trimmed, an empty venue none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPlan {
    pub kind: SessionKind,
    pub title: String,
    pub starts: chrono::NaiveDateTime,
    pub ends: chrono::NaiveDateTime,
    pub venue_school_id: Option<crate::ids::SchoolId>,
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<crate::ids::PersonId>,
    pub led_by_enrolment_id: Option<crate::ids::EnrolmentId>,
    pub audience: SessionAudience,
    pub group_id: Option<crate::ids::GroupId>,
}

/// Changes to a session; a `None` leaves its field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionChanges {
    pub title: Option<String>,
    pub starts: Option<chrono::NaiveDateTime>,
    pub ends: Option<chrono::NaiveDateTime>,
    pub venue_school_id: Option<crate::ids::SchoolId>,
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<crate::ids::PersonId>,
    pub led_by_enrolment_id: Option<crate::ids::EnrolmentId>,
    pub audience: Option<SessionAudience>,
}

/// Free text as stored: trimmed, and nothing when nothing is left.
pub fn trimmed(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl SessionPlan {
    /// The session with `changes` made (its times are checked with the rest, by
    /// [`check_session_times`]).
    pub fn with(mut self, changes: SessionChanges) -> SessionPlan {
        if let Some(t) = changes.title {
            self.title = t.trim().to_owned();
        }
        self.starts = changes.starts.unwrap_or(self.starts);
        self.ends = changes.ends.unwrap_or(self.ends);
        if let Some(v) = changes.venue_school_id {
            self.venue_school_id = Some(v);
        }
        if let Some(v) = changes.venue_text {
            self.venue_text = trimmed(&v);
        }
        if let Some(v) = changes.facilitator_person_id {
            self.facilitator_person_id = Some(v);
        }
        if let Some(v) = changes.led_by_enrolment_id {
            self.led_by_enrolment_id = Some(v);
        }
        self.audience = changes.audience.unwrap_or(self.audience);
        self
    }
}

/// A session's times (UTC) are consistent when it ends after it starts.
pub fn check_session_times(
    starts: chrono::NaiveDateTime,
    ends: chrono::NaiveDateTime,
) -> Result<(), crate::cohort::FieldFault> {
    if ends <= starts {
        return Err(crate::cohort::FieldFault::new(
            "ends_at",
            "end_before_start",
            "a session must end after it starts",
        ));
    }
    Ok(())
}

/// Why a coaching session cannot be logged on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CoachingDateFault {
    #[error("log sessions that have happened")]
    InFuture,
    #[error("more than six months before the cohort starts")]
    BeforeProgramme,
}

impl CoachingDateFault {
    /// The stable error code.
    pub fn code(self) -> &'static str {
        match self {
            CoachingDateFault::InFuture => "in_future",
            CoachingDateFault::BeforeProgramme => "before_programme",
        }
    }
}

/// Coaching can begin at application, up to six months before the cohort starts, and is logged
/// once it has happened.
pub fn check_coaching_date(
    held_on: chrono::NaiveDate,
    cohort_starts: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<(), CoachingDateFault> {
    let earliest = cohort_starts.checked_sub_months(chrono::Months::new(6)).unwrap_or(cohort_starts);
    if held_on > today {
        Err(CoachingDateFault::InFuture)
    } else if held_on < earliest {
        Err(CoachingDateFault::BeforeProgramme)
    } else {
        Ok(())
    }
}

/// Face-to-face time in half-days, the unit registers record and programme thresholds count in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HalfDays(pub u32);

/// Days given for a mark that no session of its kind could credit.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("days must be a multiple of 0.5 between 0 and {max}")]
pub struct InvalidDays {
    /// The most the session credits, in days.
    pub max: f64,
}

impl HalfDays {
    /// What a session of this kind is worth (see [`default_half_days`]).
    pub fn of_kind(kind: SessionKind) -> HalfDays {
        HalfDays(default_half_days(kind))
    }

    /// What a mark credits: the half-days recorded on it, or else what the session is worth. A
    /// stored negative count (never written by Trellis) credits nothing.
    pub fn credited(recorded: Option<i32>, kind: SessionKind) -> HalfDays {
        recorded.map(|h| HalfDays(h.max(0) as u32)).unwrap_or_else(|| HalfDays::of_kind(kind))
    }

    /// Days as a register gives them: whole halves, never more than the session is worth (a
    /// meeting or seminar credits no days).
    pub fn from_days(days: f64, kind: SessionKind) -> Result<HalfDays, InvalidDays> {
        let max = HalfDays::of_kind(kind).days();
        if !(0.0..=max).contains(&days) || (days * 2.0).fract() != 0.0 {
            return Err(InvalidDays { max });
        }
        Ok(HalfDays((days * 2.0).round() as u32))
    }

    pub fn days(self) -> f64 {
        self.0 as f64 / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_times_become_utc_across_the_clock_changes() {
        let utc = |s: &str| s.parse::<chrono::NaiveDateTime>().unwrap();
        let p = |s: &str| parse_instant("starts_at", s, 1900..=2200);
        assert_eq!(p("2026-07-01T09:00").unwrap(), utc("2026-07-01T08:00:00"), "summer time is UTC+1");
        assert_eq!(p("2026-12-01T09:00").unwrap(), utc("2026-12-01T09:00:00"), "winter time is UTC");
        assert_eq!(p("2026-10-25T01:30").unwrap(), utc("2026-10-25T00:30:00"), "the repeated hour: the first");
        assert_eq!(p("2026-03-29T01:30").unwrap_err().code, "nonexistent_local_time");
        assert_eq!(p("2026-07-01T09:00:00+02:00").unwrap(), utc("2026-07-01T07:00:00"), "an offset wins");
        assert_eq!(p("yesterday").unwrap_err().code, "invalid_time");
        let far = p("2300-01-01T09:00").unwrap_err();
        assert_eq!((far.field.as_str(), far.code), ("starts_at", "out_of_range"));
    }

    #[test]
    fn the_audience_decides_who_sees_a_session() {
        use Involvement as I;
        use SessionAudience as A;
        let seen = |a: A| [I::Member, I::Governor, I::Outsider].map(|i| a.visible_to(i));
        assert_eq!(seen(A::Cohort), [true, false, false]);
        assert_eq!(seen(A::OpenToGovernors), [true, true, false]);
        assert_eq!(seen(A::Public), [true, true, true]);
    }

    #[test]
    fn only_active_enrolments_are_marked_and_past_marks_of_others_stand() {
        use crate::EnrolmentStatus as S;
        let id = |n: u128| crate::ids::EnrolmentId::from(uuid::Uuid::from_u128(n));
        let entry = |n, status| MarkEntry { enrolment_id: id(n), status, days: None, minutes: None };
        let mark = |n, status| Mark { enrolment_id: id(n), status, half_days: None, minutes: None };
        let members = [(id(1), S::Active), (id(2), S::Withdrawn), (id(3), S::Approved), (id(4), S::Completed)]
            .into_iter()
            .collect();
        let current = [mark(2, AttendanceStatus::Present), mark(4, AttendanceStatus::Late)];
        // Sent again unchanged, a withdrawn participant's mark is accepted; left out, a completed one's stands.
        let ok = plan_register(
            &[entry(1, AttendanceStatus::Present), entry(2, AttendanceStatus::Present)],
            SessionKind::FaceToFaceDay,
            &members,
            &current,
        )
        .unwrap();
        assert_eq!(
            ok,
            vec![
                mark(1, AttendanceStatus::Present),
                mark(2, AttendanceStatus::Present),
                mark(4, AttendanceStatus::Late)
            ]
        );
        // Changing it, or marking someone approved but not yet active, is refused.
        let faults = plan_register(
            &[entry(2, AttendanceStatus::Absent), entry(3, AttendanceStatus::Present)],
            SessionKind::FaceToFaceDay,
            &members,
            &current,
        )
        .unwrap_err();
        let got: Vec<_> = faults.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            got,
            [("entries[0].enrolment_id", "enrolment_not_active"), ("entries[1].enrolment_id", "enrolment_not_active")]
        );
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert!(register_open(at("2026-12-01 09:00"), at("2026-12-01 09:00")));
        assert!(!register_open(at("2026-12-01 09:00"), at("2026-12-01 08:59")));
    }

    #[test]
    fn a_register_is_checked_whole_and_compared_mark_by_mark() {
        let id = |n: u128| crate::ids::EnrolmentId::from(uuid::Uuid::from_u128(n));
        let entry = |n, status, days| MarkEntry { enrolment_id: id(n), status, days, minutes: None };
        use crate::EnrolmentStatus as S;
        let registrable = [(id(1), S::Active), (id(2), S::Active), (id(3), S::Active)].into_iter().collect();
        let ok = plan_register(
            &[entry(1, AttendanceStatus::Present, None), entry(2, AttendanceStatus::Late, Some(0.5))],
            SessionKind::FaceToFaceDay,
            &registrable,
            &[],
        )
        .unwrap();
        assert_eq!(ok[1].half_days, Some(HalfDays(1)));
        let faults = plan_register(
            &[
                entry(1, AttendanceStatus::Present, Some(1.5)),
                entry(9, AttendanceStatus::Absent, None),
                entry(1, AttendanceStatus::Late, None),
            ],
            SessionKind::FaceToFaceDay,
            &registrable,
            &[],
        )
        .unwrap_err();
        let got: Vec<_> = faults.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            got,
            [
                ("entries[0].days", "invalid_days"),
                ("entries[1].enrolment_id", "not_in_cohort"),
                ("entries[2].enrolment_id", "duplicate")
            ]
        );
        let mut changed = ok.clone();
        changed[0].status = AttendanceStatus::Absent;
        changed.push(Mark { enrolment_id: id(3), status: AttendanceStatus::Present, half_days: None, minutes: None });
        assert_eq!(changed_marks(&ok, &changed), [id(1), id(3)]);
        assert_eq!(changed_marks(&ok, &ok), []);
        assert_eq!(changed_marks(&ok, &ok[..1]), [id(2)], "a removed mark moves its enrolment too");
    }

    #[test]
    fn a_session_edit_changes_only_what_it_names() {
        let t = |s: &str| s.parse::<chrono::NaiveDateTime>().unwrap();
        let plan = SessionPlan {
            kind: SessionKind::FaceToFaceDay,
            title: "Day 1".into(),
            starts: t("2026-09-29T08:00:00"),
            ends: t("2026-09-29T15:00:00"),
            venue_school_id: None,
            venue_text: Some("Hall".into()),
            facilitator_person_id: None,
            led_by_enrolment_id: None,
            audience: SessionAudience::Cohort,
            group_id: None,
        };
        let edited = plan.clone().with(SessionChanges {
            title: Some("  Day 1: strategy ".into()),
            venue_text: Some("   ".into()),
            ends: Some(t("2026-09-29T16:00:00")),
            ..Default::default()
        });
        assert_eq!(edited.title, "Day 1: strategy");
        assert_eq!(edited.venue_text, None, "a blank venue is no venue");
        assert_eq!((edited.starts, edited.ends), (plan.starts, t("2026-09-29T16:00:00")));
        assert_eq!(plan.clone().with(SessionChanges::default()), plan);
    }

    #[test]
    fn a_session_ends_after_it_starts() {
        let t = |s: &str| s.parse::<chrono::NaiveDateTime>().unwrap();
        assert!(check_session_times(t("2026-09-15T09:00:00"), t("2026-09-15T16:00:00")).is_ok());
        let f = check_session_times(t("2026-09-15T09:00:00"), t("2026-09-15T09:00:00")).unwrap_err();
        assert_eq!((f.field.as_str(), f.code), ("ends_at", "end_before_start"));
    }

    #[test]
    fn coaching_is_logged_from_six_months_before_the_start_until_today() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let (starts, today) = (d("2026-09-01"), d("2026-11-30"));
        assert_eq!(check_coaching_date(d("2026-03-01"), starts, today), Ok(()));
        assert_eq!(check_coaching_date(d("2026-02-28"), starts, today), Err(CoachingDateFault::BeforeProgramme));
        assert_eq!(check_coaching_date(today, starts, today), Ok(()));
        assert_eq!(check_coaching_date(d("2026-12-01"), starts, today), Err(CoachingDateFault::InFuture));
        // Month ends clamp: six months before 31 August is 28 February.
        assert_eq!(check_coaching_date(d("2026-02-28"), d("2026-08-31"), today), Ok(()));
        assert_eq!(
            check_coaching_date(d("2026-02-27"), d("2026-08-31"), today),
            Err(CoachingDateFault::BeforeProgramme)
        );
    }

    #[test]
    fn half_days_convert_to_days_and_back_within_what_a_session_is_worth() {
        assert_eq!(HalfDays::from_days(0.5, SessionKind::FaceToFaceDay), Ok(HalfDays(1)));
        assert_eq!(HalfDays::from_days(1.0, SessionKind::FaceToFaceDay), Ok(HalfDays(2)));
        assert_eq!(HalfDays::from_days(0.0, SessionKind::ClusterMeeting), Ok(HalfDays(0)));
        assert_eq!(HalfDays::from_days(1.5, SessionKind::FaceToFaceDay), Err(InvalidDays { max: 1.0 }));
        assert_eq!(HalfDays::from_days(0.25, SessionKind::FaceToFaceDay), Err(InvalidDays { max: 1.0 }));
        assert_eq!(HalfDays::from_days(-0.5, SessionKind::FaceToFaceDay), Err(InvalidDays { max: 1.0 }));
        assert_eq!(HalfDays::from_days(0.5, SessionKind::PublicSeminar), Err(InvalidDays { max: 0.0 }));
        assert_eq!(HalfDays::from_days(f64::NAN, SessionKind::FaceToFaceDay), Err(InvalidDays { max: 1.0 }));
        assert_eq!(HalfDays::credited(None, SessionKind::SchoolImprovementHalfDay).days(), 0.5);
        assert_eq!(HalfDays::credited(Some(1), SessionKind::FaceToFaceDay).days(), 0.5);
        assert_eq!(HalfDays::credited(Some(-3), SessionKind::FaceToFaceDay), HalfDays(0));
    }

    #[test]
    fn only_present_and_late_count() {
        let counted: Vec<_> = AttendanceStatus::ALL.iter().filter(|s| s.attended()).collect();
        assert_eq!(counted, [&AttendanceStatus::Present, &AttendanceStatus::Late]);
    }

    #[test]
    fn npqml_days_add_up_to_six_and_a_half() {
        // Induction, five face-to-face days and the school-improvement half-day.
        let days = default_half_days(SessionKind::Induction)
            + 5 * default_half_days(SessionKind::FaceToFaceDay)
            + default_half_days(SessionKind::SchoolImprovementHalfDay);
        assert_eq!(days, 13);
    }
}
