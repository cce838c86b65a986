//! The final assessment: what a submission must satisfy before it is accepted, how it is marked
//! against the programme's criteria, moderated and released, who may not judge it, and the
//! certificate's public code. One place for each rule: the API refuses what breaks them and the
//! SPA shows the same verdicts, from the same functions, before anything is sent.

use chrono::NaiveDate;

use crate::cohort::FieldFault;
use crate::ids::{PersonId, SchoolId};
use crate::rules::calendar::{TermCalendar, add_months};
use crate::rules::definition::{AssessmentRule, ProjectRule, ProjectStage};
use crate::rules::progress::AssessmentOutcome;
use crate::rules::word_count;

/// Months a referred participant has to resubmit, where the programme names none.
pub const DEFAULT_RESUBMISSION_MONTHS: u32 = 3;

/// A participant submits at most twice: once, and once more after a refer.
pub const MAX_ATTEMPTS: u32 = 2;

crate::wire_enum! {
    /// Where a submission stands.
    pub enum SubmissionStatus {
        /// Handed in; waiting for the coach's verification (where required) and the marker.
        Submitted => "submitted",
        /// Withdrawn by the participant before it was marked (kept, with the reason).
        Withdrawn => "withdrawn",
        /// Marked; waiting for moderation (when a moderator is assigned) and release.
        Marked => "marked",
        /// The outcome is released to the participant, with the feedback.
        Released => "released",
    }
}

impl SubmissionStatus {
    /// Still in play: not withdrawn.
    pub fn live(self) -> bool {
        self != SubmissionStatus::Withdrawn
    }
}

crate::wire_enum! {
    /// One criterion's verdict.
    pub enum CriterionVerdict {
        Met => "met",
        NotYetMet => "not_yet_met",
    }
}

crate::wire_enum! {
    /// What a judgement is: the first marker's, or the moderator's second look.
    pub enum JudgementKind {
        Mark => "mark",
        Moderation => "moderation",
    }
}

crate::wire_enum! {
    /// A final outcome, as the DfE's NPQ outcomes name them.
    pub enum OutcomeState {
        Passed => "passed",
        Failed => "failed",
    }
}

crate::wire_enum! {
    /// A certificate's standing, as its public page and the status list say.
    pub enum CertificateStatus {
        Valid => "valid",
        Revoked => "revoked",
    }
}

/// The window in which a submission is accepted, from the programme's months after induction
/// (bounds included).
pub fn window(rule: &AssessmentRule, induction: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    rule.window.map(|w| (add_months(induction, w.from_months), add_months(induction, w.to_months)))
}

/// The project a submission reports on, as far as the rules look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedProject {
    pub starts: NaiveDate,
    /// The planned end, or the day its last stage was completed when that is later.
    pub ends: NaiveDate,
    pub stages_completed: Vec<ProjectStage>,
}

/// A submission as the participant is about to make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionPlan<'a> {
    pub report: &'a str,
    pub submitted_on: NaiveDate,
    pub induction: NaiveDate,
    pub project: Option<ReportedProject>,
    /// 1, or 2 after a refer.
    pub attempt: u32,
    /// For a resubmission: the last day it is accepted.
    pub resubmit_by: Option<NaiveDate>,
}

