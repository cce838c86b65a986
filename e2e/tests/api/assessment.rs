//! The final assessment, NPQML (seed 004): a submission checked against the programme before it is
//! accepted (each refusal with its code and numbers), the coach's verification, assessors assigned
//! by the provider (only assigned ones read it; a conflict of interest is refused), marks kept as
//! made, a refer that opens one resubmission, moderation, release, and the DfE-shaped outcome.

use diesel::prelude::*;
use trellis_client::Client;
use trellis_e2e::fixtures::CohortBuilder;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::projects::{enrol_priya, new_project, person_of};
use crate::support::*;

on_both_backends!(
    an_npqml_participant_is_assessed_referred_resubmits_and_passes,
    the_demo_has_a_submission_to_mark_a_pass_and_a_refer,
);

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn user_of(me: Me) -> MeUser {
    match me {
        Me::User(u) => u,
        Me::Client(_) => panic!("a user"),
    }
}

/// A further assessor account for the provider, `<local>@trellis.test` with the demo password,
/// linked to `person` when given (made in the database: the invitation flow has its own tests).
fn add_assessor(s: &TestServer, local: &str, person: Option<Uuid>, provider: Uuid) -> Uuid {
    use trellis_api::db::schema::{user_roles, users};
    let id = Uuid::now_v7();
    let now = chrono::Utc::now().naive_utc();
    let hash = trellis_api::auth::hash_password(trellis_e2e::PASSWORD).unwrap();
    let mut conn = s.db();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id.to_string()),
            users::email.eq(format!("{local}@trellis.test")),
            users::password_hash.eq(hash),
            users::display_name.eq(format!("Assessor {local}")),
            users::person_id.eq(person.map(|p| p.to_string())),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(user_roles::table)
        .values((
            user_roles::id.eq(Uuid::now_v7().to_string()),
            user_roles::user_id.eq(id.to_string()),
            user_roles::role.eq("assessor"),
            user_roles::organisation_id.eq(provider.to_string()),
            user_roles::created_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    id
}

fn report(words: usize) -> String {
    let mut text = String::from(
        "Initiation: our KS1 phonics results were low. Implementation: daily keep-up sessions. Evaluation: scores rose. ",
    );
    while text.split_whitespace().count() < words {
        text.push_str("evidence ");
    }
    text
}

async fn stage(c: &Client, project: Uuid, stage: ProjectStage, on: &str) {
    let body = RecordProjectStage { stage, completed_on: d(on), account: format!("The {stage} stage, done.") };
    c.record_project_stage(project, &body).await.unwrap();
}

fn criteria(verdicts: [CriterionVerdict; 3]) -> Vec<CriterionJudgement> {
    ["Initiation", "Implementation", "Evaluation"]
        .iter()
        .zip(verdicts)
        .map(|(c, verdict)| CriterionJudgement {
            criterion: (*c).into(),
            verdict,
            feedback: format!("{c}: see the report."),
        })
        .collect()
}

async fn an_npqml_participant_is_assessed_referred_resubmits_and_passes(backend: Backend) {
    use CriterionVerdict::{Met, NotYetMet};
    let s = TestServer::start(backend);
    // Induction on 20 September 2025: the window is 20 September 2026 to 20 March 2027.
    let built = CohortBuilder::new(&s).preset("npq-middle-leadership").dates("2025-09-20", "2026-09-19").build().await;
    let (fac, cohort) = (built.facilitator, built.cohort.id);
    let mine = enrol_priya(&s, &fac, cohort).await.id;
    let priya = s.login("participant.a").await;
    let school_a = school_id(&priya).await;
    let project =
        priya.create_project(cohort, &new_project(vec![mine], school_a, "2025-10-01", "2026-07-10")).await.unwrap().id;
    let coach = s.login("coach").await;
    let coach_person = user_of(coach.get_me().await.unwrap()).person_id.unwrap();
    fac.update_coach(
        mine,
        &AssignCoach { coach_person_id: coach_person, supporting_statement: Some("I will support Priya.".into()) },
    )
    .await
    .unwrap();

    // Refusals before anything is accepted, each with its code and numbers.
    stage(&priya, project, ProjectStage::Initiation, "2025-10-20").await;
    let body = |text: String| CreateSubmission { report: text, project_id: project, document_ids: vec![] };
    let p = problem(priya.create_submission(mine, &body(report(4501))).await);
    assert_eq!((p.status, p.code.as_str()), (422, "report_over_word_limit"));
    assert!(p.errors[0].message.contains("4,501 words; the limit is 4,500"), "{p:?}");
    assert!(
        p.errors
            .iter()
            .any(|e| e.code == "project_stages_incomplete" && e.message.contains("implementation, evaluation"))
    );
    let p = problem(
        priya.create_submission(mine, &CreateSubmission { project_id: Uuid::now_v7(), ..body(report(100)) }).await,
    );
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("not_your_project", "project_id"));
    let p = problem(
        priya
            .create_submission(mine, &CreateSubmission { document_ids: vec![Uuid::now_v7()], ..body(report(100)) })
            .await,
    );
    assert_eq!(p.errors.last().unwrap().code, "not_your_file");
    assert!(priya.list_enrolment_submissions(mine).await.unwrap().items.is_empty(), "a refusal writes nothing");

    // A colleague inducted in June 2026, whose project finished within a term, is early and short.
    let later = CohortBuilder::new(&s).preset("npq-middle-leadership").dates("2026-06-01", "2027-05-31").build().await;
    let ben = person_of(&s.login("participant.b").await).await;
    let theirs = s.login("head.b").await.create_enrolment(later.cohort.id, ben).await.unwrap().id;
    later.facilitator.transition(theirs, TransitionKind::Approve).await.unwrap();
    later.facilitator.transition(theirs, TransitionKind::Activate).await.unwrap();
    let ben_c = s.login("participant.b").await;
    let school_b = school_id(&ben_c).await;
    let short = ben_c
        .create_project(later.cohort.id, &new_project(vec![theirs], school_b, "2026-06-02", "2027-03-01"))
        .await
        .unwrap()
        .id;
    for (st, on) in [
        (ProjectStage::Initiation, "2026-06-10"),
        (ProjectStage::Implementation, "2026-07-01"),
        (ProjectStage::Evaluation, "2026-07-15"),
    ] {
        stage(&ben_c, short, st, on).await;
    }
    let p = problem(
        ben_c
            .create_submission(
                theirs,
                &CreateSubmission { report: report(100), project_id: short, document_ids: vec![] },
            )
            .await,
    );
    assert_eq!(p.code, "outside_assessment_window");
    assert!(p.errors[0].message.contains("1 June 2027 to 1 December 2027"), "{p:?}");
    let too_short = p.errors.iter().find(|e| e.code == "project_too_short").expect("project_too_short");
    assert!(too_short.message.contains("at least 2 terms; it covers 0"), "{too_short:?}");

    // Priya's project is done: she submits.
    stage(&priya, project, ProjectStage::Implementation, "2026-01-15").await;
    stage(&priya, project, ProjectStage::Evaluation, "2026-07-01").await;
    let first = priya.create_submission(mine, &body(report(3000))).await.unwrap();
    assert_eq!((first.status, first.attempt, first.words), (SubmissionStatus::Submitted, 1, 3000));
    assert_eq!(first.actions, ["withdraw"]);
    assert_eq!(code(priya.create_submission(mine, &body(report(100))).await), (409, "submission_pending".into()));
    let progress = priya.get_enrolment_progress(mine, &ProgressParams::default()).await.unwrap().progress;
    let req = |p: &Progress, id: &str| p.requirements.iter().find(|r| r.id == id).unwrap().status;
    assert_eq!(req(&progress, "assessment.submitted"), RequirementStatus::Met);
    assert_eq!(req(&progress, "assessment.word_limit"), RequirementStatus::Met);
    assert_eq!(req(&progress, "assessment.window"), RequirementStatus::Met);

    // Assessors: only those assigned read it; the school's head sees only that it exists.
    let assessor = s.login("assessor").await;
    let assessor_id = user_of(assessor.get_me().await.unwrap()).user_id;
    assert_eq!(code(assessor.get_submission(first.id).await), (404, "not_found".into()));
    assert!(assessor.list_assessor_queue().await.unwrap().items.iter().all(|q| q.id != first.id));
    let headline = s.login("head.a").await.list_enrolment_submissions(mine).await.unwrap().items.remove(0);
    assert!(headline.report.is_none() && headline.judgements.is_empty());
    assert_eq!(code(s.login("head.b").await.get_submission(first.id).await), (404, "not_found".into()));
    let provider = built.programme.provider_id;
    let gwen = {
        let people = s
            .login("head.a")
            .await
            .list_people(school_a, &ListParams { limit: Some(200), ..Default::default() })
            .await
            .unwrap();
        people.items.iter().find(|p| p.given_name == "Gwen").expect("Gwen Harris at school A").id
    };
    let linked = add_assessor(&s, "assessor.linked", Some(gwen), provider);
    let moderator = add_assessor(&s, "assessor.two", None, provider);
    let assign = |marker, moderator| AssignAssessors { marker_user_id: marker, moderator_user_id: moderator };
    let p = problem(fac.assign_assessors(first.id, &assign(linked, None)).await);
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("conflict_of_interest", "marker_user_id"));
    let head_b_user = user_of(s.login("head.b").await.get_me().await.unwrap()).user_id;
    assert_eq!(problem(fac.assign_assessors(first.id, &assign(head_b_user, None)).await).code, "not_an_assessor");
    assert_eq!(
        problem(fac.assign_assessors(first.id, &assign(assessor_id, Some(assessor_id))).await).code,
        "same_assessor"
    );
    assert_eq!(code(priya.assign_assessors(first.id, &assign(assessor_id, None)).await), (403, "forbidden".into()));
    let assigned = fac.assign_assessors(first.id, &assign(assessor_id, Some(moderator))).await.unwrap();
    assert_eq!(assigned.marker_user_id, Some(assessor_id));
    let queued = assessor.list_assessor_queue().await.unwrap().items;
    let queued = queued.iter().find(|q| q.id == first.id).expect("in the assessor's queue");
    assert!(queued.report.is_some());

    // The coach verifies the evidence before it is marked.
    let refer = RecordMark {
        criteria: criteria([Met, NotYetMet, Met]),
        outcome: AssessmentOutcome::Refer,
        feedback: "Show the impact on pupils.".into(),
    };
    assert_eq!(code(assessor.record_submission_mark(first.id, &refer).await), (409, "awaiting_verification".into()));
    let verify = VerifySubmission {
        statement: "The evidence is Priya's own work.".into(),
        verified_on: chrono::Utc::now().date_naive(),
    };
    assert_eq!(code(fac.verify_submission(first.id, &verify).await), (403, "forbidden".into()));
    let verified = coach.verify_submission(first.id, &verify).await.unwrap();
    assert_eq!(verified.verification.unwrap().verified_on, chrono::Utc::now().date_naive());
    assert_eq!(code(coach.verify_submission(first.id, &verify).await), (409, "already_verified".into()));
    priya.withdraw_submission(first.id, &WithdrawSubmission { reason: "x".into() }).await.unwrap();
    // Withdrawn before marking: recorded, and she submits again.
    let first_again = priya.get_submission(first.id).await.unwrap();
    assert_eq!(
        (first_again.status, first_again.withdrawal_reason.as_deref()),
        (SubmissionStatus::Withdrawn, Some("x"))
    );
    // With a supporting document from her portfolio, copied into the submission as it stands.
    let evidence = CreatePortfolioEntry {
        kind: PortfolioEntryKind::EvidenceItem,
        title: "Phonics check results".into(),
        body: "The termly results.".into(),
        session_id: None,
        poster: None,
        shared: false,
    };
    let evidence = priya.create_portfolio_entry(mine, &evidence).await.unwrap();
    let pdf = b"%PDF-1.4\n% phonics results\n".to_vec();
    let file = priya.upload_evidence_file(evidence.id, "results.pdf", &pdf).await.unwrap();
    let with_doc = CreateSubmission { document_ids: vec![file.id], ..body(report(3200)) };
    let first = priya.create_submission(mine, &with_doc).await.unwrap();
    assert_eq!(first.documents.iter().map(|d| d.filename.as_str()).collect::<Vec<_>>(), ["results.pdf"]);
    fac.assign_assessors(first.id, &assign(assessor_id, Some(moderator))).await.unwrap();
    coach.verify_submission(first.id, &verify).await.unwrap();
    // The assessor reads it; removing it from the portfolio does not take it from the submission.
    priya.delete_evidence_file(evidence.id, file.id).await.unwrap();
    assert_eq!(assessor.get_submission_document(first.id, 1).await.unwrap(), pdf);
    assert_eq!(code(s.login("head.b").await.get_submission_document(first.id, 1).await), (404, "not_found".into()));
    assert_eq!(code(assessor.get_submission_document(first.id, 2).await), (404, "not_found".into()));

    // Marks: every criterion, an outcome that follows them.
    let partial = RecordMark { criteria: criteria([Met, Met, Met])[..2].to_vec(), ..refer.clone() };
    assert_eq!(problem(assessor.record_submission_mark(first.id, &partial).await).code, "criteria_incomplete");
    let bad_pass = RecordMark { outcome: AssessmentOutcome::Pass, ..refer.clone() };
    assert_eq!(problem(assessor.record_submission_mark(first.id, &bad_pass).await).code, "pass_with_unmet_criteria");
    let mod_c = s.login("assessor.two").await;
    assert_eq!(code(mod_c.record_submission_mark(first.id, &refer).await), (403, "forbidden".into()));
    assessor.record_submission_mark(first.id, &refer).await.unwrap();
    assert_eq!(
        code(priya.withdraw_submission(first.id, &WithdrawSubmission { reason: "x".into() }).await),
        (409, "submission_marked".into())
    );
    // Not released: the participant sees no feedback yet.
    let seen = priya.get_submission(first.id).await.unwrap();
    assert!(seen.judgements.is_empty() && seen.outcome.is_none());
    assert_eq!(code(fac.release_submission(first.id).await), (409, "awaiting_moderation".into()));
    let confirm =
        RecordModeration { confirms: true, outcome: None, reasons: "Agreed: the impact is not yet shown.".into() };
    mod_c.record_submission_moderation(first.id, &confirm).await.unwrap();
    let released = fac.release_submission(first.id).await.unwrap();
    assert_eq!((released.status, released.outcome), (SubmissionStatus::Released, Some(AssessmentOutcome::Refer)));
    let resubmit_by = released.resubmit_by.expect("a refer opens a resubmission");
    assert_eq!(resubmit_by, trellis_domain::rules::calendar::add_months(chrono::Utc::now().date_naive(), 3));
    let seen = priya.get_submission(first.id).await.unwrap();
    assert_eq!(seen.judgements.len(), 2);
    assert_eq!(seen.judgements[0].criteria[1].verdict, NotYetMet);
    assert!(priya.list_enrolment_outcomes(mine).await.unwrap().items.is_empty(), "a refer is not an outcome");

    // The one resubmission: a refer is no longer possible; the moderator overturns a fail to a pass.
    let second = priya.create_submission(mine, &body(report(4400))).await.unwrap();
    assert_eq!(second.attempt, 2);
    fac.assign_assessors(second.id, &assign(assessor_id, Some(moderator))).await.unwrap();
    coach.verify_submission(second.id, &verify).await.unwrap();
    assert_eq!(problem(assessor.record_submission_mark(second.id, &refer).await).code, "no_further_resubmission");
    let fail = RecordMark { outcome: AssessmentOutcome::Fail, ..refer.clone() };
    assessor.record_submission_mark(second.id, &fail).await.unwrap();
    let overturn =
        RecordModeration { confirms: false, outcome: None, reasons: "The impact is shown in appendix B.".into() };
    assert_eq!(problem(mod_c.record_submission_moderation(second.id, &overturn).await).code, "outcome_required");
    let overturn = RecordModeration { outcome: Some(AssessmentOutcome::Pass), ..overturn };
    mod_c.record_submission_moderation(second.id, &overturn).await.unwrap();
    let passed = fac.release_submission(second.id).await.unwrap();
    assert_eq!(passed.outcome, Some(AssessmentOutcome::Pass));
    assert_eq!(
        passed.judgements.iter().map(|j| j.kind).collect::<Vec<_>>(),
        [JudgementKind::Mark, JudgementKind::Moderation]
    );
    assert_eq!(code(priya.create_submission(mine, &body(report(100))).await), (409, "assessment_decided".into()));

    // The outcome, DfE-shaped, for the provider and for a progress:read client.
    let outcomes = fac.list_enrolment_outcomes(mine).await.unwrap().items;
    assert_eq!(outcomes.len(), 1);
    assert_eq!(
        (outcomes[0].state, outcomes[0].course_identifier.as_str()),
        (OutcomeState::Passed, "npq-middle-leadership")
    );
    assert_eq!(outcomes[0].completion_date, chrono::Utc::now().date_naive());
    let dashboard = {
        let c = s.client();
        let t = c
            .create_client_token(trellis_api::seed::DEMO_DASHBOARD_ID, trellis_api::seed::DEMO_DASHBOARD_SECRET, None)
            .await
            .unwrap();
        c.with_token(t.access_token)
    };
    assert_eq!(dashboard.list_enrolment_outcomes(mine).await.unwrap().items, outcomes);
    let progress = priya.get_enrolment_progress(mine, &ProgressParams::default()).await.unwrap().progress;
    assert_eq!(req(&progress, "assessment.outcome"), RequirementStatus::Met);
    assert_eq!(req(&progress, "assessment.coach_verification"), RequirementStatus::Met);
    // The provider certifies NPQML after a pass, when every requirement is met: the 360 rounds
    // cannot be recorded yet (issue 12), so the certificate is refused with them listed.
    fac.complete_enrolment(mine, Some("Sessions and the 360 are held outside Trellis this year")).await.unwrap();
    let p = problem(fac.issue_certificate(mine).await);
    assert_eq!(p.code, "not_certifiable");
    assert!(p.errors.iter().any(|e| e.field.starts_with("diagnostic.")), "{p:?}");
    assert!(p.errors.iter().all(|e| !e.field.starts_with("assessment.")), "the assessment is met: {p:?}");
    assert_eq!(code(s.login("trust").await.issue_certificate(mine).await), (403, "forbidden".into()));
}

