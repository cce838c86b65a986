//! Trust expectations (seed 002): the demo's framework and two terms of reviews, the heatmap and
//! its gap flags, each side's draft private until submitted, a school seeing only its own, editing
//! the framework without losing past ratings, and support reviewed termly.

use trellis_client::Client;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    the_demo_trust_has_two_terms_of_reviews_and_a_heatmap_that_flags_gaps_of_two,
    a_school_sees_only_its_own_self_assessment_and_the_trust_sees_all_of_its_schools,
    a_side_is_rated_in_draft_then_submitted_and_the_gap_shows_once_both_are_in,
    editing_the_framework_retires_statements_and_past_terms_keep_their_ratings,
    support_is_allocated_per_school_and_reviewed_each_term_until_it_ends,
    the_review_programmes_termly_requirement_is_the_schools_record_not_each_persons,
    evidence_files_are_their_sides_alone_until_it_is_submitted,
);

fn term(s: &str) -> TermKey {
    s.parse().unwrap()
}

/// The demo trust's id and its four schools (A, B, C, D) as the trust admin sees them.
async fn demo(s: &TestServer) -> (Client, Uuid, [Uuid; 4]) {
    let trust = s.login("trust").await;
    let a = school_id(&s.login("head.a").await).await;
    let trust_id = trust.get_school(a).await.unwrap().trust_id.expect("school A is in the trust");
    let map = trust.get_expectation_heatmap(trust_id, Some(term("2026-summer"))).await.unwrap();
    let by_name = |n: &str| map.rows.iter().find(|r| r.school_name.starts_with(n)).unwrap().school_id;
    let schools = [by_name("Oakfield"), by_name("Riverside"), by_name("Hillcrest"), by_name("Meadowbank")];
    assert_eq!(schools[0], a);
    (trust, trust_id, schools)
}

fn all_ratings(f: &ExpectationFramework, rating: u32) -> SaveExpectationRatings {
    SaveExpectationRatings {
        ratings: f
            .themes
            .iter()
            .flat_map(|t| &t.statements)
            .map(|s| RatingInput { statement_id: s.id, rating, evidence: "Seen on the learning walk.".into() })
            .collect(),
    }
}

async fn the_demo_trust_has_two_terms_of_reviews_and_a_heatmap_that_flags_gaps_of_two(backend: Backend) {
    let s = TestServer::start(backend);
    let (trust, trust_id, [_, b, _, d]) = demo(&s).await;
    let f = trust.get_expectation_framework(trust_id).await.unwrap();
    let names: Vec<&str> = f.themes.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.contains(&"Teaching") && names.contains(&"Wellbeing and safeguarding"));
    assert!(
        !names.iter().any(|n| *n == "Strategy" || *n == "Implementation"),
        "the brochure's headings are not themes"
    );
    assert_eq!(f.themes.iter().map(|t| t.statements.len()).sum::<usize>(), 19);
    assert_eq!((f.gap_flag, f.scale.len()), (2, 4));
    assert!(f.actions.edit && f.actions.heatmap);

    let summer = trust.get_expectation_heatmap(trust_id, Some(term("2026-summer"))).await.unwrap();
    assert_eq!((summer.rows.len(), summer.themes.len(), summer.term_label.as_str()), (4, 6, "Summer 2026"));
    assert!(summer.rows.iter().all(|r| r.school_status == AssessmentStatus::Submitted
        && r.trust_status == AssessmentStatus::Submitted
        && r.cells.iter().all(|c| c.school.is_some() && c.trust.is_some())));
    let row = |m: &ExpectationHeatmap, id: Uuid| m.rows.iter().find(|r| r.school_id == id).unwrap().clone();
    assert_eq!((row(&summer, b).flagged, row(&summer, d).flagged, summer.flagged), (2, 1, 3));
    // Riverside rated two statements 4 that the trust rated 2: its cells there show both.
    let flagged_cell = row(&summer, b).cells.into_iter().find(|c| c.flagged > 0).unwrap();
    assert!(flagged_cell.school.unwrap() > flagged_cell.trust.unwrap());

    // Autumn: Meadowbank's own assessment is a draft and the trust has not begun: no values.
    let autumn = trust.get_expectation_heatmap(trust_id, Some(term("2026-autumn"))).await.unwrap();
    let meadowbank = row(&autumn, d);
    assert_eq!(
        (meadowbank.school_status, meadowbank.trust_status),
        (AssessmentStatus::Draft, AssessmentStatus::NotStarted)
    );
    assert!(meadowbank.cells.iter().all(|c| c.school.is_none() && c.trust.is_none() && c.flagged == 0));
    assert_eq!(row(&autumn, b).flagged, 2);
    assert!(meadowbank.reviews_overdue >= 1, "its wellbeing support missed its summer review");

    // History: both terms, oldest first, with a trend per theme.
    let history = trust.get_school_expectation_history(b).await.unwrap();
    let terms: Vec<TermKey> = history.terms.iter().map(|t| t.term).collect();
    assert_eq!(terms, [term("2026-summer"), term("2026-autumn")]);
    assert_eq!(history.trends.len(), 6);
    assert!(history.trends.iter().any(|t| t.school == Some(Trend::Up)), "{:?}", history.trends);
    assert!(history.terms.iter().all(|t| t.school.len() == 6 && t.flagged == 2));
    let d_history = trust.get_school_expectation_history(d).await.unwrap();
    let d_terms: Vec<TermKey> = d_history.terms.iter().map(|t| t.term).collect();
    assert_eq!(d_terms, [term("2026-summer")], "nothing of Meadowbank's autumn draft");
    let bad = s.login("trust").await.get_expectation_heatmap(Uuid::now_v7(), None).await;
    assert_eq!(code(bad), (404, "not_found".into()));
}

