//! Projects: an NPQML project through its three stages, the two-term rule, impact measures, and
//! who may see and change a project.

use trellis_client::Client;
use trellis_e2e::fixtures::CohortBuilder;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    an_npqml_project_passes_its_stages_and_the_two_term_rule_refuses_a_short_one,
    the_demo_has_work_in_progress_and_a_lal_participant_certified_by_the_trust,
);

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

pub(crate) async fn person_of(c: &Client) -> Uuid {
    let Me::User(me) = c.get_me().await.unwrap() else { panic!("a user") };
    me.person_id.expect("a person")
}

/// Priya Anand (participant A) nominated by her head into `cohort` and activated.
pub(crate) async fn enrol_priya(s: &TestServer, fac: &Client, cohort: Uuid) -> Enrolment {
    let priya = person_of(&s.login("participant.a").await).await;
    let e = s.login("head.a").await.create_enrolment(cohort, priya).await.unwrap();
    fac.transition(e.id, TransitionKind::Approve).await.unwrap();
    fac.transition(e.id, TransitionKind::Activate).await.unwrap()
}

pub(crate) fn new_project(team: Vec<Uuid>, school: Uuid, starts: &str, ends: &str) -> CreateProject {
    CreateProject {
        title: "Daily keep-up phonics in KS1".into(),
        focus_area: FocusArea::LiteracyAndMathematics,
        focus_detail: None,
        host_school_id: school,
        team,
        sponsor_person_id: None,
        tutor_person_id: None,
        starts_on: d(starts),
        ends_on: d(ends),
        worksheet: None,
    }
}

fn requirement<'a>(p: &'a Progress, id: &str) -> &'a Requirement {
    p.requirements.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no requirement {id}: {p:?}"))
}

