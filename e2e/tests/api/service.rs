//! The service as a whole: health, refusals of bad input, date ranges, concurrency, the SPA's assets.

use serde_json::json;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    health_reports_status_version_and_backend,
    bad_input_gets_a_distinct_problem_and_writes_nothing,
    out_of_range_dates_are_refused_before_they_reach_the_database,
    concurrent_writes_all_land,
);

async fn health_reports_status_version_and_backend(backend: Backend) {
    let s = TestServer::start(backend);
    let h = s.client().get_health().await.unwrap();
    assert_eq!(h.status, "ok");
    assert_eq!(h.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(h.backend, if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
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
        latitude: Some(51.4816),
        longitude: Some(-3.1791),
    };
    // Coordinates come both or neither, and on the Earth.
    let half = CreateSchool { longitude: None, ..school.clone() };
    assert_eq!(code(admin.create_school(&half).await), (422, "invalid_coordinates".into()));
    let off = CreateSchool { latitude: Some(91.0), ..school.clone() };
    assert_eq!(code(admin.create_school(&off).await).0, 422);
    let made = admin.create_school(&school).await.unwrap();
    assert_eq!((made.latitude, made.longitude), (Some(51.4816), Some(-3.1791)));
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

/// The integrators' guide is served beside the API reference, whole: nothing loaded from
/// elsewhere, the verification examples of `docs/examples/` set into it as they are.
#[tokio::test]
async fn the_integrators_guide_is_served_offline_with_the_tested_examples() {
    let s = TestServer::start(Backend::Sqlite);
    let res = reqwest::get(format!("{}/api/docs/integrators", s.base)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let page = res.text().await.unwrap();
    for section in ["Authentication", "Paging", "Deltas and tombstones", "Idempotency", "Rate limits", "Webhooks"] {
        assert!(page.contains(&format!(">{section}</h2>")), "no {section} section");
    }
    assert!(!page.contains("<script") && !page.contains(" src=") && !page.contains("<link"), "it loads something");
    let escape = |t: &str| t.trim_end().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    for example in ["verify_webhook.py", "verify_webhook.sh"] {
        let text =
            std::fs::read_to_string(format!("{}/../docs/examples/{example}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert!(page.contains(&escape(&text)), "{example} is not on the page as it is");
    }
    // The reference links to it.
    let spec = s.client().get_bytes("/openapi.json").await.unwrap();
    assert!(String::from_utf8(spec).unwrap().contains("(/api/docs/integrators)"));
}
