//! The work-based project: who it is for, how long it must run, the order of its stages, and its
//! impact measures. One place for each rule; the API refuses what breaks them and the SPA shows the
//! same verdict before anything is sent.

use chrono::NaiveDate;

use crate::cohort::FieldFault;
use crate::rules::calendar::TermCalendar;
use crate::rules::definition::{ProjectRule, ProjectStage, TeamSize};

crate::wire_enum! {
    /// What a project works on: seed 000's list of work-based activities, or `other` (described
    /// in the project's `focus_detail`).
    pub enum FocusArea {
        LiteracyAndMathematics => "literacy_and_mathematics",
        BehaviourForLearning => "behaviour_for_learning",
        SelfInitiatedLearningEarlyYears => "self_initiated_learning_early_years",
        IndependentStudy => "independent_study",
        HomeLearning => "home_learning",
        AttendanceOfTargetGroups => "attendance_of_target_groups",
        Transition => "transition",
        RestorativeApproaches => "restorative_approaches",
        PupilVoice => "pupil_voice",
        InterventionTracking => "intervention_tracking",
        CurriculumMaterials => "curriculum_materials",
        Other => "other",
    }
}

/// The most enrolments one project's team may hold (a small group).
pub const MAX_TEAM: usize = 6;

/// The team size a number of members makes: 1 individual, 2 a pair, 3–6 a small group.
pub fn team_size(members: usize) -> Option<TeamSize> {
    match members {
        1 => Some(TeamSize::Individual),
        2 => Some(TeamSize::Pair),
        3..=MAX_TEAM => Some(TeamSize::SmallGroup),
        _ => None,
    }
}

/// The stages a project of this programme passes through, in order: the programme's own, or
/// initiation → implementation → evaluation where it names none.
pub fn stages(rule: Option<&ProjectRule>) -> Vec<ProjectStage> {
    match rule {
        Some(r) if !r.stages.is_empty() => r.stages.clone(),
        _ => vec![ProjectStage::Initiation, ProjectStage::Implementation, ProjectStage::Evaluation],
    }
}

/// A project as planned: its dates and the size of its team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectPlan {
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub members: usize,
}

/// How a planned project measures against the programme's duration rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// Terms the planned dates cover (on at least half the days of each).
    pub terms: usize,
    /// Terms the programme requires (0: no minimum).
    pub required: usize,
}

impl Duration {
    pub fn long_enough(&self) -> bool {
        self.terms >= self.required
    }
}

/// The planned project's length in terms, against the trust's calendar.
pub fn duration(rule: Option<&ProjectRule>, calendar: &TermCalendar, starts: NaiveDate, ends: NaiveDate) -> Duration {
    Duration {
        terms: if ends < starts { 0 } else { calendar.terms_lasted(starts, ends) },
        required: rule.map(|r| r.min_terms as usize).unwrap_or(0),
    }
}

/// Every fault of a plan against the programme: dates in order, a team size the programme allows,
/// and at least the programme's minimum number of terms (`project_too_short`, which the SPA shows
/// before saving).
pub fn check_plan(rule: Option<&ProjectRule>, calendar: &TermCalendar, plan: &ProjectPlan) -> Vec<FieldFault> {
    let mut out = vec![];
    if plan.ends < plan.starts {
        out.push(FieldFault::new("ends_on", "ends_before_start", "a project ends on or after the day it starts"));
    }
    match team_size(plan.members) {
        None => out.push(FieldFault::new(
            "team",
            "team_size_not_allowed",
            format!("a project's team has 1 to {MAX_TEAM} participants"),
        )),
        Some(size) => {
            if let Some(r) = rule.filter(|r| !r.team_sizes.contains(&size)) {
                let allowed = r.team_sizes.iter().map(|s| s.as_str().replace('_', " ")).collect::<Vec<_>>();
                out.push(FieldFault::new(
                    "team",
                    "team_size_not_allowed",
                    format!(
                        "this programme's projects are for {} ({} chosen)",
                        allowed.join(", "),
                        size.as_str().replace('_', " ")
                    ),
                ));
            }
        }
    }
    let d = duration(rule, calendar, plan.starts, plan.ends);
    if plan.ends >= plan.starts && !d.long_enough() {
        out.push(FieldFault::new(
            "ends_on",
            "project_too_short",
            format!(
                "the project must last at least {} terms; these dates cover {} (a term counts when the project runs on at least half its days)",
                d.required, d.terms
            ),
        ));
    }
    out
}