async fn an_npqml_project_passes_its_stages_and_the_two_term_rule_refuses_a_short_one(backend: Backend) {
    let s = TestServer::start(backend);
    // A cohort of the year before, so the project can have finished by today.
    let built =
        CohortBuilder::new(&s).dates("2025-09-15", "2026-07-16").participants_from("head.a", 1).active().build().await;
    let fac = built.facilitator;
    let mine = enrol_priya(&s, &fac, built.cohort.id).await;
    let priya = s.login("participant.a").await;
    let school_a = school_id(&priya).await;

    // The two-term rule (the default calendar for 2025–26): one term is refused with its own code.
    let short = new_project(vec![mine.id], school_a, "2025-09-22", "2025-12-19");
    let p = problem(priya.create_project(built.cohort.id, &short).await);
    assert_eq!((p.status, p.code.as_str()), (422, "project_too_short"), "{p:?}");
    let fault = p.errors.iter().find(|e| e.code == "project_too_short").unwrap();
    assert_eq!(fault.field, "ends_on");
    assert!(fault.message.contains("at least 2 terms") && fault.message.contains("cover 1"), "{}", fault.message);
    // An NPQML project is the participant's own: a pair is refused, and so is another school.
    let pair = new_project(vec![mine.id, built.enrolments[0].id], school_a, "2025-09-22", "2026-04-30");
    let p = problem(fac.create_project(built.cohort.id, &pair).await);
    assert_eq!(p.errors[0].code, "team_size_not_allowed", "{p:?}");
    let school_b = school_id(&s.login("head.b").await).await;
    let elsewhere = new_project(vec![mine.id], school_b, "2025-09-22", "2026-04-30");
    assert_eq!(problem(priya.create_project(built.cohort.id, &elsewhere).await).errors[0].code, "host_school_mismatch");
    // Another participant cannot start a project for Priya.
    let ben = s.login("participant.b").await;
    let ok = new_project(vec![mine.id], school_a, "2025-09-22", "2026-04-30");
    assert_eq!(problem(ben.create_project(built.cohort.id, &ok).await).status, 403);
    // The tutor is one of the cohort's facilitators; the sponsor is at the host school.
    let wrong_people = CreateProject {
        tutor_person_id: Some(person_of(&priya).await),
        sponsor_person_id: Some(person_of(&s.login("head.b").await).await),
        ..ok.clone()
    };
    let codes: Vec<String> = problem(priya.create_project(built.cohort.id, &wrong_people).await)
        .errors
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["sponsor_not_at_host_school", "not_a_facilitator"]);
    // Nothing was written by any refusal.
    assert!(priya.list_projects(built.cohort.id).await.unwrap().items.is_empty());

    let with_people = CreateProject {
        tutor_person_id: Some(person_of(&fac).await),
        sponsor_person_id: Some(person_of(&s.login("head.a").await).await),
        ..ok.clone()
    };
    let project = priya.create_project(built.cohort.id, &with_people).await.unwrap();
    assert_eq!((project.terms, project.min_terms), (2, 2));
    assert_eq!(project.stage_order, [ProjectStage::Initiation, ProjectStage::Implementation, ProjectStage::Evaluation]);
    assert!(project.may_edit && project.stages.is_empty());
    assert_eq!(project.sponsor.as_ref().unwrap().display_name, "Helen Ashworth");
    assert_eq!(problem(priya.create_project(built.cohort.id, &ok).await).code, "already_on_a_project");
    assert_eq!(priya.get_enrolment_project(mine.id).await.unwrap().id, project.id);

    let progress = |c: Client| async move {
        c.get_enrolment_progress(mine.id, &ProgressParams::default()).await.unwrap().progress
    };
    let before = progress(priya.clone()).await;
    assert_eq!(requirement(&before, "project.started").status, RequirementStatus::Met);
    assert_ne!(requirement(&before, "project.stages").status, RequirementStatus::Met);

    // Stages go in order, none in the future, none before the project starts.
    let stage =
        |stage, on: &str, account: &str| RecordProjectStage { stage, completed_on: d(on), account: account.into() };
    let out_of_order = stage(ProjectStage::Implementation, "2026-01-20", "Keep-up sessions running");
    assert_eq!(
        problem(priya.record_project_stage(project.id, &out_of_order).await).errors[0].code,
        "stage_out_of_order"
    );
    let early = stage(ProjectStage::Initiation, "2025-09-01", "Too early");
    assert_eq!(problem(priya.record_project_stage(project.id, &early).await).errors[0].code, "stage_before_project");
    let future = stage(ProjectStage::Initiation, "2099-01-01", "Later");
    assert_eq!(problem(priya.record_project_stage(project.id, &future).await).errors[0].code, "in_future");
    priya
        .record_project_stage(project.id, &stage(ProjectStage::Initiation, "2025-10-10", "Agreed with the head"))
        .await
        .unwrap();
    let backwards = stage(ProjectStage::Implementation, "2025-10-01", "Before initiation");
    assert_eq!(problem(priya.record_project_stage(project.id, &backwards).await).errors[0].code, "stage_out_of_order");
    // The tutor keeps the record too.
    fac.record_project_stage(project.id, &stage(ProjectStage::Implementation, "2026-01-20", "Running daily"))
        .await
        .unwrap();
    let middle = progress(priya.clone()).await;
    assert!(requirement(&middle, "project.stages").explanation.contains("2 of 3"), "{middle:?}");

    // An impact measure with readings (seed 001: a KS1 phonics pass rate from 27 %).
    let measure = CreateImpactMeasure {
        name: "KS1 phonics screening pass rate".into(),
        unit: "%".into(),
        baseline: 27.0,
        baseline_on: d("2025-09-22"),
        target: 80.0,
    };
    let with_measure = priya.create_impact_measure(project.id, &measure).await.unwrap();
    let m = with_measure.measures[0].clone();
    assert_eq!(m.towards_target, None);
    let same = CreateImpactMeasure { target: 27.0, ..measure.clone() };
    assert_eq!(problem(priya.create_impact_measure(project.id, &same).await).code, "target_is_baseline");
    let reading = |on: &str, value: f64| RecordImpactReading { taken_on: d(on), value, note: None };
    priya.record_impact_reading(m.id, &reading("2026-01-15", 52.0)).await.unwrap();
    let after = priya.record_impact_reading(m.id, &reading("2026-03-20", 70.0)).await.unwrap();
    // The same day again replaces that day's reading.
    let after = {
        let again = priya.record_impact_reading(m.id, &reading("2026-03-20", 79.0)).await.unwrap();
        assert_eq!(after.measures[0].readings.len(), again.measures[0].readings.len());
        again
    };
    let readings: Vec<f64> = after.measures[0].readings.iter().map(|r| r.value).collect();
    assert_eq!(readings, [52.0, 79.0]);
    let towards = after.measures[0].towards_target.unwrap();
    assert!((towards - 98.11).abs() < 0.01, "{towards}");
    assert_eq!(
        problem(priya.record_impact_reading(m.id, &reading("2025-09-01", 20.0)).await).code,
        "reading_before_baseline"
    );
    assert_eq!(
        problem(priya.record_impact_reading(m.id, &reading("2099-09-01", 20.0)).await).errors[0].code,
        "in_future"
    );

    let action = CreateProjectAction { taken_on: d("2025-10-01"), description: "Trained four TAs".into() };
    let logged = priya.create_project_action(project.id, &action).await.unwrap();
    assert_eq!(logged.actions[0].recorded_by, "Priya Anand");

    // The evaluation finishes the project: it ran two terms (autumn, spring), so both rules are met.
    priya
        .record_project_stage(project.id, &stage(ProjectStage::Evaluation, "2026-04-24", "Pass rate 79 %"))
        .await
        .unwrap();
    let done = progress(priya.clone()).await;
    for id in ["project.started", "project.terms", "project.stages"] {
        assert_eq!(requirement(&done, id).status, RequirementStatus::Met, "{id}: {done:?}");
    }

    // Changing the dates is checked as creating was: shorter than two terms is refused.
    let change = UpdateProject {
        title: "Keep-up phonics".into(),
        focus_area: FocusArea::InterventionTracking,
        focus_detail: None,
        sponsor_person_id: None,
        tutor_person_id: None,
        starts_on: d("2025-09-22"),
        ends_on: d("2025-11-30"),
        worksheet: Some(ActivitySystem { subject: "Year 1 and 2 TAs".into(), ..Default::default() }),
    };
    assert_eq!(problem(priya.update_project(project.id, &change).await).code, "project_too_short");
    let later_start = UpdateProject { starts_on: d("2025-11-01"), ends_on: d("2026-06-30"), ..change.clone() };
    assert_eq!(problem(priya.update_project(project.id, &later_start).await).errors[0].code, "stage_before_project");
    let fine = UpdateProject { ends_on: d("2026-04-30"), ..change };
    let updated = priya.update_project(project.id, &fine).await.unwrap();
    assert_eq!(updated.title, "Keep-up phonics");
    assert_eq!(updated.worksheet.unwrap().subject, "Year 1 and 2 TAs");

    // Who sees it: her school's lead reads but cannot change it; another school's lead and another
    // participant cannot see it at all; a dashboard reads nothing of it.
    let head_a = s.login("head.a").await;
    let seen = head_a.get_project(project.id).await.unwrap();
    assert!(!seen.may_edit);
    assert_eq!(
        problem(head_a.record_project_stage(project.id, &stage(ProjectStage::Evaluation, "2026-04-24", "x")).await)
            .status,
        403
    );
    assert_eq!(problem(s.login("head.b").await.get_project(project.id).await).status, 404);
    assert_eq!(problem(ben.get_project(project.id).await).status, 404);
    assert_eq!(problem(ben.record_impact_reading(m.id, &reading("2026-03-01", 1.0)).await).status, 404);
    assert!(ben.list_projects(built.cohort.id).await.unwrap().items.is_empty());
    let listed = head_a.list_projects(built.cohort.id).await.unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].stage, Some(ProjectStage::Evaluation));
}

