//! Cohorts and enrolments: visibility, the lifecycle, paging, report drafts, lost updates.

use serde_json::json;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;

use crate::support::*;
use trellis_e2e::fixtures::CohortBuilder;

on_both_backends!(
    completion_follows_the_rules_or_records_the_reason_it_did_not,
    participant_sees_only_themself,
    enrolment_moves_through_its_lifecycle_and_refuses_illegal_moves,
    lists_page_with_cursors_and_filter_by_updated_since,
    parallel_lifecycle_moves_on_one_enrolment_let_exactly_one_win,
    parallel_report_draft_saves_all_land,
    a_report_draft_of_the_documented_maximum_fits_the_body_limit,
    a_finished_enrolments_report_draft_is_read_only,
    a_write_based_on_a_stale_version_is_refused,
    my_enrolments_are_the_callers_own_in_one_request,
);

async fn participant_sees_only_themself(backend: Backend) {
    let s = TestServer::start(backend);
    let p = s.login("participant.a").await;
    let Me::User(me) = p.get_me().await.unwrap() else { panic!() };
    let school = me.school_id.unwrap();
    assert_eq!(code(p.list_people(school, &ListParams::default()).await), (403, "forbidden".into()));
    let newcomer = CreatePerson {
        given_name: "X".into(),
        family_name: "Y".into(),
        email: None,
        staff_role: StaffRole::Teacher,
        mis_id: None,
    };
    assert_eq!(
        code(p.create_person(school, &newcomer).await),
        (403, "forbidden".into()),
        "may see the school, may not add to it"
    );
    assert_eq!(p.get_person(me.person_id.unwrap()).await.unwrap().id, me.person_id.unwrap());

    let cohort = demo_cohort(&p).await;
    let mine = all_enrolments(&p, cohort.id).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].person_id, me.person_id.unwrap());
    assert_eq!(code(p.transition(mine[0].id, TransitionKind::Defer).await), (403, "forbidden".into()));

    let colleague = all_enrolments(&s.login("head.a").await, cohort.id)
        .await
        .into_iter()
        .find(|e| e.person_id != me.person_id.unwrap())
        .unwrap();
    assert_eq!(code(p.get_enrolment(colleague.id).await), (404, "not_found".into()));
    assert_eq!(code(p.get_person(colleague.person_id).await), (404, "not_found".into()));
}

async fn enrolment_moves_through_its_lifecycle_and_refuses_illegal_moves(backend: Backend) {
    let s = TestServer::start(backend);
    let head_b = s.login("head.b").await;
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let school_b = school_id(&head_b).await;
    let person = head_b
        .create_person(
            school_b,
            &CreatePerson {
                given_name: "Ivy".into(),
                family_name: "Moss".into(),
                email: Some("ivy@example.org".into()),
                staff_role: StaffRole::MiddleLeader,
                mis_id: None,
            },
        )
        .await
        .unwrap();

    let e = head_b.create_enrolment(cohort.id, person.id).await.unwrap();
    assert_eq!(e.status, EnrolmentStatus::Nominated);
    // `actions` are the legal moves this caller may make: the school approves or withdraws its
    // nominee or defers them; the facilitator may do the same.
    assert_eq!(e.actions, [TransitionKind::Approve, TransitionKind::Defer, TransitionKind::Withdraw]);
    let as_fac = fac.get_enrolment(e.id).await.unwrap();
    assert_eq!(as_fac.actions, e.actions);
    let listed = all_enrolments(&head_b, cohort.id).await;
    let mine = listed.iter().find(|x| x.id == e.id).unwrap();
    assert_eq!(mine.actions, e.actions, "lists carry the same actions as reads");
    assert_eq!(e.person_name, "Ivy Moss");
    assert_eq!(code(head_b.create_enrolment(cohort.id, person.id).await), (409, "already_enrolled".into()));
    let e = head_b.transition(e.id, TransitionKind::Approve).await.unwrap();
    assert_eq!(e.status, EnrolmentStatus::Approved);
    // Activation belongs to the provider, not the school.
    assert_eq!(code(head_b.transition(e.id, TransitionKind::Activate).await), (403, "forbidden".into()));
    let e = fac.transition(e.id, TransitionKind::Activate).await.unwrap();
    assert!(e.actions.contains(&TransitionKind::Complete), "the facilitator completes: {:?}", e.actions);
    let as_school = head_b.get_enrolment(e.id).await.unwrap();
    assert!(!as_school.actions.contains(&TransitionKind::Complete), "the school does not: {:?}", as_school.actions);
    assert!(!e.actions.contains(&TransitionKind::Certify), "nobody certifies by hand");
    let e = head_b.transition(e.id, TransitionKind::Defer).await.unwrap();
    assert_eq!((e.status, e.deferred_from), (EnrolmentStatus::Deferred, Some(EnrolmentStatus::Active)));
    let e = head_b.transition(e.id, TransitionKind::Resume).await.unwrap();
    assert_eq!((e.status, e.deferred_from), (EnrolmentStatus::Active, None));
    assert_eq!(code(fac.transition(e.id, TransitionKind::Approve).await), (409, "illegal_transition".into()));

    assert_eq!(
        code(fac.withdraw_enrolment(e.id, WithdrawalReasonKind::Other, Some("  ")).await),
        (422, "details_required".into())
    );
    assert_eq!(
        fac.get_enrolment(e.id).await.unwrap().status,
        EnrolmentStatus::Active,
        "a refused withdrawal changes nothing"
    );
    let e = fac.withdraw_enrolment(e.id, WithdrawalReasonKind::Other, Some("Moving to a school abroad")).await.unwrap();
    assert_eq!(e.status, EnrolmentStatus::Withdrawn);
    assert_eq!(
        e.withdrawal_reason,
        Some(WithdrawalReason { kind: WithdrawalReasonKind::Other, details: Some("Moving to a school abroad".into()) })
    );
    assert!(e.allowed_transitions.is_empty());
    assert_eq!(code(fac.transition(e.id, TransitionKind::Resume).await), (409, "illegal_transition".into()));
    // Withdrawal keeps the record: the school still sees it.
    assert_eq!(head_b.get_enrolment(e.id).await.unwrap().status, EnrolmentStatus::Withdrawn);
}

