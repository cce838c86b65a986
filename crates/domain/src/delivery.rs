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

#[cfg(test)]
mod tests {
    use super::*;

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
