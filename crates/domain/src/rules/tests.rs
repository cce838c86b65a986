//! Table tests for every preset: one fact set that is certifiable, and for each requirement one
//! that fails it for the right reason.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::calendar::TermCalendar;
use super::definition::*;
use super::presets::*;
use super::progress::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn attend(kind: SessionKind, date: &str, half_days: u32) -> Attended {
    Attended { kind, date: d(date), half_days, led_by_participant: false }
}

fn check(def: &Definition, facts: &Facts, today: &str) -> Progress {
    evaluate(def, facts, d(today), &TermCalendar::default())
}

fn req<'a>(p: &'a Progress, id: &str) -> &'a Requirement {
    p.requirements.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no requirement {id} in {:#?}", p.requirements))
}

/// Applies `change` to `good` facts and checks that exactly requirement `id` stops being met,
/// with `status` and an explanation containing `because`.
fn breaks(
    def: &Definition,
    good: &Facts,
    today: &str,
    id: &str,
    status: RequirementStatus,
    because: &str,
    change: impl FnOnce(&mut Facts),
) {
    let mut facts = good.clone();
    change(&mut facts);
    let p = check(def, &facts, today);
    let r = req(&p, id);
    assert_eq!(r.status, status, "{id}: {r:?}");
    assert!(r.explanation.contains(because), "{id}: {:?} should mention {because:?}", r.explanation);
    assert!(!p.certifiable, "{id} unmet must block certification");
    let others: Vec<_> =
        p.requirements.iter().filter(|r| r.id != id && r.status != RequirementStatus::Met).map(|r| &r.id).collect();
    assert!(others.is_empty(), "breaking {id} also broke {others:?}");
}

fn all_met(p: &Progress) {
    let unmet: Vec<_> = p.requirements.iter().filter(|r| r.status != RequirementStatus::Met).collect();
    assert!(unmet.is_empty(), "unmet: {unmet:#?}");
    assert!(p.certifiable);
}

fn npqml_facts() -> Facts {
    let mut f = Facts::new(d("2025-01-15"));
    f.attended = vec![
        attend(SessionKind::Induction, "2025-01-15", 2),
        attend(SessionKind::SchoolImprovementHalfDay, "2025-06-10", 1),
    ];
    for date in ["2025-02-10", "2025-03-10", "2025-05-12", "2025-09-15", "2025-11-10"] {
        f.attended.push(attend(SessionKind::FaceToFaceDay, date, 2));
    }
    f.coach_with_statement = Some(true);
    f.diagnostics = vec![
        DiagnosticFact { round: DiagnosticRound::Baseline, completed_on: d("2025-01-10") },
        DiagnosticFact { round: DiagnosticRound::End, completed_on: d("2025-12-20") },
    ];
    f.project = Some(ProjectFact {
        starts: d("2025-04-20"),
        ends: Some(d("2025-12-15")),
        stages_completed: vec![ProjectStage::Initiation, ProjectStage::Implementation, ProjectStage::Evaluation],
        presented_to: vec![],
    });
    f.submission = Some(SubmissionFact { words: 4500, submitted_on: d("2026-01-15") });
    f.coach_verified = true;
    f.assessment_outcome = Some(AssessmentOutcome::Pass);
    f
}