async fn a_school_sees_only_its_own_self_assessment_and_the_trust_sees_all_of_its_schools(backend: Backend) {
    let s = TestServer::start(backend);
    let (trust, trust_id, [a, b, _, d]) = demo(&s).await;
    let head_a = s.login("head.a").await;
    let own = head_a.get_school_expectations(a, term("2026-autumn")).await.unwrap();
    assert!(own.school.visible && own.trust.visible && own.school.status == AssessmentStatus::Submitted);
    assert!(own.themes.iter().flat_map(|t| &t.statements).all(|st| st.school.is_some() && st.trust.is_some()));
    assert_eq!(code(head_a.get_school_expectations(b, term("2026-autumn")).await), (404, "not_found".into()));
    assert_eq!(code(head_a.get_school_expectation_history(b).await), (404, "not_found".into()));
    assert_eq!(code(head_a.get_expectation_heatmap(trust_id, None).await), (403, "forbidden".into()));
    let framework = head_a.get_expectation_framework(trust_id).await.unwrap();
    assert!(!framework.actions.edit && !framework.actions.heatmap);
    let priya = s.login("participant.a").await;
    assert_eq!(code(priya.get_school_expectations(a, term("2026-autumn")).await), (404, "not_found".into()));
    assert_eq!(code(priya.get_expectation_framework(trust_id).await), (404, "not_found".into()));

    // The trust sees every school's submitted assessments, but not Meadowbank's draft.
    for school in [a, b] {
        let v = trust.get_school_expectations(school, term("2026-summer")).await.unwrap();
        assert!(v.school.visible && v.themes.iter().all(|t| t.school_mean.is_some()));
    }
    let draft = trust.get_school_expectations(d, term("2026-autumn")).await.unwrap();
    assert_eq!((draft.school.status, draft.school.visible, draft.school.rated), (AssessmentStatus::Draft, false, None));
    assert!(draft.themes.iter().flat_map(|t| &t.statements).all(|st| st.school.is_none()));
    assert!(draft.trust.editable && !draft.school.editable);
    // Not even a platform admin reads a draft.
    let admin = s.login("admin").await;
    let seen = admin.get_school_expectations(d, term("2026-autumn")).await.unwrap();
    assert!(!seen.school.visible && seen.themes.iter().flat_map(|t| &t.statements).all(|st| st.school.is_none()));
}