/// A stage recorded on a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageRecord {
    pub stage: ProjectStage,
    pub completed_on: NaiveDate,
}

/// Why a stage cannot be recorded as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageFault {
    pub code: &'static str,
    pub message: String,
}

/// Whether `stage` may be recorded as completed on `on`: it is one of the programme's stages, the
/// stage before it is already complete, it is not dated before the project starts, before the
/// stage before it, or after the stage after it. Recording a stage again replaces its date and
/// account.
pub fn check_stage(
    order: &[ProjectStage],
    starts: NaiveDate,
    recorded: &[StageRecord],
    stage: ProjectStage,
    on: NaiveDate,
) -> Result<(), StageFault> {
    let fault = |code, message: String| Err(StageFault { code, message });
    let Some(i) = order.iter().position(|s| *s == stage) else {
        let names = order.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        return fault("stage_not_in_programme", format!("this programme's project stages are {names}"));
    };
    if on < starts {
        return fault("stage_before_project", format!("the project starts on {starts}; a stage cannot end before it"));
    }
    let date_of = |s: ProjectStage| recorded.iter().find(|r| r.stage == s).map(|r| r.completed_on);
    if let Some(previous) = i.checked_sub(1).map(|p| order[p]) {
        match date_of(previous) {
            None => return fault("stage_out_of_order", format!("record the {} stage first", previous.as_str())),
            Some(d) if on < d => {
                return fault(
                    "stage_out_of_order",
                    format!("the {} stage was completed on {d}; this one cannot be earlier", previous.as_str()),
                );
            }
            Some(_) => {}
        }
    }
    if let Some(next) = order.get(i + 1).copied()
        && let Some(d) = date_of(next)
        && on > d
    {
        return fault(
            "stage_out_of_order",
            format!("the {} stage was completed on {d}; this one cannot be later", next.as_str()),
        );
    }
    Ok(())
}

/// The day the project finished: its last stage's date, once every stage is recorded.
pub fn finished_on(order: &[ProjectStage], recorded: &[StageRecord]) -> Option<NaiveDate> {
    let last = order.last()?;
    if order.iter().all(|s| recorded.iter().any(|r| r.stage == *s)) {
        recorded.iter().find(|r| r.stage == *last).map(|r| r.completed_on)
    } else {
        None
    }
}

/// How far the latest reading has come from the baseline towards the target, in per cent (0 at
/// the baseline, 100 at the target; beyond either end when the reading is). `None` when the
/// baseline is the target.
pub fn towards_target(baseline: f64, target: f64, latest: f64) -> Option<f64> {
    let span = target - baseline;
    if span == 0.0 || !span.is_finite() {
        return None;
    }
    let p = (latest - baseline) / span * 100.0;
    p.is_finite().then_some(p)
}

/// Largest magnitude an impact measure's value may have: measures are counts, rates and scores.
pub const MAX_MEASURE_VALUE: f64 = 1.0e9;