#[test]
fn npqml_table() {
    let def = npq_middle_leadership();
    let good = npqml_facts();
    let today = "2026-03-01";
    all_met(&check(&def, &good, today));
    use RequirementStatus::*;
    breaks(&def, &good, today, "assessment.word_limit", Failed, "Report is 4,501 words; the limit is 4,500", |f| {
        f.submission.as_mut().unwrap().words = 4501;
    });
    breaks(&def, &good, today, "assessment.window", Failed, "Submitted 11 months and 30 days after induction", |f| {
        f.submission.as_mut().unwrap().submitted_on = d("2026-01-14");
    });
    breaks(&def, &good, "2026-09-01", "assessment.window", Failed, "18 months and 1 day", |f| {
        f.submission.as_mut().unwrap().submitted_on = d("2026-07-16");
    });
    breaks(&def, &good, today, "project.terms", Failed, "Ended after 1 term; at least 2 needed", |f| {
        f.project.as_mut().unwrap().ends = Some(d("2025-07-22"));
    });
    breaks(&def, &good, today, "assessment.coach_verification", Pending, "Not yet verified", |f| {
        f.coach_verified = false
    });
    breaks(&def, &good, today, "sessions.induction.days", Overdue, "6 of 6.5 face-to-face days attended", |f| {
        f.attended.retain(|a| a.kind != SessionKind::SchoolImprovementHalfDay);
    });
    breaks(&def, &good, today, "coaching.named_coach", Overdue, "supporting statement is missing", |f| {
        f.coach_with_statement = Some(false)
    });
    breaks(&def, &good, today, "diagnostic.end", Overdue, "Not completed", |f| f.diagnostics.truncate(1));
    breaks(&def, &good, today, "diagnostic.baseline", Overdue, "Not completed", |f| {
        f.diagnostics.remove(0);
    });
    breaks(&def, &good, today, "project.stages", Pending, "to do: evaluation", |f| {
        f.project.as_mut().unwrap().stages_completed.pop();
    });
    breaks(&def, &good, today, "assessment.outcome", Pending, "Referred", |f| {
        f.assessment_outcome = Some(AssessmentOutcome::Refer)
    });
    breaks(&def, &good, today, "assessment.outcome", Failed, "Not passed", |f| {
        f.assessment_outcome = Some(AssessmentOutcome::Fail)
    });
    // No project at all: not started, and so neither its terms nor its stages.
    let mut f = good.clone();
    f.project = None;
    let p = check(&def, &f, today);
    assert_eq!(req(&p, "project.started").explanation, "No project recorded yet");
    assert!(p.requirements.iter().all(|r| r.id != "project.terms"));
    assert_eq!(req(&p, "project.stages").status, Pending);
    assert!(!p.certifiable);
    // Submission missing: no window or word verdicts, just "not submitted".
    let mut f = good.clone();
    f.submission = None;
    let p = check(&def, &f, today);
    assert_eq!(req(&p, "assessment.submitted").status, Pending);
    assert!(p.requirements.iter().all(|r| r.id != "assessment.word_limit"));
}

#[test]
fn npqml_nothing_recorded_reads_pending_not_failed() {
    let def = npq_middle_leadership();
    let p = check(&def, &Facts::new(d("2026-09-15")), "2026-09-01");
    assert!(!p.certifiable);
    assert!(p.requirements.iter().all(|r| r.status == RequirementStatus::Pending), "{:#?}", p.requirements);
    assert_eq!(req(&p, "sessions.induction.days").explanation, "0 of 6.5 face-to-face days attended");
}

fn lal_facts() -> Facts {
    let mut f = Facts::new(d("2025-09-10"));
    for date in ["2025-10-01", "2026-02-01", "2026-05-01"] {
        f.attended.push(attend(SessionKind::StudySession, date, 2));
    }
    for (i, date) in
        ["2025-10-15", "2025-11-15", "2026-01-15", "2026-03-15", "2026-05-15", "2026-06-15"].iter().enumerate()
    {
        f.attended.push(Attended { led_by_participant: i == 2, ..attend(SessionKind::ClusterMeeting, date, 1) });
    }
    f.project = Some(ProjectFact {
        starts: d("2025-10-01"),
        ends: Some(d("2026-06-30")),
        stages_completed: vec![],
        presented_to: vec![Audience::Staff],
    });
    let reflection = |led| PortfolioFact {
        kind: PortfolioEntryKind::Reflection,
        on: Some(SessionKind::ClusterMeeting),
        led_by_participant: led,
    };
    f.portfolio = vec![
        reflection(false),
        reflection(true),
        reflection(false),
        PortfolioFact { kind: PortfolioEntryKind::AnalyticalStory, on: None, led_by_participant: false },
    ];
    f
}