/// Every reason the submission cannot be accepted, each with its own code and the numbers that
/// decide it: `report_over_word_limit` (with the count), `outside_assessment_window` (with the
/// window's dates), `project_too_short` (with the terms counted), `project_stages_incomplete`,
/// `resubmission_closed`, `report_blank`, `project_required`.
pub fn check_submission(
    rule: &AssessmentRule,
    project_rule: Option<&ProjectRule>,
    calendar: &TermCalendar,
    plan: &SubmissionPlan<'_>,
) -> Vec<FieldFault> {
    let mut out = vec![];
    let words = word_count(plan.report);
    if words == 0 {
        out.push(FieldFault::new("report", "report_blank", "write the report before submitting it"));
    }
    if let Some(limit) = rule.word_limit
        && words > limit as usize
    {
        out.push(FieldFault::new(
            "report",
            "report_over_word_limit",
            format!(
                "the report has {} words; the limit is {} (supporting documents are not counted)",
                thousands(words),
                thousands(limit as usize)
            ),
        ));
    }
    match plan.resubmit_by {
        // A resubmission has its own period instead of the window.
        Some(by) if plan.attempt > 1 => {
            if plan.submitted_on > by {
                out.push(FieldFault::new(
                    "submitted_on",
                    "resubmission_closed",
                    format!("the resubmission period ended on {}", long_date(by)),
                ));
            }
        }
        _ => {
            if let Some((opens, closes)) = window(rule, plan.induction)
                && (plan.submitted_on < opens || plan.submitted_on > closes)
            {
                out.push(FieldFault::new(
                    "submitted_on",
                    "outside_assessment_window",
                    format!(
                        "submissions are accepted from {} to {} ({} to {} months after induction); today is {}",
                        long_date(opens),
                        long_date(closes),
                        rule.window.map(|w| w.from_months).unwrap_or(0),
                        rule.window.map(|w| w.to_months).unwrap_or(0),
                        long_date(plan.submitted_on)
                    ),
                ));
            }
        }
    }
    match (&plan.project, project_rule) {
        (None, Some(_)) => {
            out.push(FieldFault::new("project_id", "project_required", "a submission reports on your project"))
        }
        (Some(p), rule) => {
            let d = crate::project::duration(rule, calendar, p.starts, p.ends);
            if !d.long_enough() {
                out.push(FieldFault::new(
                    "project_id",
                    "project_too_short",
                    format!(
                        "the project must last at least {} terms; it covers {} (a term counts when the project runs on at least half its days)",
                        d.required, d.terms
                    ),
                ));
            }
            let missing: Vec<_> = crate::project::stages(rule)
                .into_iter()
                .filter(|s| !p.stages_completed.contains(s))
                .map(|s| s.as_str())
                .collect();
            if !missing.is_empty() {
                out.push(FieldFault::new(
                    "project_id",
                    "project_stages_incomplete",
                    format!("record these stages of the project first: {}", missing.join(", ")),
                ));
            }
        }
        (None, None) => {}
    }
    out
}

/// One criterion as the assessor judged it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionMark<'a> {
    pub criterion: &'a str,
    pub verdict: CriterionVerdict,
}

/// What is wrong with a mark: every criterion of the programme judged once and no other
/// (`criteria_incomplete`, `unknown_criterion`, `duplicate`), a pass only with every criterion met
/// (`pass_with_unmet_criteria`), and a refer only on a first attempt (`no_further_resubmission`).
pub fn check_mark(
    rule: &AssessmentRule,
    attempt: u32,
    marks: &[CriterionMark<'_>],
    outcome: AssessmentOutcome,
) -> Vec<FieldFault> {
    let mut out = vec![];
    for (i, m) in marks.iter().enumerate() {
        if !rule.criteria.iter().any(|c| c == m.criterion) {
            out.push(FieldFault::new(
                format!("criteria[{i}].criterion"),
                "unknown_criterion",
                format!("the programme's criteria are: {}", rule.criteria.join(", ")),
            ));
        } else if marks[..i].iter().any(|o| o.criterion == m.criterion) {
            out.push(FieldFault::new(format!("criteria[{i}].criterion"), "duplicate", "judge each criterion once"));
        }
    }
    let missing: Vec<_> =
        rule.criteria.iter().filter(|c| !marks.iter().any(|m| m.criterion == c.as_str())).cloned().collect();
    if !missing.is_empty() {
        out.push(FieldFault::new(
            "criteria",
            "criteria_incomplete",
            format!("judge every criterion; not yet judged: {}", missing.join(", ")),
        ));
    }
    out.extend(check_outcome(attempt, outcome, marks.iter().any(|m| m.verdict == CriterionVerdict::NotYetMet)));
    out
}

/// The rules an outcome follows whoever gives it (the marker, or a moderator who overturns).
pub fn check_outcome(attempt: u32, outcome: AssessmentOutcome, any_unmet: bool) -> Vec<FieldFault> {
    let mut out = vec![];
    if outcome == AssessmentOutcome::Pass && any_unmet {
        out.push(FieldFault::new(
            "outcome",
            "pass_with_unmet_criteria",
            "a pass needs every criterion met; refer or fail instead",
        ));
    }
    if outcome == AssessmentOutcome::Refer && attempt >= MAX_ATTEMPTS {
        out.push(FieldFault::new(
            "outcome",
            "no_further_resubmission",
            "this is the resubmission: a refer opens only one, so the outcome is pass or fail",
        ));
    }
    out
}

/// The last day a referred participant may resubmit.
pub fn resubmit_by(rule: &AssessmentRule, released_on: NaiveDate) -> NaiveDate {
    add_months(released_on, rule.resubmission_months.unwrap_or(DEFAULT_RESUBMISSION_MONTHS))
}

/// The outcome a submission ends with: the moderator's when they overturned the mark, else the
/// marker's.
pub fn decided(
    mark: Option<AssessmentOutcome>,
    moderation: Option<(bool, AssessmentOutcome)>,
) -> Option<AssessmentOutcome> {
    match moderation {
        Some((false, overturned)) => Some(overturned),
        _ => mark,
    }
}

/// Who an assessor is, as far as a conflict of interest is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssessorLinks {
    pub person_id: Option<PersonId>,
    /// The school the assessor's own person record belongs to, if any.
    pub school_id: Option<SchoolId>,
}

