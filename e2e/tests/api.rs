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
);

fn code(r: Result<impl std::fmt::Debug, trellis_client::ClientError>) -> (u16, String) {
    let e = r.expect_err("expected an error");
    (e.status().unwrap_or(0), e.code().unwrap_or("").to_owned())
}

async fn demo_cohort(c: &Client) -> Cohort {
    let page = c.cohorts(&ListParams::default()).await.unwrap();
    page.items.into_iter().find(|c| c.name == trellis_e2e::DEMO_COHORT_NAME).expect("demo cohort")
}

async fn all_enrolments(c: &Client, cohort: Uuid) -> Vec<Enrolment> {
    let mut out = vec![];
    let mut params = ListParams { limit: Some(200), ..Default::default() };
    loop {
        let page = c.enrolments(cohort, &params).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => params.cursor = Some(next),
            None => return out,
        }
    }
}

async fn school_id(c: &Client) -> Uuid {
    match c.me().await.unwrap() {
        Me::User(u) => u.school_id.expect("user has a school"),
        Me::Client(c) => c.school_ids[0],
    }
}

async fn health_reports_status_version_and_backend(backend: Backend) {
    let s = TestServer::start(backend);
    let h = s.client().health().await.unwrap();
    assert_eq!(h.status, "ok");
    assert_eq!(h.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(h.backend, if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
}

async fn login_refresh_and_logout_follow_the_token_lifecycle(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    assert_eq!(code(anon.login("head.a@trellis.test", "wrong").await), (401, "invalid_credentials".into()));
    assert_eq!(code(anon.login("nobody@trellis.test", "trellis-demo").await), (401, "invalid_credentials".into()));
    assert_eq!(code(anon.me().await), (401, "unauthenticated".into()));
    assert_eq!(code(anon.with_token("not.a.jwt").me().await), (401, "invalid_token".into()));

    // Emails are matched case-insensitively.
    let pair = anon.login("Head.A@Trellis.test", "trellis-demo").await.unwrap();
    assert_eq!(pair.token_type, "Bearer");
    let me = anon.with_token(&pair.access_token).me().await.unwrap();
    let Me::User(u) = me else { panic!("expected a user") };
    assert_eq!((u.email.as_str(), u.role), ("head.a@trellis.test", Role::SchoolLead));

    // Refresh rotates: the new pair works, the old refresh token is single use, and reusing it
    // ends the whole session (the new tokens too).
    let second = anon.refresh(&pair.refresh_token).await.unwrap();
    assert_ne!(second.refresh_token, pair.refresh_token);
    anon.with_token(&second.access_token).me().await.unwrap();
    assert_eq!(code(anon.refresh(&pair.refresh_token).await), (401, "refresh_token_reused".into()));
    assert_eq!(code(anon.with_token(&second.access_token).me().await), (401, "token_revoked".into()));
    assert_eq!(code(anon.refresh(&second.refresh_token).await), (401, "invalid_refresh_token".into()));
    assert_eq!(code(anon.refresh("made-up").await), (401, "invalid_refresh_token".into()));

    // Logout revokes the access token at once, and its refresh token.
    let third = anon.login("head.a@trellis.test", "trellis-demo").await.unwrap();
    let c = anon.with_token(&third.access_token);
    c.logout().await.unwrap();
    assert_eq!(code(c.me().await), (401, "token_revoked".into()));
    assert_eq!(code(anon.refresh(&third.refresh_token).await), (401, "invalid_refresh_token".into()));
}

async fn machine_client_is_limited_to_its_school_and_scopes(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    assert_eq!(code(anon.client_token("demo-mis", "wrong", None).await), (401, "invalid_client".into()));
    assert_eq!(code(anon.client_token("nope", "trellis-demo-secret", None).await), (401, "invalid_client".into()));
    assert_eq!(
        code(anon.client_token("demo-mis", "trellis-demo-secret", Some("admin:all")).await),
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
    let Me::Client(me) = mis.me().await.unwrap() else { panic!("expected a client") };
    assert_eq!(me.client_id, "demo-mis");
    assert_eq!(me.scopes, vec![Scope::RosterWrite, Scope::ProgressRead]);
    let school_a = me.school_ids[0];

    let head_b = s.login("head.b").await;
    let school_b = school_id(&head_b).await;

    let roster = mis.people(school_a, &ListParams::default()).await.unwrap();
    assert!(roster.items.len() >= 4);
    assert_eq!(code(mis.people(school_b, &ListParams::default()).await), (404, "not_found".into()));
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
    assert_eq!(code(mis.enrolment(b_enrolment.id).await), (404, "not_found".into()));
    assert_eq!(code(mis.transition(visible[0].id, TransitionKind::Defer).await), (403, "forbidden".into()));

    let roster_only = anon.client_token("demo-mis", "trellis-demo-secret", Some("roster:write")).await.unwrap();
    let roster_only = anon.with_token(roster_only.access_token);
    assert_eq!(code(roster_only.enrolment(visible[0].id).await), (404, "not_found".into()));
}

async fn school_lead_cannot_read_or_change_another_schools_data(backend: Backend) {
    let s = TestServer::start(backend);
    let head_a = s.login("head.a").await;
    let head_b = s.login("head.b").await;
    let school_a = school_id(&head_a).await;
    let school_b = school_id(&head_b).await;

    assert_eq!(code(head_b.school(school_a).await), (404, "not_found".into()));
    assert_eq!(code(head_b.people(school_a, &ListParams::default()).await), (404, "not_found".into()));
    let a_person = head_a.people(school_a, &ListParams::default()).await.unwrap().items.remove(0);
    assert_eq!(code(head_b.person(a_person.id).await), (404, "not_found".into()));
    let newcomer = CreatePerson {
        given_name: "X".into(),
        family_name: "Y".into(),
        email: None,
        staff_role: StaffRole::Teacher,
        mis_id: None,
    };
    assert_eq!(code(head_b.create_person(school_a, &newcomer).await), (404, "not_found".into()));

    let schools = head_b.schools(&ListParams::default()).await.unwrap();
    assert_eq!(schools.items.iter().map(|s| s.id).collect::<Vec<_>>(), vec![school_b]);

    let cohort = demo_cohort(&head_b).await;
    let mine = all_enrolments(&head_b, cohort.id).await;
    assert!(!mine.is_empty() && mine.iter().all(|e| e.school_id == school_b));
    let theirs = all_enrolments(&head_a, cohort.id).await;
    let target = theirs.iter().find(|e| e.status == EnrolmentStatus::Active).expect("an active enrolment at A");
    assert_eq!(code(head_b.enrolment(target.id).await), (404, "not_found".into()));
    assert_eq!(code(head_b.withdraw(target.id, WithdrawalReasonKind::Workload, None).await), (404, "not_found".into()));
    assert_eq!(code(head_b.transition(target.id, TransitionKind::Defer).await), (404, "not_found".into()));
    // Nominating another school's person does not even confirm they exist.
    assert_eq!(code(head_b.enrol(cohort.id, a_person.id).await), (422, "unknown_person".into()));
    // Nothing changed.
    assert_eq!(head_a.enrolment(target.id).await.unwrap().status, EnrolmentStatus::Active);

    // The trust admin sees all four schools; a made-up id is simply not found.
    let trust = s.login("trust").await;
    assert_eq!(trust.schools(&ListParams::default()).await.unwrap().items.len(), 4);
    assert_eq!(code(trust.school(Uuid::now_v7()).await), (404, "not_found".into()));
}

async fn participant_sees_only_themself(backend: Backend) {
    let s = TestServer::start(backend);
    let p = s.login("participant.a").await;
    let Me::User(me) = p.me().await.unwrap() else { panic!() };
    let school = me.school_id.unwrap();
    assert_eq!(code(p.people(school, &ListParams::default()).await), (403, "forbidden".into()));
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
    assert_eq!(p.person(me.person_id.unwrap()).await.unwrap().id, me.person_id.unwrap());

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
    assert_eq!(code(p.enrolment(colleague.id).await), (404, "not_found".into()));
    assert_eq!(code(p.person(colleague.person_id).await), (404, "not_found".into()));
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
    let before = admin.schools(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    let trust_id =
        admin.organisations().await.unwrap().items.into_iter().find(|o| o.kind == OrganisationKind::Trust).unwrap().id;

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
            json!({"urn": "100001", "name": "x".repeat(300_000), "phase": "primary"}).to_string(),
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
    let after = admin.schools(&ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    assert_eq!(after, before + 1, "only the one valid school was written");

    // A cohort that ends before it starts: every fault listed, nothing written.
    let programme = admin.programmes().await.unwrap().items.remove(0);
    let cohorts_before = admin.cohorts(&ListParams::default()).await.unwrap().items.len();
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
    assert_eq!(admin.cohorts(&ListParams::default()).await.unwrap().items.len(), cohorts_before);

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
    let first = admin.schools(&ListParams { cursor: Some(String::new()), ..Default::default() }).await.unwrap();
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

    let e = head_b.enrol(cohort.id, person.id).await.unwrap();
    assert_eq!(e.status, EnrolmentStatus::Nominated);
    assert_eq!(e.person_name, "Ivy Moss");
    assert_eq!(code(head_b.enrol(cohort.id, person.id).await), (409, "already_enrolled".into()));
    let e = head_b.transition(e.id, TransitionKind::Approve).await.unwrap();
    assert_eq!(e.status, EnrolmentStatus::Approved);
    // Activation belongs to the provider, not the school.
    assert_eq!(code(head_b.transition(e.id, TransitionKind::Activate).await), (403, "forbidden".into()));
    let e = fac.transition(e.id, TransitionKind::Activate).await.unwrap();
    let e = head_b.transition(e.id, TransitionKind::Defer).await.unwrap();
    assert_eq!((e.status, e.deferred_from), (EnrolmentStatus::Deferred, Some(EnrolmentStatus::Active)));
    let e = head_b.transition(e.id, TransitionKind::Resume).await.unwrap();
    assert_eq!((e.status, e.deferred_from), (EnrolmentStatus::Active, None));
    assert_eq!(code(fac.transition(e.id, TransitionKind::Approve).await), (409, "illegal_transition".into()));

    assert_eq!(
        code(fac.withdraw(e.id, WithdrawalReasonKind::Other, Some("  ")).await),
        (422, "details_required".into())
    );
    assert_eq!(
        fac.enrolment(e.id).await.unwrap().status,
        EnrolmentStatus::Active,
        "a refused withdrawal changes nothing"
    );
    let e = fac.withdraw(e.id, WithdrawalReasonKind::Other, Some("Moving to a school abroad")).await.unwrap();
    assert_eq!(e.status, EnrolmentStatus::Withdrawn);
    assert_eq!(
        e.withdrawal_reason,
        Some(WithdrawalReason { kind: WithdrawalReasonKind::Other, details: Some("Moving to a school abroad".into()) })
    );
    assert!(e.allowed_transitions.is_empty());
    assert_eq!(code(fac.transition(e.id, TransitionKind::Resume).await), (409, "illegal_transition".into()));
    // Withdrawal keeps the record: the school still sees it.
    assert_eq!(head_b.enrolment(e.id).await.unwrap().status, EnrolmentStatus::Withdrawn);
}

async fn lists_page_with_cursors_and_filter_by_updated_since(backend: Backend) {
    let s = TestServer::start(backend);
    let fac = s.login("facilitator").await;
    let cohort = demo_cohort(&fac).await;
    let mut seen = vec![];
    let mut params = ListParams { limit: Some(5), ..Default::default() };
    let mut sizes = vec![];
    loop {
        let page = fac.enrolments(cohort.id, &params).await.unwrap();
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
    assert_eq!(code(fac.enrolments(cohort.id, &bad).await), (400, "invalid_cursor".into()));
    assert_eq!(
        code(fac.enrolments(cohort.id, &ListParams { limit: Some(0), ..Default::default() }).await),
        (400, "invalid_limit".into())
    );

    // Delta sync: only what changed since a moment.
    let mark = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let since = ListParams { updated_since: Some(mark), ..Default::default() };
    assert!(fac.enrolments(cohort.id, &since).await.unwrap().items.is_empty());
    let active = fac
        .enrolments(cohort.id, &ListParams { limit: Some(200), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|e| e.status == EnrolmentStatus::Active)
        .unwrap();
    fac.transition(active.id, TransitionKind::Complete).await.unwrap();
    let changed = fac.enrolments(cohort.id, &since).await.unwrap().items;
    assert_eq!(changed.iter().map(|e| e.id).collect::<Vec<_>>(), vec![active.id]);
}

async fn repeated_failed_sign_ins_are_throttled(backend: Backend) {
    let s = TestServer::start(backend);
    let anon = s.client();
    for _ in 0..10 {
        assert_eq!(code(anon.login("head.b@trellis.test", "guess").await), (401, "invalid_credentials".into()));
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
    s.login("head.a").await.me().await.unwrap();
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
        assert_eq!(code(anon.client_token("demo-mis", "guess", None).await), (401, "invalid_client".into()));
    }
    assert_eq!(
        code(anon.client_token("demo-mis", "trellis-demo-secret", None).await),
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
    let before = head.people(school, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
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
    let after = head.people(school, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items.len();
    assert_eq!(after, before + 24);
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