#[test]
fn leading_active_learning_table() {
    let def = leading_active_learning();
    let good = lal_facts();
    let today = "2026-07-01";
    all_met(&check(&def, &good, today));
    use RequirementStatus::*;
    breaks(
        &def,
        &good,
        today,
        "portfolio.led_reflection",
        Pending,
        "3 reflections, none on a cluster meeting you led",
        |f| {
            for e in &mut f.portfolio {
                e.led_by_participant = false;
            }
        },
    );
    breaks(&def, &good, today, "portfolio.reflections", Pending, "2 of 3 reflections", |f| {
        f.portfolio.remove(0);
    });
    breaks(&def, &good, today, "sessions.study_session", Pending, "2 of 3 study sessions attended", |f| {
        f.attended.remove(0);
    });
    breaks(&def, &good, today, "sessions.cluster_meeting", Pending, "5 of 6 cluster group meetings attended", |f| {
        f.attended.pop();
    });
    breaks(&def, &good, today, "project.presented", Pending, "Not yet presented to staff", |f| {
        f.project.as_mut().unwrap().presented_to.clear();
    });
    breaks(&def, &good, today, "portfolio.analytical_story", Pending, "No analytical story", |f| {
        f.portfolio.pop();
    });
    // With no project at all, it is neither started nor presented.
    let mut f = good.clone();
    f.project = None;
    let p = check(&def, &f, today);
    assert_eq!((req(&p, "project.started").status, req(&p, "project.presented").status), (Pending, Pending));
    assert_eq!(req(&p, "project.started").explanation, "No project recorded yet");
    // Past the programme's end, what is still missing is overdue.
    breaks(&def, &good, "2026-09-11", "sessions.study_session", Overdue, "2 of 3", |f| {
        f.attended.remove(0);
    });
}

fn lfl_facts() -> Facts {
    let mut f = Facts::new(d("2025-09-20"));
    for (kind, n) in
        [(SessionKind::CoreWorkshop, 3), (SessionKind::PublicSeminar, 5), (SessionKind::ActionLearningSet, 6)]
    {
        for i in 0..n {
            f.attended.push(attend(kind, &format!("2025-1{}-0{}", i % 3, i % 9 + 1), 2));
        }
    }
    f.coach_with_statement = Some(true);
    f.coaching_sessions = (0..4)
        .map(|i| CoachingSessionFact {
            date: d("2025-11-01") + chrono::Duration::days(30 * i),
            mode: CoachingMode::FaceToFace,
        })
        .chain([CoachingSessionFact { date: d("2026-01-05"), mode: CoachingMode::Phone }])
        .collect();
    f.diagnostics = vec![DiagnosticFact { round: DiagnosticRound::Baseline, completed_on: d("2025-09-01") }];
    f.portfolio = vec![PortfolioFact { kind: PortfolioEntryKind::ImpactPoster, on: None, led_by_participant: false }];
    f
}

#[test]
fn leadership_for_learning_table() {
    let def = leadership_for_learning();
    let good = lfl_facts();
    let today = "2026-08-01";
    all_met(&check(&def, &good, today));
    use RequirementStatus::*;
    breaks(&def, &good, today, "coaching.sessions", Pending, "3 of 4 face to face coaching sessions held", |f| {
        f.coaching_sessions[0].mode = CoachingMode::Phone;
    });
    breaks(&def, &good, today, "sessions.public_seminar", Pending, "4 of 5 public seminars", |f| {
        let i = f.attended.iter().position(|a| a.kind == SessionKind::PublicSeminar).unwrap();
        f.attended.remove(i);
    });
    breaks(&def, &good, today, "portfolio.impact_poster", Pending, "No impact poster", |f| f.portfolio.clear());
    breaks(&def, &good, today, "sessions.core_workshop", Pending, "2 of 3 core workshops", |f| {
        let i = f.attended.iter().position(|a| a.kind == SessionKind::CoreWorkshop).unwrap();
        f.attended.remove(i);
    });
    breaks(
        &def,
        &good,
        "2026-09-21",
        "sessions.action_learning_set",
        Overdue,
        "5 of 6 action learning set meetings",
        |f| {
            let i = f.attended.iter().position(|a| a.kind == SessionKind::ActionLearningSet).unwrap();
            f.attended.remove(i);
        },
    );
    breaks(&def, &good, today, "diagnostic.baseline", Overdue, "Not completed", |f| f.diagnostics.clear());
    // Coaching is offered to one leader per school: an uncoached participant has no coaching requirement.
    let mut uncoached = good.clone();
    uncoached.coach_with_statement = None;
    uncoached.coaching_sessions.clear();
    let p = check(&def, &uncoached, today);
    assert!(p.requirements.iter().all(|r| !r.id.starts_with("coaching")));
    assert!(p.certifiable);
}