/// An external assessor may not judge a participant from a school they are linked to, nor
/// someone they coach, nor themselves.
pub fn conflict_of_interest(
    assessor: &AssessorLinks,
    participant: PersonId,
    participant_school: SchoolId,
    coach: Option<PersonId>,
) -> bool {
    assessor.school_id == Some(participant_school)
        || assessor.person_id == Some(participant)
        || (assessor.person_id.is_some() && assessor.person_id == coach)
}

/// The alphabet of certificate codes: Crockford's base 32 (no I, L, O or U to misread).
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A certificate's public code from 50 random bits: `TRL-XXXXX-XXXXX`, easy to read aloud and to
/// type, too many to guess.
pub fn certificate_code(random: u64) -> String {
    let mut out = String::from("TRL-");
    for i in 0..10 {
        if i == 5 {
            out.push('-');
        }
        let v = (random >> (5 * (9 - i))) & 31;
        out.push(CODE_ALPHABET[v as usize] as char);
    }
    out
}

/// A typed code as the canonical one: upper case, with the letters people confuse read as the
/// digits they look like (O→0, I and L→1), spaces dropped. `None` when it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let upper: String = typed.trim().chars().filter(|c| *c != ' ').map(|c| c.to_ascii_uppercase()).collect();
    let body: String = upper
        .strip_prefix("TRL-")?
        .chars()
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    let ok = body.len() == 11
        && body.as_bytes()[5] == b'-'
        && body.bytes().enumerate().all(|(i, b)| i == 5 || CODE_ALPHABET.contains(&b));
    ok.then(|| format!("TRL-{body}"))
}

fn thousands(n: usize) -> String {
    crate::rules::progress::thousands(n as u64)
}