async fn the_demo_has_work_in_progress_and_a_lal_participant_certified_by_the_trust(backend: Backend) {
    let s = TestServer::start(backend);
    // Priya's NPQML project: in implementation, its phonics measure with readings.
    let priya = s.login("participant.a").await;
    let cohort = demo_cohort(&priya).await;
    let mine = enrolments(&priya, cohort.id).await.remove(0);
    let project = priya.get_enrolment_project(mine.id).await.unwrap();
    assert_eq!(project.stages.iter().map(|s| s.stage).collect::<Vec<_>>(), [ProjectStage::Initiation]);
    let m = &project.measures[0];
    assert_eq!((m.baseline, m.target, m.readings.len()), (27.0, 80.0, 2));
    // Grace Adeyemi has met every requirement of Leading Active Learning.
    let grace = s.login("lal.participant").await;
    let lal = grace.list_my_enrolments().await.unwrap().items;
    assert_eq!(lal.len(), 1);
    let progress =
        grace.get_enrolment_progress(lal[0].enrolment.id, &ProgressParams::default()).await.unwrap().progress;
    assert!(progress.certifiable, "{progress:?}");
    let entries = grace.list_portfolio_entries(lal[0].enrolment.id).await.unwrap().items;
    assert_eq!(entries.len(), 4);
    assert!(entries.iter().all(|e| e.state == EntryState::Verified));
    let led =
        entries.iter().filter_map(|e| e.content.as_ref()?.session.as_ref()).filter(|s| s.led_by_participant).count();
    assert_eq!(led, 1);
    let project = grace.get_enrolment_project(lal[0].enrolment.id).await.unwrap();
    assert_eq!(project.team.len(), 2);
    assert_eq!(project.presentations[0].audience, Audience::Staff);
    // The trust certified her; the reflection on the meeting she led is the credential's evidence.
    assert_eq!(lal[0].enrolment.status, EnrolmentStatus::Certified);
    let cert = grace.get_enrolment_certificate(lal[0].enrolment.id).await.unwrap();
    assert_eq!((cert.status, cert.issuer_name.as_str()), (CertificateStatus::Valid, "Oakfield Learning Trust"));
    assert_eq!(cert.shared_entry_ids.len(), 1);
    let public = s.client().verify_certificate(&cert.code).await.unwrap();
    assert_eq!(public.holder_name, "Grace Adeyemi");
}
