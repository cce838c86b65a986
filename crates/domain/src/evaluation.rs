//! Programme evaluation (seed 001, "Leadership for Learning: Evaluation of Year 1 Programme"): at
//! an interim and an end stage the provider interviews the heads whose schools take part and the
//! governors who engaged, with the report's own questions; the cohort's statistics — participants,
//! schools, governors engaged, withdrawals with their reasons, attendance by kind of session,
//! completion — and its impact posters by theme make the rest of the report.

use chrono::NaiveDate;

crate::wire_enum! {
    /// When an evaluation interview was held.
    pub enum EvaluationStage {
        /// Part way through the programme.
        Interim => "interim",
        /// At or after its end (the impact session).
        End => "end",
    }
}

crate::wire_enum! {
    /// Who was interviewed.
    pub enum IntervieweeRole {
        /// The head teacher of a school taking part.
        Head => "head",
        /// A governor of a school taking part.
        Governor => "governor",
    }
}

/// The structured questions of an interview, in the seed's words: what they expected, the impact
/// they have seen, what got in the way.
pub const QUESTIONS: [(&str, &str); 3] = [
    ("expected", "What did you expect from the programme when your leaders enrolled?"),
    ("impact", "What impact have you seen on their leadership, and on teaching and learning in the school?"),
    ("challenges", "What has made it harder for the programme to have an impact?"),
];

/// Why an interview was refused, as the API's stable codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationError {
    #[error("an interview is recorded once it has been held: not after today")]
    InFuture,
    #[error("an interview is held during or after the programme, not before the cohort starts")]
    BeforeProgramme,
    #[error("every question needs an answer, even if only to say there is nothing to report")]
    Unanswered(&'static str),
}

impl EvaluationError {
    pub fn code(&self) -> &'static str {
        match self {
            EvaluationError::InFuture => "in_future",
            EvaluationError::BeforeProgramme => "before_programme",
            EvaluationError::Unanswered(_) => "blank",
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            EvaluationError::InFuture | EvaluationError::BeforeProgramme => "held_on",
            EvaluationError::Unanswered(f) => f,
        }
    }
}

/// An interview as recorded: held between the cohort's start and today, each question answered.
pub fn check_interview(
    held_on: NaiveDate,
    cohort_starts: NaiveDate,
    today: NaiveDate,
    answers: [&str; 3],
) -> Result<(), EvaluationError> {
    if held_on > today {
        return Err(EvaluationError::InFuture);
    }
    if held_on < cohort_starts {
        return Err(EvaluationError::BeforeProgramme);
    }
    for ((field, _), answer) in QUESTIONS.iter().zip(answers) {
        if answer.trim().is_empty() {
            return Err(EvaluationError::Unanswered(field));
        }
    }
    Ok(())
}

/// A whole percentage, rounded half up; none of none.
pub fn percent(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| (200 * u64::from(part) + u64::from(whole)) / (2 * u64::from(whole))).map(|p| p as u32)
}

/// Marks that count as attended: present and late.
pub fn attended(present: u32, late: u32, marked: u32) -> Option<u32> {
    percent(present + late, marked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn interviews_are_held_in_the_programme_and_every_question_answered() {
        let ok = ["Stronger middle leaders", "More confident", "Staff turnover"];
        assert_eq!(check_interview(d("2026-02-01"), d("2025-09-15"), d("2026-12-07"), ok), Ok(()));
        assert_eq!(
            check_interview(d("2026-12-08"), d("2025-09-15"), d("2026-12-07"), ok),
            Err(EvaluationError::InFuture)
        );
        assert_eq!(
            check_interview(d("2025-09-14"), d("2025-09-15"), d("2026-12-07"), ok).unwrap_err().field(),
            "held_on"
        );
        let blank = ["Stronger middle leaders", "  ", "Staff turnover"];
        let e = check_interview(d("2026-02-01"), d("2025-09-15"), d("2026-12-07"), blank).unwrap_err();
        assert_eq!((e.code(), e.field()), ("blank", "impact"));
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(0, 0), None);
        assert_eq!(attended(7, 1, 10), Some(80));
    }
}