async fn lists_page_with_cursors_and_filter_by_updated_since(backend: Backend) {
    let s = TestServer::start(backend);
    // A cohort of its own: seven nominated by one school, five by another, all active.
    let built =
        CohortBuilder::new(&s).participants_from("head.a", 7).participants_from("head.b", 5).active().build().await;
    let (fac, cohort) = (built.facilitator, built.cohort);
    let mut seen = vec![];
    let mut params = ListParams { limit: Some(5), ..Default::default() };
    let mut sizes = vec![];
    loop {
        let page = fac.list_enrolments(cohort.id, &params).await.unwrap();
        sizes.push(page.items.len());
        seen.extend(page.items.into_iter().map(|e| e.id));
        match page.next_cursor {
            Some(c) => params.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(sizes, [5, 5, 2]);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 12, "every enrolment exactly once");
    let mut made: Vec<_> = built.enrolments.iter().map(|e| e.id).collect();
    made.sort();
    assert_eq!(unique, made, "and only this cohort's");

    let bad = ListParams { cursor: Some("bm90LWEtY3Vyc29y".into()), ..Default::default() };
    assert_eq!(code(fac.list_enrolments(cohort.id, &bad).await), (400, "invalid_cursor".into()));
    assert_eq!(
        code(fac.list_enrolments(cohort.id, &ListParams { limit: Some(0), ..Default::default() }).await),
        (400, "invalid_limit".into())
    );

    // Delta sync: only what changed since a moment.
    let mark = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let since = ListParams { updated_since: Some(mark), ..Default::default() };
    assert!(fac.list_enrolments(cohort.id, &since).await.unwrap().items.is_empty());
    let active = fac
        .list_enrolments(cohort.id, &ListParams { limit: Some(200), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|e| e.status == EnrolmentStatus::Active)
        .unwrap();
    let completed = fac.complete_enrolment(active.id, Some("Evidence held by the provider")).await.unwrap();
    assert!(!completed.allowed_transitions.contains(&TransitionKind::Certify), "certification is not offered by hand");
    let changed = fac.list_enrolments(cohort.id, &since).await.unwrap().items;
    assert_eq!(changed.iter().map(|e| e.id).collect::<Vec<_>>(), vec![active.id]);
}

async fn parallel_lifecycle_moves_on_one_enrolment_let_exactly_one_win(backend: Backend) {
    let s = TestServer::start(backend);
    let head = s.login("head.a").await;
    let school = school_id(&head).await;
    let cohort = demo_cohort(&head).await;
    let enrolments = all_enrolments(&head, cohort.id).await;
    let nominated = enrolments
        .iter()
        .find(|e| e.status == EnrolmentStatus::Nominated && e.school_id == school)
        .expect("a nomination at school A")
        .id;

    // Ten approvals of one nomination at once: one moves it, the rest find it already approved.
    let approvals = at_once(10, |_| {
        let c = head.clone();
        async move { c.transition(nominated, TransitionKind::Approve).await }
    })
    .await;
    assert_eq!(approvals, one_winner(10));
    assert_eq!(head.get_enrolment(nominated).await.unwrap().status, EnrolmentStatus::Approved);
    assert_eq!(recorded_transitions(&s, nominated), ["approve"], "one approval, recorded once");

    // Ten withdrawals at once: withdrawn once, with one event.
    let withdrawals = at_once(10, |_| {
        let c = head.clone();
        async move { c.withdraw_enrolment(nominated, WithdrawalReasonKind::Workload, None).await }
    })
    .await;
    assert_eq!(withdrawals, one_winner(10));
    assert_eq!(head.get_enrolment(nominated).await.unwrap().status, EnrolmentStatus::Withdrawn);
    assert_eq!(recorded_transitions(&s, nominated), ["approve", "withdraw"]);

    // Different moves, each legal from the state read and each excluding the other (defer and
    // complete of an active enrolment): one lands, the other was decided on a state that is gone.
    let fac = s.login("facilitator").await;
    let active = enrolments
        .iter()
        .find(|e| e.status == EnrolmentStatus::Active && e.school_id == school)
        .expect("an active enrolment at school A")
        .id;
    let before = recorded_transitions(&s, active).len();
    let mixed = at_once(10, |i| {
        let c = fac.clone();
        async move {
            if i % 2 == 0 {
                c.transition(active, TransitionKind::Defer).await
            } else {
                c.complete_enrolment(active, Some("Completed early: a new post")).await
            }
        }
    })
    .await;
    assert_eq!(mixed, one_winner(10));
    let events = recorded_transitions(&s, active);
    assert_eq!(events.len(), before + 1, "{events:?}");
    let status = fac.get_enrolment(active).await.unwrap().status;
    let expected = if events[before] == "defer" { EnrolmentStatus::Deferred } else { EnrolmentStatus::Completed };
    assert_eq!(status, expected, "the state is the one move that won");
}

async fn parallel_report_draft_saves_all_land(backend: Backend) {
    let s = TestServer::start(backend);
    let p = s.login("participant.a").await;
    let cohort = demo_cohort(&p).await;
    let mine = all_enrolments(&p, cohort.id).await.remove(0).id;
    // A participant saving from two tabs: every save succeeds, and the last one stands whole.
    let saves = at_once(10, |i| {
        let c = p.clone();
        async move { c.update_report_draft(mine, &format!("Draft number {i}")).await }
    })
    .await;
    assert_eq!(saves, vec![(200, String::new()); 10]);
    let draft = p.get_report_draft(mine).await.unwrap();
    assert!((0..10).any(|i| draft.text == format!("Draft number {i}")), "{}", draft.text);
    assert_eq!(draft.words as usize, trellis_domain::rules::word_count(&draft.text));
}

async fn a_report_draft_of_the_documented_maximum_fits_the_body_limit(backend: Backend) {
    let s = TestServer::start(backend);
    let p = s.login("participant.a").await;
    let cohort = demo_cohort(&p).await;
    let mine = all_enrolments(&p, cohort.id).await.remove(0).id;
    // 200,000 characters of two, three and four bytes each: all within the documented maximum.
    for ch in ['é', '中', '😀'] {
        let text: String = std::iter::repeat_n(ch, 200_000).collect();
        let saved = p.update_report_draft(mine, &text).await.unwrap_or_else(|e| panic!("200,000 × {ch}: {e}"));
        assert_eq!(saved.text.chars().count(), 200_000);
    }
    let over = "中".repeat(200_001);
    let err = p.update_report_draft(mine, &over).await.unwrap_err();
    let trellis_client::ClientError::Api(problem) = err else { panic!("{err:?}") };
    assert_eq!((problem.status, problem.code.as_str()), (422, "validation_failed"));
    assert_eq!(problem.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["text"]);
    // A body beyond the limit is still refused before it is read.
    let huge = json!({"text": "x".repeat(trellis_api::startup::JSON_LIMIT)});
    let (status, problem) =
        send_json(&s, p.token().unwrap(), reqwest::Method::PUT, &format!("/enrolments/{mine}/report-draft"), &huge)
            .await;
    assert_eq!((status, problem["code"].as_str()), (413, Some("payload_too_large")));
    let kept = p.get_report_draft(mine).await.unwrap().text;
    assert!(kept.chars().count() == 200_000 && kept.starts_with('😀'), "refused saves changed nothing");
}

async fn a_finished_enrolments_report_draft_is_read_only(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let not_active = (409, "enrolment_not_active".to_owned());

    // Active: drafting; completed: the draft stands as it was, readable.
    let a = s.login("participant.a").await;
    let cohort = demo_cohort(&a).await;
    let mine = all_enrolments(&a, cohort.id).await.remove(0);
    assert_eq!(mine.status, EnrolmentStatus::Active);
    a.update_report_draft(mine.id, "Written while active").await.unwrap();
    fac.complete_enrolment(mine.id, Some("Completed early: a new post")).await.unwrap();
    assert_eq!(code(a.update_report_draft(mine.id, "Written after completion").await), not_active);
    assert_eq!(a.get_report_draft(mine.id).await.unwrap().text, "Written while active");

    // Approved and deferred: drafting; withdrawn: no more.
    let b = s.login("participant.b").await;
    let head_b = s.login("head.b").await;
    let theirs = all_enrolments(&b, cohort.id).await.remove(0);
    assert_eq!(theirs.status, EnrolmentStatus::Approved);
    b.update_report_draft(theirs.id, "Written while approved").await.unwrap();
    head_b.transition(theirs.id, TransitionKind::Defer).await.unwrap();
    b.update_report_draft(theirs.id, "Written while deferred").await.unwrap();
    head_b.withdraw_enrolment(theirs.id, WithdrawalReasonKind::Workload, None).await.unwrap();
    assert_eq!(code(b.update_report_draft(theirs.id, "Written after withdrawal").await), not_active);
    let draft = b.get_report_draft(theirs.id).await.unwrap();
    assert_eq!(draft.text, "Written while deferred", "reading stays allowed; the refused save wrote nothing");
}

/// Two people editing one register (or one draft, in two tabs): the second save, based on the
/// version before the first, is refused with 412 and the first stands.
async fn a_write_based_on_a_stale_version_is_refused(backend: Backend) {
    use reqwest::Method;
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let session = fac
        .list_sessions(cohort.id)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|x| x.starts_at < chrono::Utc::now())
        .unwrap();
    let members: Vec<Enrolment> =
        all_enrolments(&fac, cohort.id).await.into_iter().filter(|e| e.status != EnrolmentStatus::Nominated).collect();
    let token = raw_token(&s, "facilitator").await;
    let path = format!("/sessions/{}/attendance", session.id);
    let register = |status: &str| json!({ "entries": [{ "enrolment_id": members[0].id, "status": status }] });

    let (status, first, _) = versioned(&s, &token, Method::GET, &path, None, None).await;
    assert_eq!(status, 200);
    assert!(first.starts_with('"') && first.ends_with('"'), "a strong entity tag: {first}");
    // One tab saves, based on what it loaded.
    let (status, second, _) = versioned(&s, &token, Method::PUT, &path, Some(&first), Some(&register("present"))).await;
    assert_eq!(status, 200);
    assert_ne!(first, second, "a save makes a new version");
    // The other tab, still on the first version, is refused and told the current one.
    let (status, current, problem) =
        versioned(&s, &token, Method::PUT, &path, Some(&first), Some(&register("absent"))).await;
    assert_eq!((status, problem["code"].as_str()), (412, Some("stale_write")), "{problem}");
    assert_eq!(current, second);
    let (_, tag, list) = versioned(&s, &token, Method::GET, &path, None, None).await;
    assert_eq!(tag, second, "the refused save changed nothing");
    assert_eq!(list["items"][0]["status"], "present");
    // With the current version, or without If-Match (last write wins), the save goes through.
    let (status, _, _) = versioned(&s, &token, Method::PUT, &path, Some(&second), Some(&register("late"))).await;
    assert_eq!(status, 200);
    let (status, _, _) = versioned(&s, &token, Method::PUT, &path, None, Some(&register("absent"))).await;
    assert_eq!(status, 200);
    // A stranger learns nothing from a stale tag: not found before any version check.
    let stranger = raw_token(&s, "participant.b").await;
    let (status, _, _) = versioned(&s, &stranger, Method::PUT, &path, Some("\"1\""), Some(&register("present"))).await;
    assert_eq!(status, 403);

    // The report draft, in two tabs.
    let part = raw_token(&s, "participant.a").await;
    let mine = all_enrolments(&s.login("participant.a").await, cohort.id).await.remove(0);
    let draft = format!("/enrolments/{}/report-draft", mine.id);
    let (status, unsaved, _) = versioned(&s, &part, Method::GET, &draft, None, None).await;
    assert_eq!((status, unsaved.as_str()), (200, "\"0\""), "a draft never saved has version 0");
    let text = |t: &str| json!({ "text": t });
    let (status, saved, _) =
        versioned(&s, &part, Method::PUT, &draft, Some(&unsaved), Some(&text("Newer words."))).await;
    assert_eq!(status, 200);
    let (status, _, problem) =
        versioned(&s, &part, Method::PUT, &draft, Some(&unsaved), Some(&text("Older words."))).await;
    assert_eq!((status, problem["code"].as_str()), (412, Some("stale_write")));
    let (_, tag, body) = versioned(&s, &part, Method::GET, &draft, None, None).await;
    assert_eq!((tag, body["text"].as_str()), (saved, Some("Newer words.")));
}

/// `GET /me/enrolments`: a participant's own enrolments with their cohorts' names, nobody else's.
async fn my_enrolments_are_the_callers_own_in_one_request(backend: Backend) {
    let s = TestServer::start(backend);
    let part = s.login("participant.a").await;
    let cohort = demo_cohort(&part).await;
    let mine = part.list_my_enrolments().await.unwrap().items;
    let visible = all_enrolments(&part, cohort.id).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!((mine[0].enrolment.id, mine[0].cohort_name.as_str()), (visible[0].id, trellis_e2e::DEMO_COHORT_NAME));
    let other = s.login("participant.b").await.list_my_enrolments().await.unwrap().items;
    assert!(other.iter().all(|m| m.enrolment.id != mine[0].enrolment.id));
    assert_eq!(other.len(), 1);
    // Staff without a person record of their own have none; a machine client is told it cannot.
    assert!(s.login("admin").await.list_my_enrolments().await.unwrap().items.is_empty());
    assert_eq!(code(s.mis().await.list_my_enrolments().await), (400, "users_only".into()));
}

async fn completion_follows_the_rules_or_records_the_reason_it_did_not(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let priya = all_enrolments(&fac, cohort.id).await.into_iter().find(|e| e.person_name == "Priya Anand").unwrap();
    // Mid-programme: sessions to come, no project yet. Completing is refused, each unmet
    // requirement named (never the final assessment's, which certification follows).
    let err = fac.complete_enrolment(priya.id, None).await.unwrap_err();
    let trellis_client::ClientError::Api(problem) = err else { panic!("{err:?}") };
    assert_eq!((problem.status, problem.code.as_str()), (409, "requirements_not_met"));
    let unmet: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert!(!unmet.is_empty() && unmet.iter().all(|id| !id.starts_with("assessment.")), "{unmet:?}");
    assert!(unmet.iter().any(|id| id.starts_with("sessions.")), "{unmet:?}");
    assert!(problem.errors.iter().all(|e| e.code == "requirement_not_met"));
    let progress = fac.get_enrolment_progress(priya.id, &ProgressParams::default()).await.unwrap();
    for id in &unmet {
        let r = progress.progress.requirements.iter().find(|r| r.id == *id).unwrap();
        assert_ne!(r.status, RequirementStatus::Met, "{id} is named because it is not met");
    }
    assert_eq!(fac.get_enrolment(priya.id).await.unwrap().status, EnrolmentStatus::Active, "nothing moved");
    // An empty or blank reason is not a reason; unknown fields are refused.
    let path = format!("/enrolments/{}/complete", priya.id);
    let (status, body) =
        send_json(&s, fac.token().unwrap(), reqwest::Method::POST, &path, &json!({"override_reason": ""})).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("validation_failed")));
    let (status, body) =
        send_json(&s, fac.token().unwrap(), reqwest::Method::POST, &path, &json!({"override_reason": "   "})).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("blank")));
    let (status, body) = send_json(&s, fac.token().unwrap(), reqwest::Method::POST, &path, &json!({"why": "x"})).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("unknown_field")));
    // With a reason: completed, the reason kept with the event and in the audit trail.
    let reason = "Moved to a headship in January; evidence of the project is held by the school.";
    let done = fac.complete_enrolment(priya.id, Some(reason)).await.unwrap();
    assert_eq!(done.status, EnrolmentStatus::Completed);
    #[derive(diesel::QueryableByName)]
    struct Note {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        note: Option<String>,
    }
    use diesel::RunQueryDsl;
    let note: Note = diesel::sql_query(format!(
        "SELECT note FROM enrolment_events WHERE enrolment_id = '{}' AND transition = 'complete'",
        priya.id
    ))
    .get_result(&mut s.db())
    .unwrap();
    assert_eq!(note.note.as_deref(), Some(reason));
    let trust = s.login("trust").await;
    let events = trust.list_audit_events(&ListParams::default()).await.unwrap();
    let event = events.items.iter().find(|e| e.action == "enrolment.completed_with_override").expect("audited");
    assert_eq!(event.subject_id, priya.id);
    assert_eq!(event.detail["reason"], reason);
    assert_eq!(event.detail["unmet"].as_array().unwrap().len(), unmet.len());
}
