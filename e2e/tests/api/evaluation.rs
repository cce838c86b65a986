//! Programme evaluation (seed 001): the demo's finished Leadership for Learning cohort reads as an
//! evaluation report (statistics, attendance by kind, withdrawals, interviews, posters by theme,
//! narrative); interviews are its facilitators' to record, each question answered; the narrative
//! is rewritten; the report exports as CSV. Nobody else reads it.

use trellis_client::Client;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    the_demo_cohorts_report_has_its_statistics_interviews_and_posters,
    interviews_are_the_facilitators_to_record_with_every_question_answered,
    the_narrative_is_rewritten_and_the_report_exports_as_csv,
);

async fn lfl(c: &Client) -> Cohort {
    let page = c.list_cohorts(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap();
    page.items.into_iter().find(|c| c.name == trellis_api::seed::LFL_COHORT_NAME).expect("the demo's LfL cohort")
}

async fn the_demo_cohorts_report_has_its_statistics_interviews_and_posters(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = lfl(&fac).await;
    let r = fac.get_cohort_evaluation(cohort.id).await.unwrap();
    assert_eq!(r.programme_name, "Leadership for Learning");
    let st = &r.statistics;
    assert_eq!((st.participants, st.schools, st.governors, st.governor_schools), (7, 4, 2, 2));
    assert_eq!((st.completed, st.started, st.completion_percent), (5, 7, Some(71)));
    assert_eq!(st.withdrawals.len(), 1);
    assert_eq!((st.withdrawals[0].reason, st.withdrawals[0].count), (WithdrawalReasonKind::StaffTurnover, 1));
    assert!(st.withdrawals[0].details[0].contains("outside the trust"));
    let kinds: Vec<(SessionKind, u32)> = st.attendance.iter().map(|a| (a.kind, a.sessions)).collect();
    assert_eq!(
        kinds,
        [(SessionKind::CoreWorkshop, 3), (SessionKind::ActionLearningSet, 6), (SessionKind::PublicSeminar, 5)]
    );
    for a in &st.attendance {
        assert_eq!(a.marked, a.present + a.late + a.absent + a.apologies, "{a:?}");
        assert!(a.attendance_percent.is_some_and(|p| p > 50 && p < 100), "{a:?}");
    }
    let count = |s: EnrolmentStatus| st.by_status.iter().find(|b| b.status == s).unwrap().count;
    assert_eq!(
        (count(EnrolmentStatus::Completed), count(EnrolmentStatus::Withdrawn), count(EnrolmentStatus::Deferred)),
        (5, 1, 1)
    );

    let stages = |stage| r.interviews.iter().filter(|i| i.stage == stage).count();
    assert_eq!((stages(EvaluationStage::Interim), stages(EvaluationStage::End)), (3, 2));
    assert!(r.interviews.iter().any(|i| i.role == IntervieweeRole::Governor));
    assert!(r.interviews.windows(2).all(|w| w[0].held_on <= w[1].held_on), "oldest first");
    assert_eq!(r.questions.len(), 3);
    assert_eq!(r.posters.len(), 5);
    let theme = |t: PosterTheme| r.themes.iter().find(|x| x.theme == t).unwrap().posters;
    assert_eq!((theme(PosterTheme::RaisingAttainment), theme(PosterTheme::ActiveCollaboration)), (3, 1));
    assert_eq!(r.themes.len(), 6);
    assert!(r.narrative.conclusion.contains("network") && r.updated_at.is_some());
}

fn interview(school: Uuid, on: &str) -> CreateEvaluationInterview {
    CreateEvaluationInterview {
        stage: EvaluationStage::End,
        role: IntervieweeRole::Head,
        school_id: school,
        interviewee: "Marcus Bell, head".into(),
        held_on: on.parse().unwrap(),
        expected: "Senior leaders thinking strategically.".into(),
        impact: "They lead the school's improvement plan's priorities.".into(),
        challenges: "Time.".into(),
        notes: String::new(),
    }
}

async fn interviews_are_the_facilitators_to_record_with_every_question_answered(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = lfl(&fac).await.id;
    let b = school_id(&s.login("head.b").await).await;
    let before = fac.get_cohort_evaluation(cohort).await.unwrap().interviews.len();

    let p = problem(fac.create_evaluation_interview(cohort, &interview(Uuid::now_v7(), "2026-07-09")).await);
    assert_eq!((p.status, p.code.as_str(), p.errors[0].field.as_str()), (422, "school_not_in_cohort", "school_id"));
    let p = problem(fac.create_evaluation_interview(cohort, &interview(b, "2099-07-09")).await);
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("in_future", "held_on"));
    let p = problem(fac.create_evaluation_interview(cohort, &interview(b, "2025-09-01")).await);
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("before_programme", "held_on"));
    let blank = CreateEvaluationInterview { impact: "   ".into(), ..interview(b, "2026-07-09") };
    let p = problem(fac.create_evaluation_interview(cohort, &blank).await);
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("blank", "impact"));
    for who in ["head.b", "trust", "participant.a", "coach"] {
        let c = s.login(who).await;
        let r = c.create_evaluation_interview(cohort, &interview(b, "2026-07-09")).await;
        assert_eq!(code(r).0, 403, "{who} may see the cohort but does not run it");
        assert_eq!(code(c.get_cohort_evaluation(cohort).await).0, 403, "{who} reads no heads' answers");
    }
    assert_eq!(fac.get_cohort_evaluation(cohort).await.unwrap().interviews.len(), before, "the refusals wrote nothing");

    let made = fac.create_evaluation_interview(cohort, &interview(b, "2026-07-09")).await.unwrap();
    assert_eq!((made.school_id, made.school_name.as_str()), (b, "Riverside Academy"));
    let r = fac.get_cohort_evaluation(cohort).await.unwrap();
    assert_eq!(r.interviews.len(), before + 1);
    assert!(r.interviews.iter().any(|i| i.id == made.id && i.impact.contains("improvement plan")));
}

async fn the_narrative_is_rewritten_and_the_report_exports_as_csv(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = lfl(&fac).await.id;
    let words = EvaluationNarrative {
        background: "Commissioned by the trust.".into(),
        challenges: "=SUM(A1:A9) was typed by someone".into(),
        conclusion: "A network of leaders.".into(),
    };
    let r = fac.update_cohort_evaluation(cohort, &words).await.unwrap();
    assert_eq!(r.narrative, words);
    let csv = String::from_utf8(fac.export_cohort_evaluation(cohort).await.unwrap()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("section,item,value,text"));
    assert!(csv.contains("statistics,participants,7,"), "{csv}");
    assert!(csv.contains("attendance,public_seminar,"), "{csv}");
    assert!(csv.contains("withdrawal,staff_turnover,1,"), "{csv}");
    assert!(csv.contains("poster_theme,raising_attainment,3,"), "{csv}");
    assert!(csv.contains("narrative,challenges,,'=SUM"), "a formula is defused: {csv}");
    assert_eq!(csv.matches("\r\ninterview,impact,").count(), 5, "{csv}");
    assert_eq!(code(s.login("head.a").await.export_cohort_evaluation(cohort).await).0, 403);
    let long = EvaluationNarrative { conclusion: "x".repeat(8001), ..words.clone() };
    assert_eq!(code(fac.update_cohort_evaluation(cohort, &long).await).0, 422);
    assert_eq!(fac.get_cohort_evaluation(cohort).await.unwrap().narrative, words, "the refused write changed nothing");
}
