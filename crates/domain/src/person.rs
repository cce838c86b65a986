//! People: staff and governors of schools.

crate::wire_enum! {
    /// A person's role at their school.
    pub enum StaffRole {
        Teacher => "teacher",
        TeachingAssistant => "teaching_assistant",
        LearningSupportAssistant => "learning_support_assistant",
        MiddleLeader => "middle_leader",
        SeniorLeader => "senior_leader",
        Head => "head",
        Governor => "governor",
        Other => "other",
    }
}