async fn a_side_is_rated_in_draft_then_submitted_and_the_gap_shows_once_both_are_in(backend: Backend) {
    let s = TestServer::start(backend);
    let (trust, trust_id, [a, ..]) = demo(&s).await;
    let head_a = s.login("head.a").await;
    let f = head_a.get_expectation_framework(trust_id).await.unwrap();
    let spring = term("2026-spring");
    let (school, trust_side) = (AssessmentSide::School, AssessmentSide::Trust);
    let one = |statement_id, rating| SaveExpectationRatings {
        ratings: vec![RatingInput { statement_id, rating, evidence: String::new() }],
    };
    let first = f.themes[0].statements[0].id;

    // Refusals: what is not the framework's, off the scale, still to come, or the other side's.
    let r = head_a.update_school_expectation_ratings(a, spring, school, &one(Uuid::now_v7(), 3)).await;
    let p = problem(r);
    assert_eq!(
        (p.status, p.code.as_str(), p.errors[0].field.as_str()),
        (422, "unknown_statement", "ratings[0].statement_id")
    );
    let r = head_a.update_school_expectation_ratings(a, spring, school, &one(first, 5)).await;
    assert_eq!(code(r), (422, "rating_out_of_range".into()));
    let r = head_a.update_school_expectation_ratings(a, term("2099-autumn"), school, &one(first, 3)).await;
    assert_eq!(code(r), (422, "term_not_started".into()));
    assert_eq!(
        code(trust.update_school_expectation_ratings(a, spring, school, &one(first, 3)).await),
        (403, "forbidden".into())
    );
    assert_eq!(
        code(head_a.update_school_expectation_ratings(a, spring, trust_side, &one(first, 3)).await),
        (403, "forbidden".into())
    );
    assert_eq!(code(head_a.submit_school_expectations(a, spring, trust_side).await), (403, "forbidden".into()));
    // Nothing was begun by the refusals.
    let v = trust.get_school_expectations(a, spring).await.unwrap();
    assert_eq!((v.school.status, v.trust.status), (AssessmentStatus::NotStarted, AssessmentStatus::NotStarted));

    // A draft: all but the last statement, rated 4; submitting names the one missing.
    let mut body = all_ratings(&f, 4);
    let last = body.ratings.pop().unwrap();
    let v = head_a.update_school_expectation_ratings(a, spring, school, &body).await.unwrap();
    assert_eq!((v.school.status, v.school.rated), (AssessmentStatus::Draft, Some(18)));
    let p = problem(head_a.submit_school_expectations(a, spring, school).await);
    assert_eq!((p.status, p.code.as_str(), p.errors.len()), (422, "assessment_incomplete", 1));
    assert_eq!(p.errors[0].field, format!("ratings[{}]", last.statement_id));
    let seen = trust.get_school_expectations(a, spring).await.unwrap();
    assert_eq!(
        (seen.school.status, seen.school.visible),
        (AssessmentStatus::Draft, false),
        "the draft is the school's"
    );
    // Rating again replaces; then the school submits, and its assessment is fixed.
    head_a
        .update_school_expectation_ratings(a, spring, school, &SaveExpectationRatings { ratings: vec![last] })
        .await
        .unwrap();
    let v = head_a.submit_school_expectations(a, spring, school).await.unwrap();
    assert_eq!((v.school.status, v.school.editable), (AssessmentStatus::Submitted, false));
    assert_eq!(code(head_a.submit_school_expectations(a, spring, school).await), (409, "assessment_submitted".into()));
    let again = head_a.update_school_expectation_ratings(a, spring, school, &one(first, 1)).await;
    assert_eq!(code(again), (409, "assessment_submitted".into()));

    // The trust's side: the school does not see it until it is submitted; then one gap of 2.
    let mut theirs = all_ratings(&f, 4);
    theirs.ratings[0].rating = 2;
    trust.update_school_expectation_ratings(a, spring, trust_side, &theirs).await.unwrap();
    let mid = head_a.get_school_expectations(a, spring).await.unwrap();
    assert!(!mid.trust.visible && mid.flagged == 0 && mid.themes[0].statements[0].trust.is_none());
    trust.submit_school_expectations(a, spring, trust_side).await.unwrap();
    let done = head_a.get_school_expectations(a, spring).await.unwrap();
    assert_eq!(done.flagged, 1);
    let st = &done.themes[0].statements[0];
    assert_eq!((st.gap, st.flagged, st.trust.as_ref().map(|r| r.label.as_str())), (Some(2), true, Some("Developing")));
    let map = trust.get_expectation_heatmap(trust_id, Some(spring)).await.unwrap();
    let row = map.rows.iter().find(|r| r.school_id == a).unwrap();
    assert_eq!((row.flagged, row.cells[0].school, row.cells[0].trust), (1, Some(4.0), Some(3.5)));
}

