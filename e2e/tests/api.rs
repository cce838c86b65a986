//! The API over real HTTP, on SQLite and on PostgreSQL: every test runs once per backend.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use serde_json::json;
use trellis_client::Client;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

on_both_backends!(
    health_reports_status_version_and_backend,
    login_refresh_and_logout_follow_the_token_lifecycle,
    machine_client_is_limited_to_its_school_and_scopes,
    school_lead_cannot_read_or_change_another_schools_data,
    participant_sees_only_themself,
    bad_input_gets_a_distinct_problem_and_writes_nothing,
    enrolment_moves_through_its_lifecycle_and_refuses_illegal_moves,
    lists_page_with_cursors_and_filter_by_updated_since,
    repeated_failed_sign_ins_are_throttled,
    distributed_and_parallel_guessing_cannot_lock_the_owner_out,
    concurrent_writes_all_land,
    parallel_lifecycle_moves_on_one_enrolment_let_exactly_one_win,
    parallel_report_draft_saves_all_land,
    parallel_writes_to_one_session_queue,
    out_of_range_dates_are_refused_before_they_reach_the_database,
    a_report_draft_of_the_documented_maximum_fits_the_body_limit,
    term_calendar_changes_by_callers_who_may_only_read_are_forbidden,
    a_finished_enrolments_report_draft_is_read_only,
    a_schools_hub_belongs_to_its_own_trust,
    a_write_based_on_a_stale_version_is_refused,
    my_enrolments_are_the_callers_own_in_one_request,
);

fn code(r: Result<impl std::fmt::Debug, trellis_client::ClientError>) -> (u16, String) {
    let e = r.expect_err("expected an error");
    (e.status().unwrap_or(0), e.code().unwrap_or("").to_owned())
}

async fn demo_cohort(c: &Client) -> Cohort {
    let page = c.list_cohorts(&ListParams::default()).await.unwrap();
    page.items.into_iter().find(|c| c.name == trellis_e2e::DEMO_COHORT_NAME).expect("demo cohort")
}

async fn all_enrolments(c: &Client, cohort: Uuid) -> Vec<Enrolment> {
    let mut out = vec![];
    let mut params = ListParams { limit: Some(200), ..Default::default() };
    loop {
        let page = c.list_enrolments(cohort, &params).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => params.cursor = Some(next),
            None => return out,
        }
    }
}

async fn school_id(c: &Client) -> Uuid {
    match c.get_me().await.unwrap() {
        Me::User(u) => u.school_id.expect("user has a school"),
        Me::Client(c) => c.school_ids[0],
    }
}