/// "20 September 2026", written out by hand: chrono's strftime machinery would add some 10 KB to
/// the SPA, which runs these checks too.
fn long_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::presets;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn npqml() -> crate::rules::Definition {
        presets::preset("npq-middle-leadership").unwrap().definition
    }

    fn project(starts: &str, ends: &str, stages: &[ProjectStage]) -> Option<ReportedProject> {
        Some(ReportedProject { starts: d(starts), ends: d(ends), stages_completed: stages.to_vec() })
    }

    const ALL: [ProjectStage; 3] = [ProjectStage::Initiation, ProjectStage::Implementation, ProjectStage::Evaluation];

    fn plan<'a>(report: &'a str, on: &str, p: Option<ReportedProject>) -> SubmissionPlan<'a> {
        SubmissionPlan {
            report,
            submitted_on: d(on),
            induction: d("2025-09-20"),
            project: p,
            attempt: 1,
            resubmit_by: None,
        }
    }

    fn codes(f: &[FieldFault]) -> Vec<&'static str> {
        f.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_good_submission_has_no_faults() {
        let def = npqml();
        let p = plan("My project raised phonics scores.", "2026-10-01", project("2025-10-01", "2026-07-10", &ALL));
        let f = check_submission(def.assessment.as_ref().unwrap(), def.project.as_ref(), &TermCalendar::default(), &p);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn each_fault_has_its_code_and_numbers() {
        let def = npqml();
        let long = "word ".repeat(4501);
        let p = plan(&long, "2026-08-01", project("2026-01-05", "2026-03-20", &ALL[..1]));
        let f = check_submission(def.assessment.as_ref().unwrap(), def.project.as_ref(), &TermCalendar::default(), &p);
        assert_eq!(
            codes(&f),
            ["report_over_word_limit", "outside_assessment_window", "project_too_short", "project_stages_incomplete"]
        );
        assert!(f[0].message.contains("4,501 words; the limit is 4,500"), "{}", f[0].message);
        assert!(f[1].message.contains("20 September 2026 to 20 March 2027"), "{}", f[1].message);
        assert!(f[2].message.contains("at least 2 terms; it covers 1"), "{}", f[2].message);
        assert!(f[3].message.contains("implementation, evaluation"), "{}", f[3].message);
    }

    #[test]
    fn exactly_the_limit_and_the_window_edges_are_accepted() {
        let def = npqml();
        let a = def.assessment.as_ref().unwrap();
        let at_limit = "word ".repeat(4500);
        for on in ["2026-09-20", "2027-03-20"] {
            let p = plan(&at_limit, on, project("2025-10-01", "2026-07-10", &ALL));
            assert!(check_submission(a, def.project.as_ref(), &TermCalendar::default(), &p).is_empty(), "{on}");
        }
        let p = plan(&at_limit, "2027-03-21", project("2025-10-01", "2026-07-10", &ALL));
        assert_eq!(
            codes(&check_submission(a, def.project.as_ref(), &TermCalendar::default(), &p)),
            ["outside_assessment_window"]
        );
    }

    #[test]
    fn a_resubmission_has_its_own_period() {
        let def = npqml();
        let a = def.assessment.as_ref().unwrap();
        let mut p = plan("report", "2027-05-01", project("2025-10-01", "2026-07-10", &ALL));
        p.attempt = 2;
        p.resubmit_by = Some(resubmit_by(a, d("2027-02-10")));
        assert!(check_submission(a, def.project.as_ref(), &TermCalendar::default(), &p).is_empty());
        p.submitted_on = d("2027-05-11");
        assert_eq!(
            codes(&check_submission(a, def.project.as_ref(), &TermCalendar::default(), &p)),
            ["resubmission_closed"]
        );
    }

    #[test]
    fn marks_cover_every_criterion_and_outcomes_follow_them() {
        let def = npqml();
        let a = def.assessment.as_ref().unwrap();
        let m = |c, v| CriterionMark { criterion: c, verdict: v };
        let all_met = [
            m("Initiation", CriterionVerdict::Met),
            m("Implementation", CriterionVerdict::Met),
            m("Evaluation", CriterionVerdict::Met),
        ];
        assert!(check_mark(a, 1, &all_met, AssessmentOutcome::Pass).is_empty());
        let one_unmet = [
            m("Initiation", CriterionVerdict::Met),
            m("Implementation", CriterionVerdict::NotYetMet),
            m("Evaluation", CriterionVerdict::Met),
        ];
        assert_eq!(codes(&check_mark(a, 1, &one_unmet, AssessmentOutcome::Pass)), ["pass_with_unmet_criteria"]);
        assert!(check_mark(a, 1, &one_unmet, AssessmentOutcome::Refer).is_empty());
        assert_eq!(codes(&check_mark(a, 2, &one_unmet, AssessmentOutcome::Refer)), ["no_further_resubmission"]);
        let odd = [
            m("Initiation", CriterionVerdict::Met),
            m("Initiation", CriterionVerdict::Met),
            m("Vibes", CriterionVerdict::Met),
        ];
        assert_eq!(
            codes(&check_mark(a, 1, &odd, AssessmentOutcome::Fail)),
            ["duplicate", "unknown_criterion", "criteria_incomplete"]
        );
    }

    #[test]
    fn the_moderator_decides_only_when_overturning() {
        use AssessmentOutcome as O;
        assert_eq!(decided(Some(O::Pass), None), Some(O::Pass));
        assert_eq!(decided(Some(O::Pass), Some((true, O::Pass))), Some(O::Pass));
        assert_eq!(decided(Some(O::Pass), Some((false, O::Refer))), Some(O::Refer));
    }

    #[test]
    fn conflicts_are_the_school_the_coachee_and_oneself() {
        fn id<T: From<uuid::Uuid>>(n: u128) -> T {
            uuid::Uuid::from_u128(n).into()
        }
        let a = AssessorLinks { person_id: Some(id(1)), school_id: Some(id(10)) };
        assert!(conflict_of_interest(&a, id(2), id(10), None));
        assert!(conflict_of_interest(&a, id(2), id(11), Some(id(1))));
        assert!(conflict_of_interest(&a, id(1), id(11), None));
        assert!(!conflict_of_interest(&a, id(2), id(11), Some(id(3))));
        let unlinked = AssessorLinks { person_id: None, school_id: None };
        assert!(!conflict_of_interest(&unlinked, id(2), id(10), None));
    }

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = certificate_code(0x3_ffff_ffff_ffff);
        assert_eq!(code, "TRL-ZZZZZ-ZZZZZ");
        let code = certificate_code(0x1234_5678_9abc);
        assert_eq!(code.len(), 15);
        assert_eq!(normalise_code(&code.to_lowercase()), Some(code.clone()));
        assert_eq!(normalise_code("trl-0o1il-zzzzz"), Some("TRL-00111-ZZZZZ".into()));
        assert_eq!(normalise_code("TRL-ZZZZZ-ZZZZU"), None);
        assert_eq!(normalise_code("XYZ-ZZZZZ-ZZZZZ"), None);
        assert_eq!(normalise_code("TRL-ZZZZZZZZZZ"), None);
    }
}