#[test]
fn partnership_table() {
    let def = leadership_through_partnership();
    let mut good = Facts::new(d("2025-09-01"));
    good.project = Some(ProjectFact {
        starts: d("2025-10-01"),
        ends: None,
        stages_completed: vec![
            ProjectStage::NeedPosted,
            ProjectStage::Matched,
            ProjectStage::DataCollection,
            ProjectStage::FindingsPresented,
        ],
        presented_to: vec![Audience::SeniorTeam],
    });
    let today = "2026-03-01";
    all_met(&check(&def, &good, today));
    breaks(&def, &good, today, "project.stages", RequirementStatus::Pending, "to do: findings presented", |f| {
        f.project.as_mut().unwrap().stages_completed.pop();
    });
    breaks(&def, &good, today, "project.presented", RequirementStatus::Pending, "senior team", |f| {
        f.project.as_mut().unwrap().presented_to.clear();
    });
}

#[test]
fn trust_review_table() {
    let def = trust_expectations_review();
    let mut good = Facts::new(d("2025-09-01"));
    good.self_assessments = vec![d("2025-11-01"), d("2026-03-01"), d("2026-06-01")];
    all_met(&check(&def, &good, "2026-09-02"));
    breaks(
        &def,
        &good,
        "2026-09-02",
        "self_assessment.termly",
        RequirementStatus::Overdue,
        "2 of 3 termly self-assessments done",
        |f| {
            f.self_assessments.remove(1);
        },
    );
    let p = check(&def, &Facts::new(d("2025-09-01")), "2025-10-01");
    assert_eq!(req(&p, "self_assessment.termly").status, RequirementStatus::Pending);
}

#[test]
fn every_preset_is_valid_and_round_trips_through_json() {
    let all = presets();
    assert_eq!(
        all.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(),
        [
            "leading-active-learning",
            "leadership-for-learning",
            "leadership-through-partnership",
            "npq-middle-leadership",
            "trust-expectations-review"
        ]
    );
    for p in all {
        assert_eq!(p.definition.faults(), vec![], "{}", p.key);
        let json = serde_json::to_string(&p.definition).unwrap();
        let back: Definition = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p.definition);
    }
}

#[test]
fn contradictions_are_listed_with_their_paths() {
    let mut def = npq_middle_leadership();
    def.assessment.as_mut().unwrap().window = Some(MonthWindow { from_months: 18, to_months: 12 });
    def.sessions[0].min_days = Some(6.3);
    def.project.as_mut().unwrap().min_terms = 9;
    let paths: Vec<String> = def.faults().into_iter().map(|f| f.path).collect();
    assert_eq!(paths, ["$.sessions[0].min_days", "$.project.min_terms", "$.assessment.window"]);
    // Unknown kinds and negative counts never become a Definition at all.
    let json = serde_json::to_value(npq_middle_leadership()).unwrap();
    let mut bad = json.clone();
    bad["sessions"][0]["kinds"][0] = "yoga_retreat".into();
    assert!(serde_json::from_value::<Definition>(bad).is_err());
    let mut bad = json;
    bad["assessment"]["word_limit"] = (-1).into();
    assert!(serde_json::from_value::<Definition>(bad).is_err());
}