async fn editing_the_framework_retires_statements_and_past_terms_keep_their_ratings(backend: Backend) {
    let s = TestServer::start(backend);
    let (trust, trust_id, [a, ..]) = demo(&s).await;
    let f = trust.get_expectation_framework(trust_id).await.unwrap();
    let input = |t: &ExpectationTheme| ThemeInput {
        id: Some(t.id),
        name: t.name.clone(),
        statements: t.statements.iter().map(|s| StatementInput { id: Some(s.id), text: s.text.clone() }).collect(),
    };
    let mut themes: Vec<ThemeInput> = f.themes.iter().take(5).map(input).collect();
    let dropped = themes[0].statements.pop().unwrap();
    themes[0]
        .statements
        .push(StatementInput { id: None, text: "Leaders check their decisions' effect on pupils.".into() });
    themes.push(ThemeInput {
        id: None,
        name: "Curriculum".into(),
        statements: vec![StatementInput { id: None, text: "The curriculum is planned and sequenced.".into() }],
    });

    let head_a = s.login("head.a").await;
    let body = UpdateExpectationFramework { themes: themes.clone() };
    assert_eq!(code(head_a.update_expectation_framework(trust_id, &body).await), (403, "forbidden".into()));
    let mut twice = themes.clone();
    twice[5].name = "teaching".into();
    let p = problem(trust.update_expectation_framework(trust_id, &UpdateExpectationFramework { themes: twice }).await);
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("duplicate_theme", "themes[5].name"));
    let mut unknown = themes.clone();
    unknown[1].statements[0].id = Some(Uuid::now_v7());
    let p =
        problem(trust.update_expectation_framework(trust_id, &UpdateExpectationFramework { themes: unknown }).await);
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("unknown_statement", "themes[1].statements[0].id"));
    assert_eq!(trust.get_expectation_framework(trust_id).await.unwrap(), f, "a refused edit changes nothing");

    let g = trust.update_expectation_framework(trust_id, &body).await.unwrap();
    let names: Vec<&str> = g.themes.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 6);
    assert_eq!(names[5], "Curriculum");
    assert!(!names.contains(&f.themes[5].name.as_str()));
    assert!(!g.themes[0].statements.iter().any(|s| Some(s.id) == dropped.id));
    assert_eq!(g.themes[1], f.themes[1], "kept as it was, ids and all");

    // Summer's review still shows the retired statement and theme, marked, with their ratings.
    let past = trust.get_school_expectations(a, term("2026-summer")).await.unwrap();
    let retired: Vec<&ReviewStatement> = past.themes.iter().flat_map(|t| &t.statements).filter(|s| s.retired).collect();
    assert_eq!(retired.len(), 1 + f.themes[5].statements.len());
    assert!(retired.iter().all(|s| s.school.is_some() && s.trust.is_some()));
    assert!(past.themes.iter().any(|t| t.name == f.themes[5].name));
    let added = past.themes.iter().find(|t| t.name == "Curriculum").expect("the new theme, to rate now");
    assert!(added.statements.iter().all(|s| s.school.is_none() && s.trust.is_none()) && added.school_mean.is_none());
    // The current framework is what a new term rates: submitting needs the new statements too.
    assert_eq!(past.school.statements, 19 - 1 - 3 + 2);
}