/// Whether a measure value is one Trellis records: finite and within ±`MAX_MEASURE_VALUE`.
pub fn measure_value_ok(v: f64) -> bool {
    v.is_finite() && v.abs() <= MAX_MEASURE_VALUE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::definition::Audience;
    use crate::rules::presets::{leading_active_learning, npq_middle_leadership};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn team_sizes_follow_the_count() {
        assert_eq!(team_size(0), None);
        assert_eq!(team_size(1), Some(TeamSize::Individual));
        assert_eq!(team_size(2), Some(TeamSize::Pair));
        assert_eq!(team_size(6), Some(TeamSize::SmallGroup));
        assert_eq!(team_size(7), None);
    }

    #[test]
    fn npqml_refuses_a_project_shorter_than_two_terms() {
        let def = npq_middle_leadership();
        let rule = def.project.as_ref();
        let cal = TermCalendar::default();
        let one_term = ProjectPlan { starts: d("2026-09-01"), ends: d("2026-12-20"), members: 1 };
        let faults = check_plan(rule, &cal, &one_term);
        assert_eq!(faults.len(), 1, "{faults:?}");
        assert_eq!(faults[0].code, "project_too_short");
        assert!(faults[0].message.contains("cover 1"), "{}", faults[0].message);
        let two_terms = ProjectPlan { ends: d("2027-03-31"), ..one_term };
        assert!(check_plan(rule, &cal, &two_terms).is_empty());
        // A pair is not an NPQML project.
        let pair = ProjectPlan { members: 2, ..two_terms };
        assert_eq!(check_plan(rule, &cal, &pair)[0].code, "team_size_not_allowed");
    }

    #[test]
    fn lal_takes_any_length_and_team() {
        let def = leading_active_learning();
        let plan = ProjectPlan { starts: d("2026-10-01"), ends: d("2026-10-20"), members: 3 };
        assert!(check_plan(def.project.as_ref(), &TermCalendar::default(), &plan).is_empty());
        assert_eq!(def.project.as_ref().unwrap().present_to, vec![Audience::Staff]);
        let backwards = ProjectPlan { ends: d("2026-09-01"), ..plan };
        assert_eq!(check_plan(def.project.as_ref(), &TermCalendar::default(), &backwards)[0].code, "ends_before_start");
    }

    #[test]
    fn stages_go_in_order_and_in_date_order() {
        let order = stages(None);
        let starts = d("2026-09-01");
        let init = StageRecord { stage: ProjectStage::Initiation, completed_on: d("2026-10-01") };
        assert_eq!(
            check_stage(&order, starts, &[], ProjectStage::Implementation, d("2026-11-01")).unwrap_err().code,
            "stage_out_of_order"
        );
        assert!(check_stage(&order, starts, &[], ProjectStage::Initiation, d("2026-10-01")).is_ok());
        assert_eq!(
            check_stage(&order, starts, &[], ProjectStage::Initiation, d("2026-08-01")).unwrap_err().code,
            "stage_before_project"
        );
        assert_eq!(
            check_stage(&order, starts, &[init], ProjectStage::Implementation, d("2026-09-15")).unwrap_err().code,
            "stage_out_of_order"
        );
        let imp = StageRecord { stage: ProjectStage::Implementation, completed_on: d("2027-01-10") };
        assert!(check_stage(&order, starts, &[init], ProjectStage::Implementation, d("2027-01-10")).is_ok());
        // Moving the first stage after the second is refused.
        assert!(check_stage(&order, starts, &[init, imp], ProjectStage::Initiation, d("2027-02-01")).is_err());
        assert_eq!(
            check_stage(&order, starts, &[], ProjectStage::Matched, d("2026-10-01")).unwrap_err().code,
            "stage_not_in_programme"
        );
        assert_eq!(finished_on(&order, &[init, imp]), None);
        let ev = StageRecord { stage: ProjectStage::Evaluation, completed_on: d("2027-04-20") };
        assert_eq!(finished_on(&order, &[init, imp, ev]), Some(d("2027-04-20")));
    }

    #[test]
    fn progress_towards_the_target() {
        // Seed 001: a KS1 phonics pass rate from 27 % towards 80 %, now 79 %.
        let p = towards_target(27.0, 80.0, 79.0).unwrap();
        assert!((p - 98.11).abs() < 0.01, "{p}");
        assert_eq!(towards_target(5.0, 5.0, 7.0), None);
        // A measure meant to fall (absence) works the same way.
        assert_eq!(towards_target(20.0, 10.0, 15.0), Some(50.0));
        assert!(measure_value_ok(79.0) && !measure_value_ok(f64::NAN) && !measure_value_ok(2e9));
    }
}