#[test]
fn thousands_separators() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(4500), "4,500");
    assert_eq!(thousands(1234567), "1,234,567");
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (-3000i32..5000, 1u32..=12, 1u32..=28).prop_map(|(y, m, day)| NaiveDate::from_ymd_opt(y, m, day).unwrap())
}

proptest! {
    /// `evaluate` is total: any dates, counts and outcomes give an answer, never a panic.
    #[test]
    fn evaluate_never_panics(
        induction in any_date(),
        today in any_date(),
        start in any_date(),
        end in proptest::option::of(any_date()),
        words in any::<u32>(),
        half_days in proptest::collection::vec(any::<u32>(), 0..8),
        preset_index in 0usize..5,
    ) {
        let def = presets()[preset_index].definition.clone();
        let mut f = Facts::new(induction);
        f.attended = half_days.iter().map(|h| Attended { kind: SessionKind::FaceToFaceDay, date: start, half_days: *h, led_by_participant: true }).collect();
        f.project = Some(ProjectFact { starts: start, ends: end, stages_completed: vec![], presented_to: vec![] });
        f.submission = Some(SubmissionFact { words, submitted_on: today });
        f.self_assessments = vec![start];
        let p = evaluate(&def, &f, today, &TermCalendar::default());
        prop_assert_eq!(p.certifiable, p.requirements.iter().all(|r| r.status == RequirementStatus::Met));
    }
}

/// Every requirement any preset can produce has a case above that fails it.
#[test]
fn every_preset_requirement_has_a_failing_case() {
    let covered = [
        "sessions.induction.days",
        "coaching.named_coach",
        "diagnostic.baseline",
        "diagnostic.end",
        "project.started",
        "project.terms",
        "project.stages",
        "assessment.submitted",
        "assessment.window",
        "assessment.word_limit",
        "assessment.coach_verification",
        "assessment.outcome",
        "sessions.study_session",
        "sessions.cluster_meeting",
        "project.presented",
        "portfolio.reflections",
        "portfolio.led_reflection",
        "portfolio.analytical_story",
        "sessions.core_workshop",
        "sessions.public_seminar",
        "sessions.action_learning_set",
        "coaching.sessions",
        "portfolio.impact_poster",
        "self_assessment.termly",
    ];
    let cases = [
        (npq_middle_leadership(), npqml_facts(), "2026-03-01"),
        (leading_active_learning(), lal_facts(), "2026-07-01"),
        (leadership_for_learning(), lfl_facts(), "2026-08-01"),
    ];
    for (def, facts, today) in cases {
        for r in check(&def, &facts, today).requirements {
            assert!(covered.contains(&r.id.as_str()), "{} has no failing case", r.id);
        }
    }
}

#[test]
fn evaluating_as_of_a_past_date_counts_only_what_had_happened() {
    let def = npq_middle_leadership();
    let facts = npqml_facts();
    let p = check(&def, &facts, "2025-04-01");
    let days = req(&p, "sessions.induction.days");
    assert_eq!(days.explanation, "3 of 6.5 face-to-face days attended", "induction and two days by 1 April");
}

#[test]
fn a_programme_timetables_the_kinds_it_counts_plus_induction_and_presentations() {
    for p in presets() {
        let kinds = p.definition.session_kinds();
        assert!(kinds.contains(&SessionKind::Induction), "{}", p.key);
        assert!(kinds.contains(&SessionKind::ImpactPresentation), "{}", p.key);
        for k in p.definition.sessions.iter().flat_map(|s| s.kinds.iter()) {
            assert!(kinds.contains(k), "{}: {k}", p.key);
        }
        let mut sorted = kinds.clone();
        sorted.dedup();
        assert_eq!(sorted, kinds, "{}: listed once each", p.key);
    }
    let lal = presets().into_iter().find(|p| p.key == "leading-active-learning").expect("LAL preset");
    assert!(lal.definition.session_kinds().contains(&SessionKind::ClusterMeeting));
    let npqml = presets().into_iter().find(|p| p.key == "npq-middle-leadership").expect("NPQML preset");
    assert!(!npqml.definition.session_kinds().contains(&SessionKind::ClusterMeeting));
}