async fn the_demo_has_a_submission_to_mark_a_pass_and_a_refer(backend: Backend) {
    let s = TestServer::start(backend);
    let assessor = s.login("assessor").await;
    let queue = assessor.list_assessor_queue().await.unwrap().items;
    assert_eq!(queue.len(), 1);
    let imran = &queue[0];
    assert_eq!((imran.participant_name.as_str(), imran.status), ("Imran Malik", SubmissionStatus::Submitted));
    assert!(imran.verification.is_some() && imran.actions == ["mark"], "{:?}", imran.actions);
    let fac = s.login("facilitator").await;
    let cohort = fac
        .list_cohorts(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|c| c.name == "NPQML 2025–26, Oakfield South")
        .unwrap();
    let mut seen = vec![];
    for e in all_enrolments(&fac, cohort.id).await {
        let subs = fac.list_enrolment_submissions(e.id).await.unwrap().items;
        let outcomes = fac.list_enrolment_outcomes(e.id).await.unwrap().items;
        seen.push((
            subs[0].participant_name.clone(),
            subs[0].outcome,
            outcomes.first().map(|o| o.state),
            subs[0].resubmit_by.is_some(),
        ));
    }
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        [
            ("Hannah Lee".to_owned(), Some(AssessmentOutcome::Pass), Some(OutcomeState::Passed), false),
            ("Imran Malik".to_owned(), None, None, false),
            ("Ruth Evans".to_owned(), Some(AssessmentOutcome::Refer), None, true),
        ]
    );
}
