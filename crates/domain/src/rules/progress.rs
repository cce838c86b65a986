//! Facts about one enrolment, and the one function that evaluates them against a definition.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::{TermCalendar, add_months, describe_months_and_days, months_and_days};
use super::definition::*;

crate::wire_enum! {
    pub enum AssessmentOutcome {
        Pass => "pass",
        /// Referred: resubmit.
        Refer => "refer",
        Fail => "fail",
    }
}

crate::wire_enum! {
    pub enum RequirementStatus {
        Met => "met",
        Pending => "pending",
        Overdue => "overdue",
        Failed => "failed",
    }
}

/// A session the participant attended (present or late).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attended {
    pub kind: SessionKind,
    pub date: NaiveDate,
    /// Length in half-days: 2 for a full day, 1 for a half day.
    pub half_days: u32,
    pub led_by_participant: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingSessionFact {
    pub date: NaiveDate,
    pub mode: CoachingMode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticFact {
    pub round: DiagnosticRound,
    pub completed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectFact {
    pub starts: NaiveDate,
    /// Set when the project has ended.
    pub ends: Option<NaiveDate>,
    pub stages_completed: Vec<ProjectStage>,
    pub presented_to: Vec<Audience>,
}

/// A submitted portfolio entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortfolioFact {
    pub kind: PortfolioEntryKind,
    /// For reflections: the kind of session reflected on.
    pub on: Option<SessionKind>,
    /// For reflections: the participant led that session.
    pub led_by_participant: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionFact {
    pub words: u32,
    pub submitted_on: NaiveDate,
}

/// Everything known about one enrolment that the rules look at. What is not recorded is absent,
/// and the requirements that need it read pending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facts {
    pub induction_date: NaiveDate,
    #[serde(default)]
    pub attended: Vec<Attended>,
    /// A coach is assigned; `true` when they gave a supporting statement.
    #[serde(default)]
    pub coach_with_statement: Option<bool>,
    #[serde(default)]
    pub coaching_sessions: Vec<CoachingSessionFact>,
    #[serde(default)]
    pub diagnostics: Vec<DiagnosticFact>,
    #[serde(default)]
    pub project: Option<ProjectFact>,
    #[serde(default)]
    pub portfolio: Vec<PortfolioFact>,
    #[serde(default)]
    pub submission: Option<SubmissionFact>,
    #[serde(default)]
    pub coach_verified: bool,
    #[serde(default)]
    pub assessment_outcome: Option<AssessmentOutcome>,
    /// Days on which the termly self-assessment was completed.
    #[serde(default)]
    pub self_assessments: Vec<NaiveDate>,
}

impl Facts {
    pub fn new(induction_date: NaiveDate) -> Facts {
        Facts {
            induction_date,
            attended: vec![],
            coach_with_statement: None,
            coaching_sessions: vec![],
            diagnostics: vec![],
            project: None,
            portfolio: vec![],
            submission: None,
            coach_verified: false,
            assessment_outcome: None,
            self_assessments: vec![],
        }
    }
}

/// One requirement's standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Requirement {
    /// Stable within a definition, e.g. `sessions.study_session` or `assessment.word_limit`.
    pub id: String,
    pub label: String,
    pub status: RequirementStatus,
    /// Why, in a sentence: "2 of 3 study sessions attended".
    pub explanation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub requirements: Vec<Requirement>,
    /// Every requirement is met.
    pub certifiable: bool,
    /// Induction plus the programme's duration.
    pub programme_ends: NaiveDate,
}

impl Progress {
    pub fn count(&self, status: RequirementStatus) -> usize {
        self.requirements.iter().filter(|r| r.status == status).count()
    }

    /// What stands between an enrolment and `complete`: every requirement not yet met, other than
    /// the final assessment's (`assessment.*`, which certification follows).
    pub fn completion_blockers(&self) -> Vec<&Requirement> {
        self.requirements
            .iter()
            .filter(|r| !r.id.starts_with("assessment.") && r.status != RequirementStatus::Met)
            .collect()
    }
}

/// 4500 → "4,500".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn days_text(half_days: u32) -> String {
    if half_days.is_multiple_of(2) { format!("{}", half_days / 2) } else { format!("{}.5", half_days / 2) }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

struct Builder<'a> {
    today: NaiveDate,
    out: &'a mut Vec<Requirement>,
}