async fn support_is_allocated_per_school_and_reviewed_each_term_until_it_ends(backend: Backend) {
    let s = TestServer::start(backend);
    let (trust, _, [a, ..]) = demo(&s).await;
    let head_a = s.login("head.a").await;
    let head_b = s.login("head.b").await;
    let body = |hours| CreateSupport {
        term: Some(term("2026-spring")),
        what: "Reading leadership coaching".into(),
        provided_by: "Trust English lead".into(),
        hours,
    };
    assert_eq!(code(head_a.create_school_support(a, &body(6.0)).await), (403, "forbidden".into()));
    let p = problem(trust.create_school_support(a, &body(0.3)).await);
    assert_eq!((p.code.as_str(), p.errors[0].field.as_str()), ("invalid_hours", "hours"));
    let future = CreateSupport { term: Some(term("2099-spring")), ..body(6.0) };
    assert_eq!(code(trust.create_school_support(a, &future).await), (422, "term_not_started".into()));

    let made = trust.create_school_support(a, &body(7.5)).await.unwrap();
    assert_eq!((made.status, made.hours, made.reviewable), (SupportStatus::Active, 7.5, true));
    assert!(
        made.reviews_overdue.starts_with(&[term("2026-spring"), term("2026-summer")]),
        "{:?}",
        made.reviews_overdue
    );
    assert!(made.review_due);
    let review =
        |used, decision| ReviewSupport { hours_used: used, impact: "Guided reading is daily in KS2.".into(), decision };
    let r = trust.update_support_review(made.id, term("2025-autumn"), &review(1.0, SupportDecision::Continue)).await;
    assert_eq!(code(r), (422, "review_term_out_of_range".into()));
    assert_eq!(
        code(head_a.update_support_review(made.id, term("2026-spring"), &review(1.0, SupportDecision::Continue)).await),
        (403, "forbidden".into())
    );
    trust.update_support_review(made.id, term("2026-spring"), &review(3.0, SupportDecision::Continue)).await.unwrap();
    let ended = trust
        .update_support_review(made.id, term("2026-summer"), &review(2.5, SupportDecision::Complete))
        .await
        .unwrap();
    assert_eq!((ended.status, ended.hours_used, ended.reviews.len()), (SupportStatus::Complete, 5.5, 2));
    assert!(ended.reviews_overdue.is_empty() && !ended.review_due);
    let after =
        trust.update_support_review(made.id, term("2026-autumn"), &review(1.0, SupportDecision::Continue)).await;
    assert_eq!(code(after), (409, "support_ended".into()));

    // The school sees its own support, read-only; another school's lead sees none of it.
    let list = head_a.list_school_support(a).await.unwrap();
    assert!(!list.allocate && list.items.iter().any(|x| x.id == made.id && !x.reviewable));
    assert_eq!(code(head_b.list_school_support(a).await), (404, "not_found".into()));
    assert_eq!(
        code(head_b.update_support_review(made.id, term("2026-summer"), &review(1.0, SupportDecision::Stop)).await),
        (404, "not_found".into())
    );
}

async fn the_review_programmes_termly_requirement_is_the_schools_record_not_each_persons(backend: Backend) {
    let s = TestServer::start(backend);
    let (_, trust_id, [a, b, ..]) = demo(&s).await;
    let fac = s.login("facilitator").await;
    let programme =
        fac.create_programme(&create(provider_id(&fac).await, Some("trust-expectations-review"), None)).await.unwrap();
    assert!(
        programme.definition.self_assessment.as_ref().is_some_and(|r| r.themes.is_empty()),
        "no headings as themes"
    );
    let cohort = fac
        .create_cohort(&CreateCohort {
            programme_id: programme.id,
            name: "Expectations 2025-26".into(),
            induction_date: "2025-09-01".parse().unwrap(),
            start_date: "2025-09-01".parse().unwrap(),
            end_date: "2026-07-20".parse().unwrap(),
            hub_id: None,
            host_school_id: None,
            facilitator_ids: vec![],
        })
        .await
        .unwrap();
    let enrol = |c: Client, school: Uuid, n: usize| async move {
        let staff = c.list_people(school, &ListParams::default()).await.unwrap().items;
        let mut out = vec![];
        for p in staff.iter().take(n) {
            out.push(c.create_enrolment(cohort.id, p.id).await.unwrap().id);
        }
        out
    };
    let at_a = enrol(s.login("head.a").await, a, 2).await;
    let at_b = enrol(s.login("head.b").await, b, 1).await;
    let detail = |id| {
        let fac = &fac;
        async move { requirement(fac, id, "self_assessment.termly", "2026-08-01").await.explanation }
    };
    // The demo's schools submitted summer 2026: one term of the three, for every person at them.
    for id in at_a.iter().chain(&at_b) {
        assert_eq!(detail(*id).await, "1 of 3 termly self-assessments done");
    }
    // School A submits spring: both of A's people move together; B's stays as it was.
    let head_a = s.login("head.a").await;
    let f = head_a.get_expectation_framework(trust_id).await.unwrap();
    let spring = term("2026-spring");
    head_a.update_school_expectation_ratings(a, spring, AssessmentSide::School, &all_ratings(&f, 3)).await.unwrap();
    head_a.submit_school_expectations(a, spring, AssessmentSide::School).await.unwrap();
    for id in &at_a {
        assert_eq!(detail(*id).await, "2 of 3 termly self-assessments done");
    }
    assert_eq!(detail(at_b[0]).await, "1 of 3 termly self-assessments done");
}