async fn health_reports_status_version_and_backend(backend: Backend) {
    let s = TestServer::start(backend);
    let h = s.client().get_health().await.unwrap();
    assert_eq!(h.status, "ok");
    assert_eq!(h.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(h.backend, if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
}

async fn login_refresh_and_logout_follow_the_token_lifecycle(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    assert_eq!(code(anon.create_session("head.a@trellis.test", "wrong").await), (401, "invalid_credentials".into()));
    assert_eq!(
        code(anon.create_session("nobody@trellis.test", "trellis-demo").await),
        (401, "invalid_credentials".into())
    );
    assert_eq!(code(anon.get_me().await), (401, "unauthenticated".into()));
    assert_eq!(code(anon.with_token("not.a.jwt").get_me().await), (401, "invalid_token".into()));

    // Emails are matched case-insensitively.
    let pair = anon.create_session("Head.A@Trellis.test", "trellis-demo").await.unwrap();
    assert_eq!(pair.token_type, "Bearer");
    let me = anon.with_token(&pair.access_token).get_me().await.unwrap();
    let Me::User(u) = me else { panic!("expected a user") };
    assert_eq!((u.email.as_str(), u.role), ("head.a@trellis.test", Role::SchoolLead));

    // Refresh rotates: the new pair works, the old refresh token is single use, and reusing it
    // ends the whole session (the new tokens too).
    let second = anon.refresh_session(&pair.refresh_token).await.unwrap();
    assert_ne!(second.refresh_token, pair.refresh_token);
    anon.with_token(&second.access_token).get_me().await.unwrap();
    assert_eq!(code(anon.refresh_session(&pair.refresh_token).await), (401, "refresh_token_reused".into()));
    assert_eq!(code(anon.with_token(&second.access_token).get_me().await), (401, "token_revoked".into()));
    assert_eq!(code(anon.refresh_session(&second.refresh_token).await), (401, "invalid_refresh_token".into()));
    assert_eq!(code(anon.refresh_session("made-up").await), (401, "invalid_refresh_token".into()));

    // Logout revokes the access token at once, and its refresh token.
    let third = anon.create_session("head.a@trellis.test", "trellis-demo").await.unwrap();
    let c = anon.with_token(&third.access_token);
    c.delete_session().await.unwrap();
    assert_eq!(code(c.get_me().await), (401, "token_revoked".into()));
    assert_eq!(code(anon.refresh_session(&third.refresh_token).await), (401, "invalid_refresh_token".into()));
}

async fn machine_client_is_limited_to_its_school_and_scopes(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    assert_eq!(code(anon.create_client_token("demo-mis", "wrong", None).await), (401, "invalid_client".into()));
    assert_eq!(
        code(anon.create_client_token("nope", "trellis-demo-secret", None).await),
        (401, "invalid_client".into())
    );
    assert_eq!(
        code(anon.create_client_token("demo-mis", "trellis-demo-secret", Some("admin:all")).await),
        (400, "invalid_scope".into())
    );

    // OAuth 2.0 client libraries read RFC 6749's `error` member and expect no caching of tokens.
    let http = reqwest::Client::new();
    let res = http
        .post(anon.url("/auth/token"))
        .form(&[("grant_type", "client_credentials"), ("client_id", "demo-mis"), ("client_secret", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!((body["code"].as_str(), body["error"].as_str()), (Some("invalid_client"), Some("invalid_client")));
    let res = http.post(anon.url("/auth/token")).form(&[("client_id", "demo-mis")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"], "invalid_request");
    let res = http
        .post(anon.url("/auth/token"))
        .basic_auth("demo-mis", Some("trellis-demo-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "HTTP Basic client authentication");
    assert_eq!(res.headers()["cache-control"], "no-store");

    let mis = s.mis().await;
    let Me::Client(me) = mis.get_me().await.unwrap() else { panic!("expected a client") };
    assert_eq!(me.client_id, "demo-mis");
    assert_eq!(me.scopes, vec![Scope::RosterWrite, Scope::ProgressRead]);
    let school_a = me.school_ids[0];

    let head_b = s.login("head.b").await;
    let school_b = school_id(&head_b).await;

    let roster = mis.list_people(school_a, &ListParams::default()).await.unwrap();
    assert!(roster.items.len() >= 4);
    assert_eq!(code(mis.list_people(school_b, &ListParams::default()).await), (404, "not_found".into()));
    let newcomer = CreatePerson {
        given_name: "Nia".into(),
        family_name: "Lowe".into(),
        email: None,
        staff_role: StaffRole::Teacher,
        mis_id: Some("MIS-777".into()),
    };
    assert_eq!(code(mis.create_person(school_b, &newcomer).await), (404, "not_found".into()));
    let created = mis.create_person(school_a, &newcomer).await.unwrap();
    assert_eq!(created.mis_id.as_deref(), Some("MIS-777"));
    // The same MIS id again in the same school is a conflict; in another school it is fine.
    assert_eq!(code(mis.create_person(school_a, &newcomer).await), (409, "duplicate_mis_id".into()));
    s.login("admin").await.create_person(school_b, &newcomer).await.unwrap();

    // progress:read shows school A's enrolments only; a roster-only token sees none.
    let cohort = demo_cohort(&mis).await;
    let visible = all_enrolments(&mis, cohort.id).await;
    assert!(!visible.is_empty());
    assert!(visible.iter().all(|e| e.school_id == school_a));
    let b_enrolment = all_enrolments(&head_b, cohort.id).await.remove(0);
    assert_eq!(code(mis.get_enrolment(b_enrolment.id).await), (404, "not_found".into()));
    assert_eq!(code(mis.transition(visible[0].id, TransitionKind::Defer).await), (403, "forbidden".into()));

    let roster_only = anon.create_client_token("demo-mis", "trellis-demo-secret", Some("roster:write")).await.unwrap();
    let roster_only = anon.with_token(roster_only.access_token);
    assert_eq!(code(roster_only.get_enrolment(visible[0].id).await), (404, "not_found".into()));
}

async fn school_lead_cannot_read_or_change_another_schools_data(backend: Backend) {
    let s = TestServer::start(backend);
    let head_a = s.login("head.a").await;
    let head_b = s.login("head.b").await;
    let school_a = school_id(&head_a).await;
    let school_b = school_id(&head_b).await;

    assert_eq!(code(head_b.get_school(school_a).await), (404, "not_found".into()));
    assert_eq!(code(head_b.list_people(school_a, &ListParams::default()).await), (404, "not_found".into()));
    let a_person = head_a.list_people(school_a, &ListParams::default()).await.unwrap().items.remove(0);
    assert_eq!(code(head_b.get_person(a_person.id).await), (404, "not_found".into()));
    let newcomer = CreatePerson {
        given_name: "X".into(),
        family_name: "Y".into(),
        email: None,
        staff_role: StaffRole::Teacher,
        mis_id: None,
    };
    assert_eq!(code(head_b.create_person(school_a, &newcomer).await), (404, "not_found".into()));

    let schools = head_b.list_schools(&ListParams::default()).await.unwrap();
    assert_eq!(schools.items.iter().map(|s| s.id).collect::<Vec<_>>(), vec![school_b]);

    let cohort = demo_cohort(&head_b).await;
    let mine = all_enrolments(&head_b, cohort.id).await;
    assert!(!mine.is_empty() && mine.iter().all(|e| e.school_id == school_b));
    let theirs = all_enrolments(&head_a, cohort.id).await;
    let target = theirs.iter().find(|e| e.status == EnrolmentStatus::Active).expect("an active enrolment at A");
    assert_eq!(code(head_b.get_enrolment(target.id).await), (404, "not_found".into()));
    assert_eq!(
        code(head_b.withdraw_enrolment(target.id, WithdrawalReasonKind::Workload, None).await),
        (404, "not_found".into())
    );
    assert_eq!(code(head_b.transition(target.id, TransitionKind::Defer).await), (404, "not_found".into()));
    // Nominating another school's person does not even confirm they exist.
    assert_eq!(code(head_b.create_enrolment(cohort.id, a_person.id).await), (422, "unknown_person".into()));
    // Nothing changed.
    assert_eq!(head_a.get_enrolment(target.id).await.unwrap().status, EnrolmentStatus::Active);

    // The trust admin sees all four schools; a made-up id is simply not found.
    let trust = s.login("trust").await;
    assert_eq!(trust.list_schools(&ListParams::default()).await.unwrap().items.len(), 4);
    assert_eq!(code(trust.get_school(Uuid::now_v7()).await), (404, "not_found".into()));
}

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

async fn raw(
    s: &TestServer,
    token: &str,
    path: &str,
    content_type: &str,
    body: String,
) -> (u16, serde_json::Value, String) {
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1{path}", s.base))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, res.json().await.unwrap_or(serde_json::Value::Null), ct)
}

async fn bad_input_gets_a_distinct_problem_and_writes_nothing(backend: Backend) {
    let s = TestServer::start(backend);
    let admin = s.login("admin").await;
    let token = admin.token().unwrap().to_owned();
    let before = admin.list_schools(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    let trust_id = admin
        .list_organisations()
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|o| o.kind == OrganisationKind::Trust)
        .unwrap()
        .id;

    let cases: Vec<(&str, String, u16, &str, Option<&str>)> = vec![
        ("application/json", "{\"urn\": \"100001\", ".into(), 400, "malformed_json", None),
        (
            "application/json",
            json!({"urn": "100001", "name": "X", "phase": "primary", "colour": "red"}).to_string(),
            400,
            "unknown_field",
            Some("colour"),
        ),
        (
            "application/json",
            json!({"urn": "1234567", "name": "X", "phase": "primary"}).to_string(),
            422,
            "invalid_urn",
            Some("urn"),
        ),
        (
            "application/json",
            json!({"urn": "100001", "name": "   ", "phase": "primary"}).to_string(),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "application/json",
            json!({"urn": "100001", "name": "X", "phase": "college"}).to_string(),
            422,
            "invalid_body",
            None,
        ),
        (
            "application/json",
            json!({"urn": "100001", "name": "X", "phase": "primary", "trust_id": Uuid::now_v7()}).to_string(),
            422,
            "unknown_organisation",
            Some("trust_id"),
        ),
        ("text/plain", "urn=100001".into(), 415, "unsupported_media_type", None),
        // Text with a NUL, a bidirectional override, or nothing visible is refused in one place
        // (the domain's text rule), whatever the database would have made of it.
        (
            "application/json",
            json!({"urn": "100001", "name": "Oak\u{0}field", "phase": "primary"}).to_string(),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "application/json",
            json!({"urn": "100001", "name": "Oakfield \u{202e}loohcS", "phase": "primary"}).to_string(),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "application/json",
            json!({"urn": "100001", "name": "\u{200b}\u{feff}", "phase": "primary"}).to_string(),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "application/json",
            json!({"urn": "100001", "name": "x".repeat(trellis_api::startup::JSON_LIMIT), "phase": "primary"})
                .to_string(),
            413,
            "payload_too_large",
            None,
        ),
    ];
    for (ct, body, status, expected, field) in cases {
        let (got, problem, content_type) = raw(&s, &token, "/schools", ct, body).await;
        assert_eq!((got, problem["code"].as_str().unwrap_or("")), (status, expected), "{problem}");
        assert_eq!(content_type, "application/problem+json");
        assert_eq!(problem["status"], status);
        assert!(problem["title"].is_string() && problem["type"].is_string());
        if let Some(f) = field {
            assert!(problem["errors"].as_array().unwrap().iter().any(|e| e["field"] == f), "{problem}");
        }
    }
    // A good school, then the same URN again.
    let school = CreateSchool {
        urn: "100001".into(),
        name: "Ysgol Gymraeg Siân — 王小明 Academy".into(),
        phase: SchoolPhase::Primary,
        trust_id: Some(trust_id),
        hub_id: None,
    };
    admin.create_school(&school).await.unwrap();
    assert_eq!(code(admin.create_school(&school).await), (409, "duplicate_urn".into()));
    let after = admin.list_schools(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    assert_eq!(after, before + 1, "only the one valid school was written");

    // A cohort that ends before it starts: every fault listed, nothing written.
    let programme = admin.list_programmes().await.unwrap().items.remove(0);
    let cohorts_before = admin.list_cohorts(&ListParams::default()).await.unwrap().items.len();
    let bad = CreateCohort {
        programme_id: programme.id,
        name: "".into(),
        induction_date: "2027-09-01".parse().unwrap(),
        start_date: "2026-09-01".parse().unwrap(),
        end_date: "2026-08-01".parse().unwrap(),
        hub_id: None,
        host_school_id: None,
        facilitator_ids: vec![],
    };
    let err = admin.create_cohort(&bad).await.unwrap_err();
    let trellis_client::ClientError::Api(p) = err else { panic!() };
    let mut fields: Vec<_> = p.errors.iter().map(|e| e.field.as_str()).collect();
    fields.sort();
    assert_eq!(fields, ["end_date", "induction_date", "name"]);
    assert_eq!(admin.list_cohorts(&ListParams::default()).await.unwrap().items.len(), cohorts_before);

    // Ids in paths that are not UUIDs, and unknown API paths, are problem+json 404s.
    let res = reqwest::get(format!("{}/api/v1/schools/42", s.base)).await.unwrap();
    assert_eq!(res.status().as_u16(), 401, "authentication comes first");
    let res =
        reqwest::Client::new().get(format!("{}/api/v1/schools/42", s.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
    let res = reqwest::get(format!("{}/api/v1/no-such-thing", s.base)).await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "not_found");

    // A documented path asked with another method: 405, saying which methods it answers.
    let http = reqwest::Client::new();
    for (method, path, allow) in [
        (reqwest::Method::DELETE, "/api/v1/cohorts", "GET, POST"),
        (reqwest::Method::POST, "/api/v1/health", "GET"),
        (reqwest::Method::PUT, "/calendar/anything.ics", "GET"),
    ] {
        let res = http.request(method.clone(), format!("{}{path}", s.base)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 405, "{method} {path}");
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "method_not_allowed");
    }
    // An oversized form to the token endpoint is 413, like an oversized JSON body.
    let res = http
        .post(format!("{}/api/v1/auth/token", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=client_credentials&client_id={}", "x".repeat(10 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "payload_too_large");
    // An empty cursor is the first page (a generated client may send `cursor=`).
    let first = admin.list_schools(&ListParams { cursor: Some(String::new()), ..Default::default() }).await.unwrap();
    assert!(!first.items.is_empty());
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
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
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
    fac.transition(active.id, TransitionKind::Complete).await.unwrap();
    let changed = fac.list_enrolments(cohort.id, &since).await.unwrap().items;
    assert_eq!(changed.iter().map(|e| e.id).collect::<Vec<_>>(), vec![active.id]);
}

async fn repeated_failed_sign_ins_are_throttled(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    for _ in 0..10 {
        assert_eq!(
            code(anon.create_session("head.b@trellis.test", "guess").await),
            (401, "invalid_credentials".into())
        );
    }
    // Now even the right password is refused for this account, with a Retry-After.
    let res = reqwest::Client::new()
        .post(anon.url("/auth/login"))
        .json(&json!({"email": "head.b@trellis.test", "password": trellis_e2e::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "too_many_attempts");
    // Other accounts are unaffected, and so is the same account from another address: a stranger
    // cannot lock a colleague out by typing wrong passwords at their own machine.
    s.login("head.a").await.get_me().await.unwrap();
    let elsewhere = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, 2])).build().unwrap();
    let res = elsewhere
        .post(anon.url("/auth/login"))
        .json(&json!({"email": "head.b@trellis.test", "password": trellis_e2e::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "the right password from another address still works");
    // Client secrets are throttled the same way: per client and address, so anyone's guesses
    // cannot lock a school's MIS out.
    for _ in 0..10 {
        assert_eq!(code(anon.create_client_token("demo-mis", "guess", None).await), (401, "invalid_client".into()));
    }
    assert_eq!(
        code(anon.create_client_token("demo-mis", "trellis-demo-secret", None).await),
        (429, "too_many_attempts".into())
    );
    let res = elsewhere
        .post(anon.url("/auth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-mis"),
            ("client_secret", "trellis-demo-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "the MIS itself, from its own address, still gets a token");
}

/// Guessing from many addresses slows an account down but never locks its owner out, and
/// parallel guesses are counted one by one against the limit.
async fn distributed_and_parallel_guessing_cannot_lock_the_owner_out(backend: Backend) {
    let s = TestServer::start(backend);
    let login = |from: u8, password: &'static str| {
        let http = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, from])).build().unwrap();
        let url = s.client().url("/auth/login");
        async move {
            http.post(url)
                .json(&json!({"email": "head.b@trellis.test", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // 40 wrong passwords at once from one address, against a limit of 10 per account and address.
    let burst: Vec<u16> = futures_join(40, |_| login(9, "guess")).await;
    assert_eq!(burst.iter().filter(|&&s| s == 401).count(), 10, "{burst:?}");
    assert_eq!(burst.iter().filter(|&&s| s == 429).count(), 30, "{burst:?}");
    // 50 more failures from five other addresses: the account is now past every shared limit.
    let spread: Vec<u16> = futures_join(50, |i| login(10 + (i % 5) as u8, "guess")).await;
    assert!(spread.iter().all(|&s| s == 401), "{spread:?}");
    // The owner, from an address of their own, still signs in (after a short, bounded wait).
    let started = std::time::Instant::now();
    assert_eq!(login(42, trellis_e2e::PASSWORD).await, 200);
    assert!(started.elapsed() <= std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}

/// Runs `n` requests made by `f` concurrently and returns their results in order.
async fn futures_join<F, Fut>(n: usize, f: F) -> Vec<u16>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = u16> + Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(f(i))).collect();
    let mut out = vec![];
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

async fn concurrent_writes_all_land(backend: Backend) {
    let s = TestServer::start(backend);
    let head = s.login("head.a").await;
    let school = school_id(&head).await;
    let before =
        head.list_people(school, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    // 24 writers at once: on SQLite they queue on the write lock instead of failing with SQLITE_BUSY.
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let head = head.clone();
            tokio::spawn(async move {
                let p = CreatePerson {
                    given_name: format!("Concurrent{i}"),
                    family_name: "Writer".into(),
                    email: None,
                    staff_role: StaffRole::Teacher,
                    mis_id: Some(format!("C-{i:03}")),
                };
                head.create_person(school, &p).await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let after =
        head.list_people(school, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    assert_eq!(after, before + 24);
}

/// The transitions an enrolment's event log recorded, in order, read from the database itself
/// (the API does not expose the log).
fn recorded_transitions(s: &TestServer, enrolment: Uuid) -> Vec<String> {
    use diesel::prelude::*;
    use trellis_api::db::schema::enrolment_events as ev;
    ev::table
        .filter(ev::enrolment_id.eq(enrolment.to_string()))
        .order((ev::created_at.asc(), ev::id.asc()))
        .select(ev::transition)
        .load(&mut s.db())
        .unwrap()
}

/// Starts `n` requests made by `f` at once; returns each outcome as (status, problem code),
/// sorted, with a success as (200, "").
async fn at_once<F, Fut, T>(n: usize, f: F) -> Vec<(u16, String)>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Result<T, trellis_client::ClientError>> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(f(i))).collect();
    let mut out = vec![];
    for t in tasks {
        out.push(match t.await.unwrap() {
            Ok(_) => (200, String::new()),
            Err(e) => (e.status().unwrap_or(0), e.code().unwrap_or("").to_owned()),
        });
    }
    out.sort();
    out
}

/// One success and `n - 1` refusals as illegal moves.
fn one_winner(n: usize) -> Vec<(u16, String)> {
    let mut v = vec![(409, "illegal_transition".to_owned()); n - 1];
    v.insert(0, (200, String::new()));
    v
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
        let kind = if i % 2 == 0 { TransitionKind::Defer } else { TransitionKind::Complete };
        async move { c.transition(active, kind).await }
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

async fn parallel_writes_to_one_session_queue(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let session = fac.list_sessions(cohort.id).await.unwrap().items.into_iter().find(|x| x.cancelled_at.is_none());
    let session = session.expect("a session that is not cancelled").id;
    let marked: Vec<Uuid> = all_enrolments(&fac, cohort.id)
        .await
        .into_iter()
        .filter(|e| e.status == EnrolmentStatus::Active)
        .map(|e| e.id)
        .collect();
    assert!(!marked.is_empty());
    // The same register sent ten times at once: each replaces the last whole, none collides.
    let register = Register {
        entries: marked
            .iter()
            .map(|&enrolment_id| RegisterEntry {
                enrolment_id,
                status: AttendanceStatus::Present,
                days: None,
                minutes: None,
            })
            .collect(),
    };
    let registers = at_once(10, |_| {
        let (c, r) = (fac.clone(), register.clone());
        async move { c.update_attendance(session, &r).await }
    })
    .await;
    assert_eq!(registers, vec![(200, String::new()); 10]);
    assert_eq!(fac.get_attendance(session).await.unwrap().items.len(), marked.len());

    // Edits racing a cancellation: an edit lands before it or is refused after it, and never
    // brings the cancelled session back.
    let writes = at_once(10, |i| {
        let c = fac.clone();
        async move {
            if i == 5 {
                c.cancel_session(session).await
            } else {
                let edit = UpdateSession { title: Some(format!("Renamed {i}")), ..Default::default() };
                c.update_session(session, &edit).await
            }
        }
    })
    .await;
    assert!(writes.iter().all(|w| w.0 == 200 || *w == (409, "session_cancelled".to_owned())), "{writes:?}");
    assert!(fac.get_session(session).await.unwrap().cancelled_at.is_some(), "the cancellation stands");
}

/// A raw JSON request; returns the status and the body.
async fn send_json(
    s: &TestServer,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let res = reqwest::Client::new()
        .request(method, format!("{}/api/v1{path}", s.base))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(serde_json::Value::Null))
}

/// The (field, code) pairs of a problem's `errors`, sorted.
fn field_errors(problem: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| (e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

async fn out_of_range_dates_are_refused_before_they_reach_the_database(backend: Backend) {
    let s = TestServer::start(backend);
    let admin = s.login("admin").await;
    let token = admin.token().unwrap().to_owned();
    let cohort = demo_cohort(&admin).await;
    let school = admin.list_schools(&ListParams::default()).await.unwrap().items.remove(0).id;
    let http = reqwest::Client::new();
    let get = |path: String, query: Vec<(&'static str, &'static str)>| {
        let req = http.get(format!("{}/api/v1{path}", s.base)).bearer_auth(&token).query(&query);
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.json::<serde_json::Value>().await.unwrap_or(serde_json::Value::Null))
        }
    };

    // Every list's `updated_since`: years 1900 to 9999, else 400 naming the field.
    let lists = [
        "/organisations".to_owned(),
        "/hubs".to_owned(),
        "/schools".to_owned(),
        format!("/schools/{school}/people"),
        "/programmes".to_owned(),
        "/cohorts".to_owned(),
        format!("/cohorts/{}/enrolments", cohort.id),
        format!("/cohorts/{}/sessions", cohort.id),
    ];
    for path in &lists {
        for bad in ["-9999-01-01T00:00:00Z", "1899-12-31T23:59:59Z"] {
            let (status, problem) = get(path.clone(), vec![("updated_since", bad)]).await;
            assert_eq!((status, problem["code"].as_str()), (400, Some("invalid_query")), "{path} {bad}: {problem}");
            assert_eq!(field_errors(&problem), [("updated_since".into(), "invalid_query".into())], "{path}");
        }
        let (status, problem) = get(path.clone(), vec![("updated_since", "1900-01-01T00:00:00Z")]).await;
        assert_eq!(status, 200, "{path}: {problem}");
    }

    // Dates in request bodies: 1900 to 2200, else 422 with each field.
    let programme = admin.list_programmes().await.unwrap().items.remove(0);
    let cohorts_before =
        admin.list_cohorts(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    for bad in ["+262000-01-01", "-262000-01-01", "1899-12-31", "2201-01-01"] {
        let body = json!({
            "programme_id": programme.id, "name": "Far away", "induction_date": bad, "start_date": bad, "end_date": bad,
        });
        let (status, problem) = send_json(&s, &token, reqwest::Method::POST, "/cohorts", &body).await;
        assert_eq!((status, problem["code"].as_str()), (422, Some("validation_failed")), "{bad}: {problem}");
        let expected: Vec<(String, String)> = ["end_date", "induction_date", "start_date"]
            .iter()
            .map(|f| (f.to_string(), "out_of_range".to_owned()))
            .collect();
        assert_eq!(field_errors(&problem), expected, "{bad}");
    }
    let after = admin.list_cohorts(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    assert_eq!(after, cohorts_before, "nothing written");

    // A session's times, a coaching session's day, term dates.
    let fac = s.login("facilitator").await;
    let fac_token = fac.token().unwrap().to_owned();
    for bad in ["+262000-01-01T10:00", "-262000-01-01T10:00", "1899-12-31T10:00:00Z"] {
        let body = json!({"kind": "induction", "title": "Far away", "starts_at": bad, "ends_at": "2026-10-01T10:00"});
        let (status, problem) =
            send_json(&s, &fac_token, reqwest::Method::POST, &format!("/cohorts/{}/sessions", cohort.id), &body).await;
        assert_eq!(status, 422, "{bad}: {problem}");
        assert!(field_errors(&problem).contains(&("starts_at".into(), "out_of_range".into())), "{bad}: {problem}");
    }
    let coach = s.login("coach").await;
    let coachee = all_enrolments(&coach, cohort.id).await.remove(0);
    for bad in ["+262000-01-01", "-262000-01-01"] {
        let body = json!({"held_on": bad, "minutes": 60, "mode": "phone", "focus": "Far away"});
        let path = format!("/enrolments/{}/coaching-sessions", coachee.id);
        let (status, problem) = send_json(&s, coach.token().unwrap(), reqwest::Method::POST, &path, &body).await;
        assert_eq!(status, 422, "{bad}: {problem}");
        assert_eq!(field_errors(&problem), [("held_on".into(), "out_of_range".into())], "{bad}");
    }
    let trust = s.login("trust").await;
    let Me::User(me) = trust.get_me().await.unwrap() else { panic!() };
    let calendar = json!({"overrides": [{"name": "autumn", "starts": "+262000-09-01", "ends": "+262000-12-20"}]});
    let path = format!("/organisations/{}/term-calendar", me.organisation_id.unwrap());
    let (status, problem) = send_json(&s, trust.token().unwrap(), reqwest::Method::PUT, &path, &calendar).await;
    assert_eq!((status, problem["code"].as_str()), (422, Some("invalid_term_calendar")), "{problem}");

    // Progress as of a date: a query parameter, so 400 naming it.
    for path in [format!("/enrolments/{}/progress", coachee.id), format!("/cohorts/{}/progress", cohort.id)] {
        for bad in ["+262000-01-01", "-262000-01-01"] {
            let (status, problem) = get(path.clone(), vec![("as_of", bad)]).await;
            assert_eq!((status, problem["code"].as_str()), (400, Some("invalid_query")), "{path} {bad}: {problem}");
            assert_eq!(field_errors(&problem), [("as_of".into(), "invalid_query".into())], "{path}");
        }
    }
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

async fn term_calendar_changes_by_callers_who_may_only_read_are_forbidden(backend: Backend) {
    let s = TestServer::start(backend);
    let trust = s.login("trust").await;
    let Me::User(me) = trust.get_me().await.unwrap() else { panic!() };
    let trust_id = me.organisation_id.unwrap();
    let org_path = format!("/organisations/{trust_id}");
    let before = trust.get::<Organisation>(&org_path).await.unwrap().term_calendar;
    let calendar: TermCalendar = serde_json::from_value(json!({"overrides": [
        {"name": "autumn", "starts": "2027-09-01", "ends": "2027-12-17"}
    ]}))
    .unwrap();
    // Everyone signed in may read the trust; only its admins may set its terms.
    for who in ["head.a", "participant.a", "facilitator", "coach", "assessor"] {
        let c = s.login(who).await;
        c.get::<Organisation>(&org_path).await.unwrap_or_else(|e| panic!("{who} reads the trust: {e}"));
        assert_eq!(code(c.update_term_calendar(trust_id, &calendar).await), (403, "forbidden".into()), "{who}");
    }
    // So may a machine client with progress:read; one without cannot see organisations at all.
    let mis = s.mis().await;
    mis.get::<Organisation>(&org_path).await.unwrap();
    assert_eq!(code(mis.update_term_calendar(trust_id, &calendar).await), (403, "forbidden".into()));
    let anon = s.client();
    let roster_only =
        anon.create_client_token(trellis_e2e::DEMO_CLIENT_ID, trellis_e2e::DEMO_CLIENT_SECRET, Some("roster:write"));
    let roster_only = anon.with_token(roster_only.await.unwrap().access_token);
    assert_eq!(code(roster_only.get::<Organisation>(&org_path).await), (404, "not_found".into()));
    assert_eq!(code(roster_only.update_term_calendar(trust_id, &calendar).await), (404, "not_found".into()));
    // An organisation that does not exist is not found, whoever asks.
    for c in [&trust, &s.login("head.a").await] {
        assert_eq!(code(c.update_term_calendar(Uuid::now_v7(), &calendar).await), (404, "not_found".into()));
    }
    assert_eq!(trust.get::<Organisation>(&org_path).await.unwrap().term_calendar, before, "nothing changed");
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
    fac.transition(mine.id, TransitionKind::Complete).await.unwrap();
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

async fn a_schools_hub_belongs_to_its_own_trust(backend: Backend) {
    let s = TestServer::start(backend);
    let admin = s.login("admin").await;
    let trust = s.login("trust").await;
    let Me::User(me) = trust.get_me().await.unwrap() else { panic!() };
    let own_trust = me.organisation_id.unwrap();
    let own_hub =
        admin.get::<HubPage>("/hubs").await.unwrap().items.into_iter().find(|h| h.organisation_id == own_trust);
    let own_hub = own_hub.expect("the demo trust's hub").id;
    let org = |name: &str, kind| CreateOrganisation { name: name.into(), kind };
    let other_trust =
        admin.create_organisation(&org("Elmstead Schools Trust", OrganisationKind::Trust)).await.unwrap().id;
    let council =
        admin.create_organisation(&org("Northshire Council", OrganisationKind::LocalAuthority)).await.unwrap().id;
    let hub = |name: &str, organisation_id| CreateHub { name: name.into(), organisation_id, host_school_id: None };
    let other_hub = admin.post::<Hub, _>("/hubs", &hub("Elmstead Hub", other_trust)).await.unwrap().id;
    let council_hub = admin.post::<Hub, _>("/hubs", &hub("Northshire Hub", council)).await.unwrap().id;
    let school = |urn: &str, trust_id: Option<Uuid>, hub_id: Uuid| CreateSchool {
        urn: urn.into(),
        name: "Brookside Primary School".into(),
        phase: SchoolPhase::Primary,
        trust_id,
        hub_id: Some(hub_id),
    };
    let all = ListParams { limit: Some(200), ..Default::default() };
    let before = admin.list_schools(&all).await.unwrap().items.len();

    let refused = [
        ("trust admin, another trust's hub", &trust, school("150001", Some(own_trust), other_hub)),
        ("trust admin, a council's hub", &trust, school("150002", Some(own_trust), council_hub)),
        ("platform admin, another trust's hub", &admin, school("150003", Some(own_trust), other_hub)),
        ("platform admin, other way round", &admin, school("150004", Some(other_trust), own_hub)),
        ("platform admin, no trust but a trust's hub", &admin, school("150005", None, other_hub)),
    ];
    for (case, who, body) in &refused {
        let err = who.create_school(body).await.unwrap_err();
        let trellis_client::ClientError::Api(p) = err else { panic!("{case}: {err:?}") };
        assert_eq!((p.status, p.code.as_str()), (422, "hub_of_another_trust"), "{case}");
        let fields: Vec<_> = p.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, [("hub_id", "hub_of_another_trust")], "{case}");
    }
    assert_eq!(admin.list_schools(&all).await.unwrap().items.len(), before, "nothing written");

    // A trust's school in that trust's hub; a school outside any trust in a council's hub.
    let made = trust.create_school(&school("150006", Some(own_trust), own_hub)).await.unwrap();
    assert_eq!(made.hub_id, Some(own_hub));
    admin.create_school(&school("150007", Some(other_trust), other_hub)).await.unwrap();
    admin.create_school(&school("150008", None, council_hub)).await.unwrap();
}

/// The SPA's hashed assets go out precompressed (brotli, else gzip) and cached for a year; its
/// page is revalidated on every visit and answers any deep link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spa_assets_are_served_precompressed_and_cached() {
    let dir = std::env::temp_dir().join(format!("trellis-spa-{}", Uuid::now_v7()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Trellis</title>").unwrap();
    std::fs::write(dir.join("index.html.br"), "brotli page").unwrap();
    std::fs::write(dir.join("assets/app.0123456789abcdef.js"), "console.log(1)").unwrap();
    std::fs::write(dir.join("assets/app.0123456789abcdef.js.br"), "brotli bytes").unwrap();
    std::fs::write(dir.join("assets/app.0123456789abcdef.js.gz"), "gzip bytes").unwrap();
    let s = TestServer::start_with(Backend::Sqlite, Some(dir.clone()));
    let http = reqwest::Client::new();
    let get = |path: &str, accept: &str| {
        let mut r = http.get(format!("{}{path}", s.base));
        if !accept.is_empty() {
            r = r.header("accept-encoding", accept);
        }
        r.send()
    };
    let header = |r: &reqwest::Response, h: &str| r.headers().get(h).map(|v| v.to_str().unwrap().to_owned());

    let r = get("/assets/app.0123456789abcdef.js", "gzip, deflate, br").await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(header(&r, "content-encoding").as_deref(), Some("br"));
    assert_eq!(header(&r, "cache-control").as_deref(), Some("public, max-age=31536000, immutable"));
    assert_eq!(header(&r, "vary").as_deref(), Some("Accept-Encoding"));
    assert_eq!(header(&r, "content-disposition"), None, "shown, not downloaded as app.js.br");
    assert!(header(&r, "content-type").unwrap().starts_with("text/javascript"), "{:?}", header(&r, "content-type"));
    assert_eq!(r.text().await.unwrap(), "brotli bytes");

    let r = get("/assets/app.0123456789abcdef.js", "gzip, br;q=0").await.unwrap();
    assert_eq!(header(&r, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(r.text().await.unwrap(), "gzip bytes");
    let r = get("/assets/app.0123456789abcdef.js", "").await.unwrap();
    assert_eq!(header(&r, "content-encoding"), None);
    assert_eq!(r.text().await.unwrap(), "console.log(1)");

    for deep in ["/", "/cohorts/0190a0a0-0000-7000-8000-000000000000"] {
        let r = get(deep, "").await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{deep}");
        assert_eq!(header(&r, "cache-control").as_deref(), Some("no-cache"), "{deep}");
        assert!(r.text().await.unwrap().contains("<title>Trellis</title>"));
    }
    assert_eq!(get("/", "br").await.unwrap().text().await.unwrap(), "brotli page");
    for missing in ["/assets/nothing.js", "/assets/..%2Findex.html", "/assets/app.0123456789abcdef.js.br"] {
        let r = get(missing, "br").await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{missing}");
        assert_eq!(header(&r, "content-type").as_deref(), Some("application/problem+json"));
    }
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A JSON request with an optional `If-Match`; returns the status, the `ETag` and the body.
async fn versioned(
    s: &TestServer,
    token: &str,
    method: reqwest::Method,
    path: &str,
    if_match: Option<&str>,
    body: Option<&serde_json::Value>,
) -> (u16, String, serde_json::Value) {
    let mut req = reqwest::Client::new().request(method, format!("{}/api/v1{path}", s.base)).bearer_auth(token);
    if let Some(tag) = if_match {
        req = req.header("If-Match", tag);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let tag = res.headers().get("etag").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, tag, res.json().await.unwrap_or(serde_json::Value::Null))
}

async fn raw_token(s: &TestServer, who: &str) -> String {
    let pair = s.client().create_session(&format!("{who}@trellis.test"), trellis_e2e::PASSWORD).await.unwrap();
    pair.access_token
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