impl Builder<'_> {
    fn push(
        &mut self,
        id: impl Into<String>,
        label: impl Into<String>,
        status: RequirementStatus,
        explanation: String,
        due: Option<NaiveDate>,
    ) {
        self.out.push(Requirement { id: id.into(), label: label.into(), status, explanation, due });
    }

    /// Met when `met`; otherwise pending until `due`, overdue after it.
    fn by(&mut self, id: impl Into<String>, label: impl Into<String>, met: bool, explanation: String, due: NaiveDate) {
        let status = if met {
            RequirementStatus::Met
        } else if self.today > due {
            RequirementStatus::Overdue
        } else {
            RequirementStatus::Pending
        };
        self.push(id, label, status, explanation, Some(due));
    }
}

/// Evaluates `facts` against `def` as of `today`. Total: it never panics, whatever the input.
pub fn evaluate(def: &Definition, facts: &Facts, today: NaiveDate, calendar: &TermCalendar) -> Progress {
    let induction = facts.induction_date;
    let ends = add_months(induction, def.duration_months);
    let window = def.assessment.as_ref().and_then(|a| a.window);
    // Work for the final assessment is due when its window closes; otherwise at the programme's end.
    let deadline = window.map(|w| add_months(induction, w.to_months)).unwrap_or(ends);
    let mut requirements = vec![];
    let mut b = Builder { today, out: &mut requirements };

    for s in &def.sessions {
        let key = s.kinds.first().map(|k| k.as_str()).unwrap_or("none");
        // Evaluating as of a past date counts only what had happened by then.
        let counted: Vec<&Attended> =
            facts.attended.iter().filter(|a| s.kinds.contains(&a.kind) && a.date <= today).collect();
        if let Some(min) = s.min_sessions {
            let n = counted.len();
            b.by(
                format!("sessions.{key}"),
                format!("Attend {min} {}", s.label),
                n >= min as usize,
                format!("{n} of {min} {} attended", s.label),
                ends,
            );
        }
        if let Some(days) = s.min_days {
            let need = (days * 2.0).round().clamp(0.0, u32::MAX as f64) as u32;
            let have: u32 = counted.iter().map(|a| a.half_days).fold(0u32, u32::saturating_add);
            b.by(
                format!("sessions.{key}.days"),
                format!("Attend {} {}", days_text(need), s.label),
                have >= need,
                format!("{} of {} {} attended", days_text(have), days_text(need), s.label),
                ends,
            );
        }
    }

    if let Some(c) = &def.coaching {
        if c.named_coach_required {
            let (met, text) = match facts.coach_with_statement {
                Some(true) => (true, "Coach named, with a supporting statement".to_owned()),
                Some(false) => (false, "Coach named; their supporting statement is missing".to_owned()),
                None => (false, "No coach named yet".to_owned()),
            };
            b.by("coaching.named_coach", "A named coach with a supporting statement", met, text, induction);
        }
        // Where coaching is offered to one leader per school, those without a coach have no coaching requirement.
        let coached = facts.coach_with_statement.is_some() || !c.one_per_school;
        if c.min_sessions > 0 && coached {
            let n =
                facts.coaching_sessions.iter().filter(|s| c.count_modes.contains(&s.mode) && s.date <= today).count();
            let modes = c.count_modes.iter().map(|m| m.as_str().replace('_', " ")).collect::<Vec<_>>().join(" or ");
            b.by(
                "coaching.sessions",
                format!("{} coaching sessions ({modes})", c.min_sessions),
                n >= c.min_sessions as usize,
                format!("{n} of {} {modes} coaching sessions held", c.min_sessions),
                ends,
            );
        }
    }

    if let Some(d) = &def.diagnostic {
        for round in &d.rounds {
            // As of a past date, a round closed later is not done yet.
            let done = facts
                .diagnostics
                .iter()
                .filter(|f| f.round == *round && f.completed_on <= today)
                .map(|f| f.completed_on)
                .min();
            let (label, due) = match round {
                DiagnosticRound::Baseline => ("360 diagnostic before induction", induction),
                DiagnosticRound::End => ("360 diagnostic at the end", ends),
            };
            let text = match done {
                Some(on) if on > due && *round == DiagnosticRound::Baseline => {
                    format!("Completed {}, after induction on {}", on.format("%-d %b %Y"), due.format("%-d %b %Y"))
                }
                Some(on) => format!("Completed {}", on.format("%-d %b %Y")),
                None => "Not completed yet".to_owned(),
            };
            b.by(format!("diagnostic.{round}"), label, done.is_some(), text, due);
        }
    }

    if let Some(p) = &def.project {
        // Evaluating as of a past date: a project that had not started by then is not there yet.
        let project = facts.project.as_ref().filter(|f| f.starts <= today);
        let setting = match p.setting {
            ProjectSetting::OwnSchool => "in your own school",
            ProjectSetting::OtherSchool => "in another school",
        };
        match project {
            None => b.by(
                "project.started",
                format!("Lead a project {setting}"),
                false,
                "No project recorded yet".into(),
                deadline,
            ),
            Some(f) => {
                b.push(
                    "project.started",
                    format!("Lead a project {setting}"),
                    RequirementStatus::Met,
                    format!("Started {}", f.starts.format("%-d %b %Y")),
                    None,
                );
                if p.min_terms > 0 {
                    let until = f.ends.unwrap_or(today).max(f.starts);
                    let lasted = calendar.terms_lasted(f.starts, until);
                    let need = p.min_terms as usize;
                    let label = format!("Project lasts at least {}", plural(need, "term", "terms"));
                    let text = format!("Ran for {}; at least {need} needed", plural(lasted, "term", "terms"));
                    if lasted >= need {
                        b.push("project.terms", label, RequirementStatus::Met, text, None);
                    } else if f.ends.is_some_and(|e| e <= today) {
                        b.push(
                            "project.terms",
                            label,
                            RequirementStatus::Failed,
                            format!("Ended after {}; at least {need} needed", plural(lasted, "term", "terms")),
                            None,
                        );
                    } else {
                        b.by("project.terms", label, false, text, deadline);
                    }
                }
            }
        }
        if !p.stages.is_empty() {
            let done: Vec<&ProjectStage> =
                p.stages.iter().filter(|s| project.is_some_and(|f| f.stages_completed.contains(s))).collect();
            let missing: Vec<String> =
                p.stages.iter().filter(|s| !done.contains(s)).map(|s| s.as_str().replace('_', " ")).collect();
            let text = if missing.is_empty() {
                "All stages complete".to_owned()
            } else {
                format!("{} of {} stages complete; to do: {}", done.len(), p.stages.len(), missing.join(", "))
            };
            b.by("project.stages", "Complete every project stage", missing.is_empty(), text, deadline);
        }
        if !p.present_to.is_empty() {
            let missing: Vec<String> = p
                .present_to
                .iter()
                .filter(|a| !project.is_some_and(|f| f.presented_to.contains(a)))
                .map(|a| a.as_str().replace('_', " "))
                .collect();
            let to = p.present_to.iter().map(|a| a.as_str().replace('_', " ")).collect::<Vec<_>>().join(" and ");
            let text = if missing.is_empty() {
                format!("Presented to {to}")
            } else {
                format!("Not yet presented to {}", missing.join(" and "))
            };
            b.by("project.presented", format!("Present outcomes to {to}"), missing.is_empty(), text, deadline);
        }
    }

    if let Some(p) = &def.portfolio {
        if let Some(r) = &p.reflections {
            let on = r.on.as_str().replace('_', " ");
            let reflections: Vec<&PortfolioFact> = facts
                .portfolio
                .iter()
                .filter(|e| e.kind == PortfolioEntryKind::Reflection && e.on == Some(r.on))
                .collect();
            let n = reflections.len();
            b.by(
                "portfolio.reflections",
                format!("Reflections on {} {on}s", r.count),
                n >= r.count as usize,
                format!("{} of {} reflections on {on}s submitted", n.min(r.count as usize), r.count),
                deadline,
            );
            if r.led_by_participant_min > 0 {
                let led = reflections.iter().filter(|e| e.led_by_participant).count();
                let need = r.led_by_participant_min as usize;
                let text = match (n, led) {
                    (0, _) => format!("No reflections yet; at least {need} must be on a {on} you led"),
                    (_, 0) => format!(
                        "{}, none on a {on} you led; at least {need} must be",
                        plural(n, "reflection", "reflections")
                    ),
                    (_, l) => {
                        format!("{} on a {on} you led; at least {need} needed", plural(l, "reflection", "reflections"))
                    }
                };
                b.by(
                    "portfolio.led_reflection",
                    format!("At least {need} reflecting on a {on} you led"),
                    led >= need,
                    text,
                    deadline,
                );
            }
        }
        for kind in &p.entries {
            let has = facts.portfolio.iter().any(|e| e.kind == *kind);
            let name = kind.as_str().replace('_', " ");
            let text = if has { format!("The {name} is submitted") } else { format!("No {name} submitted yet") };
            b.by(format!("portfolio.{kind}"), format!("Submit an {name}"), has, text, deadline);
        }
    }

    if let Some(a) = &def.assessment {
        match &facts.submission {
            None => {
                let text = match window {
                    Some(w) => format!(
                        "Not submitted; the window is {} to {} months after induction",
                        w.from_months, w.to_months
                    ),
                    None => "Not submitted yet".into(),
                };
                b.by("assessment.submitted", "Submit the final assessment", false, text, deadline);
            }
            Some(s) => {
                b.push(
                    "assessment.submitted",
                    "Submit the final assessment",
                    RequirementStatus::Met,
                    format!("Submitted {}", s.submitted_on.format("%-d %b %Y")),
                    None,
                );
                if let Some(w) = window {
                    let opens = add_months(induction, w.from_months);
                    let closes = add_months(induction, w.to_months);
                    let (m, d) = months_and_days(induction, s.submitted_on);
                    let after = if s.submitted_on < induction {
                        "before induction".to_owned()
                    } else {
                        format!("{} after induction", describe_months_and_days(m, d))
                    };
                    let inside = s.submitted_on >= opens && s.submitted_on <= closes;
                    let text = if inside {
                        format!("Submitted {after}, inside the {}–{} month window", w.from_months, w.to_months)
                    } else {
                        format!(
                            "Submitted {after}; the window is {} to {} months after induction",
                            w.from_months, w.to_months
                        )
                    };
                    let status = if inside { RequirementStatus::Met } else { RequirementStatus::Failed };
                    b.push(
                        "assessment.window",
                        format!("Submit {} to {} months after induction", w.from_months, w.to_months),
                        status,
                        text,
                        Some(closes),
                    );
                }
                if let Some(limit) = a.word_limit {
                    let over = s.words > limit;
                    let text = format!(
                        "Report is {} words; the limit is {}",
                        thousands(s.words.into()),
                        thousands(limit.into())
                    );
                    let status = if over { RequirementStatus::Failed } else { RequirementStatus::Met };
                    b.push(
                        "assessment.word_limit",
                        format!("Report of at most {} words", thousands(limit.into())),
                        status,
                        text,
                        None,
                    );
                }
            }
        }
        if a.coach_verification {
            let text = if facts.coach_verified {
                "Verified by the coach".to_owned()
            } else {
                "Not yet verified by the coach".to_owned()
            };
            b.by("assessment.coach_verification", "Coach verifies the evidence", facts.coach_verified, text, deadline);
        }
        let (status, text) = match facts.assessment_outcome {
            Some(AssessmentOutcome::Pass) => (RequirementStatus::Met, "Passed".to_owned()),
            Some(AssessmentOutcome::Fail) => (RequirementStatus::Failed, "Not passed".to_owned()),
            Some(AssessmentOutcome::Refer) => (RequirementStatus::Pending, "Referred: resubmit".to_owned()),
            None => (RequirementStatus::Pending, "Not yet assessed".to_owned()),
        };
        let by = if a.external_assessor { "Passed by an external assessor" } else { "Passed by the assessor" };
        let criteria = if a.criteria.is_empty() { String::new() } else { format!(" ({})", a.criteria.join(", ")) };
        b.push("assessment.outcome", format!("{by}{criteria}"), status, text, None);
    }

    if let Some(sa) = &def.self_assessment {
        // The programme's terms: those it overlaps before its end date.
        let terms = calendar.terms_between(induction, ends.pred_opt().unwrap_or(ends));
        let done =
            terms.iter().filter(|t| facts.self_assessments.iter().any(|d| *d >= t.starts && *d <= t.ends)).count();
        let missed = terms
            .iter()
            .filter(|t| t.ends < today && !facts.self_assessments.iter().any(|d| *d >= t.starts && *d <= t.ends))
            .count();
        let status = if done == terms.len() {
            RequirementStatus::Met
        } else if missed > 0 {
            RequirementStatus::Overdue
        } else {
            RequirementStatus::Pending
        };
        let who = if sa.trust_assessment { "school and trust" } else { "school" };
        b.push(
            "self_assessment.termly",
            format!("A {who} self-assessment every term"),
            status,
            format!("{done} of {} termly self-assessments done", terms.len()),
            terms.iter().find(|t| t.ends >= today).map(|t| t.ends),
        );
    }

    let certifiable = !requirements.is_empty() && requirements.iter().all(|r| r.status == RequirementStatus::Met);
    Progress { requirements, certifiable, programme_ends: ends }
}