async fn evidence_files_are_their_sides_alone_until_it_is_submitted(backend: Backend) {
    let s = TestServer::start(backend);
    let (trust, trust_id, [a, ..]) = demo(&s).await;
    let head_a = s.login("head.a").await;
    let f = head_a.get_expectation_framework(trust_id).await.unwrap();
    let (spring, side) = (term("2026-spring"), AssessmentSide::School);
    let first = f.themes[0].statements[0].id;
    let pdf = b"%PDF-1.4\n% minutes of the governors' curriculum committee\n";

    let up = |c: &Client, statement: Uuid, bytes: &'static [u8]| {
        let c = c.clone();
        async move { c.upload_expectation_file(a, spring, side, statement, "minutes.pdf", bytes).await }
    };
    assert_eq!(
        code(up(&head_a, first, b"<html><script>x</script></html>").await),
        (415, "unsupported_file_type".into())
    );
    assert_eq!(code(up(&head_a, Uuid::now_v7(), pdf).await), (422, "unknown_statement".into()));
    assert_eq!(code(up(&trust, first, pdf).await), (403, "forbidden".into()), "the trust does not file the school's");
    assert_eq!(code(up(&s.login("head.b").await, first, pdf).await), (404, "not_found".into()));
    let v = head_a.get_school_expectations(a, spring).await.unwrap();
    assert_eq!(v.school.status, AssessmentStatus::NotStarted, "the refusals began nothing");

    let file = up(&head_a, first, pdf).await.unwrap();
    assert_eq!(
        (file.statement_id, file.media_type.as_str(), file.size_bytes),
        (first, "application/pdf", pdf.len() as u64)
    );
    assert_eq!(head_a.get_expectation_file(file.id).await.unwrap(), pdf);
    assert_eq!(
        code(trust.get_expectation_file(file.id).await),
        (404, "not_found".into()),
        "a draft's files are its authors'"
    );
    assert_eq!(code(s.login("admin").await.get_expectation_file(file.id).await), (404, "not_found".into()));
    for _ in 0..4 {
        up(&head_a, first, pdf).await.unwrap();
    }
    assert_eq!(code(up(&head_a, first, pdf).await), (409, "too_many_files".into()));
    let spare = head_a.get_school_expectations(a, spring).await.unwrap().themes[0].statements[0].school_files.clone();
    assert_eq!(spare.len(), 5);
    head_a.delete_expectation_file(spare[4].id).await.unwrap();
    assert_eq!(code(head_a.get_expectation_file(spare[4].id).await), (404, "not_found".into()));

    // Submitted: the trust reads the file beside the rating; it no longer changes.
    head_a.update_school_expectation_ratings(a, spring, side, &all_ratings(&f, 3)).await.unwrap();
    head_a.submit_school_expectations(a, spring, side).await.unwrap();
    let seen = trust.get_school_expectations(a, spring).await.unwrap();
    assert_eq!(seen.themes[0].statements[0].school_files.len(), 4);
    assert_eq!(trust.get_expectation_file(file.id).await.unwrap(), pdf);
    assert_eq!(code(head_a.delete_expectation_file(file.id).await), (409, "assessment_submitted".into()));
    assert_eq!(code(up(&head_a, first, pdf).await), (409, "assessment_submitted".into()));
}
