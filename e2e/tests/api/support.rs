//! Helpers the feature modules share: problems and codes from errors, demo lookups, raw HTTP.

use trellis_client::{Client, ClientError};
use trellis_e2e::TestServer;
use trellis_wire::*;
use uuid::Uuid;

pub(crate) fn code(r: Result<impl std::fmt::Debug, trellis_client::ClientError>) -> (u16, String) {
    let e = r.expect_err("expected an error");
    (e.status().unwrap_or(0), e.code().unwrap_or("").to_owned())
}

pub(crate) async fn demo_cohort(c: &Client) -> Cohort {
    let page = c.list_cohorts(&ListParams::default()).await.unwrap();
    page.items.into_iter().find(|c| c.name == trellis_e2e::DEMO_COHORT_NAME).expect("demo cohort")
}

pub(crate) async fn all_enrolments(c: &Client, cohort: Uuid) -> Vec<Enrolment> {
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

pub(crate) async fn school_id(c: &Client) -> Uuid {
    match c.get_me().await.unwrap() {
        Me::User(u) => u.school_id.expect("user has a school"),
        Me::Client(c) => c.school_ids[0],
    }
}

pub(crate) async fn raw(
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

/// Runs `n` requests made by `f` concurrently and returns their results in order.
pub(crate) async fn futures_join<F, Fut>(n: usize, f: F) -> Vec<u16>
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

/// The transitions an enrolment's event log recorded, in order, read from the database itself
/// (the API does not expose the log).
pub(crate) fn recorded_transitions(s: &TestServer, enrolment: Uuid) -> Vec<String> {
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
pub(crate) async fn at_once<F, Fut, T>(n: usize, f: F) -> Vec<(u16, String)>
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
pub(crate) fn one_winner(n: usize) -> Vec<(u16, String)> {
    let mut v = vec![(409, "illegal_transition".to_owned()); n - 1];
    v.insert(0, (200, String::new()));
    v
}

/// A raw JSON request; returns the status and the body.
pub(crate) async fn send_json(
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
pub(crate) fn field_errors(problem: &serde_json::Value) -> Vec<(String, String)> {
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

/// A JSON request with an optional `If-Match`; returns the status, the `ETag` and the body.
pub(crate) async fn versioned(
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

pub(crate) async fn raw_token(s: &TestServer, who: &str) -> String {
    let pair = s.client().create_session(&format!("{who}@trellis.test"), trellis_e2e::PASSWORD).await.unwrap();
    pair.access_token
}

pub(crate) fn problem(r: Result<impl std::fmt::Debug, ClientError>) -> Problem {
    match r.expect_err("expected an error") {
        ClientError::Api(p) => p,
        other => panic!("expected a problem, got {other:?}"),
    }
}

pub(crate) async fn enrolments(c: &Client, cohort: Uuid) -> Vec<Enrolment> {
    c.list_enrolments(cohort, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap().items
}

pub(crate) fn session(kind: SessionKind, title: &str, starts: &str, ends: &str) -> CreateSession {
    CreateSession {
        kind,
        title: title.into(),
        starts_at: starts.into(),
        ends_at: ends.into(),
        venue_school_id: None,
        venue_text: Some("Oakfield Primary School hall".into()),
        facilitator_person_id: None,
        led_by_enrolment_id: None,
        audience: None,
        group_id: None,
    }
}

pub(crate) fn mark(enrolment: Uuid, status: AttendanceStatus) -> RegisterEntry {
    RegisterEntry { enrolment_id: enrolment, status, days: None, minutes: None }
}

pub(crate) async fn requirement(c: &Client, enrolment: Uuid, id: &str, as_of: &str) -> Requirement {
    let p = c.get_enrolment_progress(enrolment, &ProgressParams { as_of: Some(as_of.parse().unwrap()) }).await.unwrap();
    p.progress.requirements.into_iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no {id}"))
}

/// The feed read by an independent, strict parser (Python's vobject with `validate=True`, from
/// tools/venv, which `make test` installs): each event's SUMMARY, unescaped.
pub(crate) fn strict_summaries(ics: &str) -> Vec<String> {
    use std::io::Write;
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/venv/bin/python");
    let script = "import sys, json, vobject\n\
        cal = vobject.readOne(sys.stdin.read(), validate=True)\n\
        print(json.dumps([e.summary.value for e in cal.vevent_list]))";
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{python} is missing ({e}): run `make py-tools` (make test does)"));
    child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "vobject refused the feed: {}\n{ics}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

pub(crate) fn events(ics: &str) -> Vec<(String, String, String)> {
    let unfolded = icalendar::parser::unfold(ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("the feed parses as iCalendar");
    cal.components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let prop =
                |n: &str| c.properties.iter().find(|p| p.name == n).map(|p| p.val.to_string()).unwrap_or_default();
            (prop("SUMMARY"), prop("DTSTART"), prop("STATUS"))
        })
        .collect()
}

/// The enrolments changed since `mark`, as an MIS syncing with `updated_since` sees them.
pub(crate) async fn changed_since(c: &Client, cohort: Uuid, mark: chrono::DateTime<chrono::Utc>) -> Vec<Uuid> {
    let params = ListParams { limit: Some(200), updated_since: Some(mark), ..Default::default() };
    let mut ids: Vec<Uuid> =
        c.list_enrolments(cohort, &params).await.unwrap().items.into_iter().map(|e| e.id).collect();
    ids.sort();
    ids
}

pub(crate) async fn settle() -> chrono::DateTime<chrono::Utc> {
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let mark = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    mark
}

pub(crate) async fn provider_id(c: &Client) -> Uuid {
    c.list_organisations().await.unwrap().items.into_iter().find(|o| o.kind == OrganisationKind::Provider).unwrap().id
}

pub(crate) async fn own_enrolment(s: &TestServer, who: &str) -> (Client, Enrolment) {
    let c = s.login(who).await;
    let cohort = demo_cohort(&c).await;
    let e = c.list_enrolments(cohort.id, &ListParams::default()).await.unwrap().items.remove(0);
    (c, e)
}

pub(crate) fn create(provider: Uuid, preset: Option<&str>, definition: Option<serde_json::Value>) -> CreateProgramme {
    CreateProgramme { name: "Test programme".into(), provider_id: provider, preset: preset.map(Into::into), definition }
}
