//! The access sweep, driven by the committed OpenAPI document: every operation that declares
//! security is tried without a token, by a trust admin of another trust, and by a participant of
//! the same trust on a colleague's objects. A new secured operation is swept without editing this
//! file; only a new kind of path id (`/{segment}/{id}`) needs teaching (`ids_for`).
//!
//! What must hold, for every secured operation:
//! - no token → 401 `application/problem+json`;
//! - on a victim's object (path ids of participant A's enrolment, person, school, feed…): a read
//!   is refused (403/404) or answers 200 without any of the victim's private ids; a write is refused
//!   (400/403/404/422 — never 409, which would tell the object's state, never 2xx or 5xx);
//! - without path ids: never 5xx, and a 200 read holds none of the victim's private ids;
//! - after the whole sweep, everything the victims own reads exactly as before.

use reqwest::Method;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use trellis_e2e::{Backend, PASSWORD, TestServer, on_both_backends};
use uuid::Uuid;

on_both_backends!(every_secured_operation_refuses_strangers);

/// One operation of the committed document.
struct Operation {
    id: String,
    method: Method,
    /// Under `/api/v1` (or, for the OneRoster read, its own `/ims/…` path), with `{…}` placeholders.
    path: String,
    body: Option<Value>,
}

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec/openapi.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn secured_operations(spec: &Value, ids: &Ids) -> Vec<Operation> {
    let mut out = vec![];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
            if op["security"].as_array().is_none_or(|s| s.is_empty()) {
                continue;
            }
            let path = match path.strip_prefix("/api/v1") {
                Some(p) => p.to_owned(),
                None => {
                    assert!(path.starts_with("/ims/oneroster/"), "secured operations live under /api/v1: {path}");
                    path.clone()
                }
            };
            let body = op["requestBody"]["content"]["application/json"]["schema"]
                .as_object()
                .map(|schema| example(spec, &Value::Object(schema.clone()), "", ids));
            out.push(Operation { id: op["operationId"].as_str().unwrap().to_owned(), method, path, body });
        }
    }
    // Signing out ends the attacker's own session: last, so every other operation is tried first.
    out.sort_by_key(|o| o.id == "delete_session");
    out
}

/// The victims' ids, by the kind of object they name.
#[derive(Clone)]
struct Ids {
    enrolment: Uuid,
    person: Uuid,
    school: Uuid,
    trust: Uuid,
    cohort: Uuid,
    programme: Uuid,
    session: Uuid,
    feed: Uuid,
    /// Participant A's account and role.
    user: Uuid,
    role: Uuid,
    /// School A's MIS client, and the invitation school A's head sent.
    client: Uuid,
    invitation: Uuid,
    /// Participant A's project and its impact measure, a portfolio entry and a file it holds.
    project: Uuid,
    measure: Uuid,
    entry: Uuid,
    file: Uuid,
    /// Grace Adeyemi's certificate (school C): nobody attacking here may see or change it.
    certificate: Uuid,
    /// Imran Malik's final-assessment submission (school B), awaiting its mark.
    submission: Uuid,
    /// Participant A's open end-of-programme 360 round, and a rater nominated in it.
    round: Uuid,
    rater: Uuid,
    /// School A's MIS client's webhook subscription (switched off) and a delivery waiting in it.
    webhook: Uuid,
    delivery: Uuid,
    /// The demo partnership round, and school A's need on it (a colleague from B matched to it).
    partnership_round: Uuid,
    partnership_need: Uuid,
    /// Support the trust allocated school A.
    support: Uuid,
    /// An evidence file in school A's draft self-assessment.
    expectation_file: Uuid,
}

impl Ids {
    /// The id a path segment such as `/enrolments/{id}` names.
    fn for_segment(&self, segment: &str) -> Uuid {
        match segment {
            "enrolments" => self.enrolment,
            "people" | "participants" => self.person,
            "schools" => self.school,
            "organisations" => self.trust,
            "cohorts" => self.cohort,
            "programmes" => self.programme,
            "sessions" => self.session,
            "calendar-feeds" => self.feed,
            "users" => self.user,
            "roles" => self.role,
            "clients" => self.client,
            "invitations" => self.invitation,
            "projects" => self.project,
            "impact-measures" => self.measure,
            "portfolio-entries" => self.entry,
            "files" => self.file,
            "certificates" => self.certificate,
            "submissions" => self.submission,
            "diagnostic-rounds" => self.round,
            "raters" => self.rater,
            "webhooks" => self.webhook,
            "deliveries" => self.delivery,
            "partnership-rounds" => self.partnership_round,
            "partnership-needs" => self.partnership_need,
            // `/partnership-rounds/{id}/offers/{person_id}`: participant A's offer.
            "offers" => self.person,
            "support-allocations" => self.support,
            "expectation-files" => self.expectation_file,
            other => panic!("the access sweep does not know which object `/{other}/{{id}}` names: teach `Ids`"),
        }
    }

    /// The id a body field of this name most likely wants: the victim's, where there is one.
    fn for_field(&self, field: &str) -> Uuid {
        match field {
            "enrolment_id" | "team" => self.enrolment,
            f if f.ends_with("person_id") => self.person,
            "organisation_id" | "trust_id" | "provider_id" => self.trust,
            "cohort_id" => self.cohort,
            "programme_id" => self.programme,
            "session_id" => self.session,
            "role_id" => self.role,
            _ => self.school,
        }
    }

    /// Ids no attacker here may see anywhere: participant A's enrolment, person, feed, account and
    /// role, and school A's client and invitation.
    fn private(&self) -> Vec<String> {
        [
            self.enrolment,
            self.person,
            self.feed,
            self.user,
            self.role,
            self.client,
            self.invitation,
            self.project,
            self.measure,
            self.entry,
            self.file,
            self.certificate,
            self.submission,
            self.round,
            self.rater,
            self.webhook,
            self.delivery,
            self.support,
            self.expectation_file,
        ]
        .iter()
        .map(Uuid::to_string)
        .collect()
    }
}

fn fill_path(path: &str, ids: &Ids) -> String {
    let mut out = String::new();
    let mut previous = "";
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        if segment == "{position}" {
            // A numbered part of the object before it (a submission's first document).
            out.push('1');
        } else if segment == "{term}" {
            // A term of the school's expectations reviews (the demo's current one).
            out.push_str("2026-autumn");
        } else if segment == "{side}" {
            out.push_str("school");
        } else if segment.starts_with('{') {
            out.push_str(&ids.for_segment(previous).to_string());
        } else {
            out.push_str(segment);
        }
        previous = segment;
    }
    out
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.strip_prefix("#/components/schemas/").expect("local schema reference");
            resolve(spec, &spec["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// A small value the schema accepts (required properties only), ids chosen as the victim's.
fn example(spec: &Value, schema: &Value, field: &str, ids: &Ids) -> Value {
    let schema = resolve(spec, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema[key].as_array().and_then(|a| a.iter().find(|s| s["type"] != "null")) {
            return example(spec, first, field, ids);
        }
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(o) = example(spec, part, field, ids) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|a| a.first()) {
        return first.clone();
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").and_then(Value::as_str).unwrap_or("null"),
        Value::String(k) => k.as_str(),
        _ if schema["properties"].is_object() => "object",
        _ => "null",
    };
    match kind {
        "object" => {
            let mut out = Map::new();
            for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                out.insert(name.to_owned(), example(spec, &schema["properties"][name], name, ids));
            }
            Value::Object(out)
        }
        "array" => {
            let n = schema["minItems"].as_u64().unwrap_or(0).max(1);
            Value::Array((0..n).map(|_| example(spec, &schema["items"], field, ids)).collect())
        }
        "string" => match schema["format"].as_str() {
            Some("uuid") => json!(ids.for_field(field)),
            Some("date") => json!("2026-11-02"),
            Some("date-time") => json!("2026-11-02T10:00:00Z"),
            _ => json!("x".repeat(schema["minLength"].as_u64().unwrap_or(1).max(1) as usize)),
        },
        "integer" | "number" => json!(schema["minimum"].as_f64().unwrap_or(1.0) as i64),
        "boolean" => json!(false),
        _ => Value::Null,
    }
}

async fn call(
    s: &TestServer,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, String, Value) {
    let prefix = if path.starts_with("/ims/") { "" } else { "/api/v1" };
    let mut req = reqwest::Client::new().request(method, format!("{}{prefix}{path}", s.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, res.json().await.unwrap_or(Value::Null))
}

async fn token(s: &TestServer, email: &str) -> String {
    let (status, _, body) =
        call(s, None, Method::POST, "/auth/login", Some(&json!({ "email": email, "password": PASSWORD }))).await;
    assert_eq!(status, 200, "sign in as {email}: {body}");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn get(s: &TestServer, token: &str, path: &str) -> Value {
    let (status, _, body) = call(s, Some(token), Method::GET, path, None).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// A trust admin of a second trust, invited by the platform admin and accepted through the link
/// in the outbox (no SMTP server here: the message waits there): the stranger of the sweep.
async fn outsider(s: &TestServer, admin: &str) -> String {
    let (status, _, org) = call(
        s,
        Some(admin),
        Method::POST,
        "/organisations",
        Some(&json!({ "name": "Elsewhere Trust", "kind": "trust" })),
    )
    .await;
    assert_eq!(status, 201, "{org}");
    let invite = json!({
        "email": "elsewhere@trellis.test", "display_name": "Elsewhere Admin", "role": "trust_admin",
        "organisation_id": org["id"],
    });
    let (status, _, body) = call(s, Some(admin), Method::POST, "/invitations", Some(&invite)).await;
    assert_eq!(status, 201, "{body}");
    let outbox = get(s, admin, "/outbox").await;
    let text = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["to"] == "elsewhere@trellis.test")
        .and_then(|m| m["text_body"].as_str())
        .expect("the invitation waits in the outbox")
        .to_owned();
    let token = text.split("#token=").nth(1).unwrap().split_whitespace().next().unwrap();
    let accept = json!({ "token": token, "password": "an outsider's long passphrase" });
    let (status, _, pair) = call(s, None, Method::POST, "/invitation-links/accept", Some(&accept)).await;
    assert_eq!(status, 200, "{pair}");
    pair["access_token"].as_str().unwrap().to_owned()
}

/// Everything the victims own, as they (or the platform admin) read it.
async fn snapshot(
    s: &TestServer,
    admin: &str,
    victim: &str,
    mis: &trellis_client::Client,
    ids: &Ids,
) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let sub = mis.get_webhook_subscription(ids.webhook).await.unwrap();
    out.insert("the MIS client's webhook".into(), serde_json::to_value(sub).unwrap());
    let log = mis.get_webhook_delivery(ids.webhook, ids.delivery).await.unwrap();
    out.insert("the MIS client's webhook delivery".into(), serde_json::to_value(log).unwrap());
    for path in [
        format!("/enrolments/{}", ids.enrolment),
        format!("/enrolments/{}/coaching-sessions", ids.enrolment),
        format!("/enrolments/{}/attendance", ids.enrolment),
        format!("/people/{}", ids.person),
        format!("/schools/{}", ids.school),
        format!("/schools/{}/people?limit=200", ids.school),
        format!("/organisations/{}", ids.trust),
        format!("/cohorts/{}", ids.cohort),
        format!("/cohorts/{}/enrolments?limit=200", ids.cohort),
        format!("/cohorts/{}/sessions?limit=200", ids.cohort),
        format!("/cohorts/{}/groups", ids.cohort),
        format!("/sessions/{}/attendance", ids.session),
        format!("/programmes/{}", ids.programme),
        format!("/users/{}", ids.user),
        "/clients?limit=200".to_owned(),
        "/invitations?limit=200".to_owned(),
        format!("/partnership-rounds/{}", ids.partnership_round),
        format!("/partnership-rounds/{}/needs", ids.partnership_round),
        format!("/partnership-needs/{}", ids.partnership_need),
        format!("/organisations/{}/expectations", ids.trust),
        format!("/schools/{}/expectations/2026-autumn", ids.school),
        format!("/schools/{}/expectations", ids.school),
        format!("/schools/{}/support", ids.school),
        format!("/cohorts/{}/evaluation", ids.cohort),
    ] {
        out.insert(path.clone(), get(s, admin, &path).await);
    }
    for path in [
        format!("/enrolments/{}/report-draft", ids.enrolment),
        "/calendar-feeds".to_owned(),
        format!("/projects/{}", ids.project),
        format!("/enrolments/{}/portfolio-entries", ids.enrolment),
        format!("/portfolio-entries/{}", ids.entry),
        format!("/enrolments/{}/diagnostic-rounds", ids.enrolment),
        format!("/diagnostic-rounds/{}/self-review", ids.round),
        format!("/enrolments/{}/diagnostic-report", ids.enrolment),
    ] {
        out.insert(format!("{path} (as the participant)"), get(s, victim, &path).await);
    }
    out
}

async fn every_secured_operation_refuses_strangers(backend: Backend) {
    let s = TestServer::start(backend);
    let admin = token(&s, "admin@trellis.test").await;
    let victim = token(&s, "participant.a@trellis.test").await;

    // The victim's objects.
    let me = get(&s, &victim, "/me").await;
    let person: Uuid = serde_json::from_value(me["person_id"].clone()).unwrap();
    let school: Uuid = serde_json::from_value(me["school_id"].clone()).unwrap();
    let cohorts = get(&s, &victim, "/cohorts?limit=200").await;
    let cohort = cohorts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == trellis_e2e::DEMO_COHORT_NAME)
        .expect("demo cohort")
        .clone();
    let own = get(&s, &victim, &format!("/cohorts/{}/enrolments", cohort["id"].as_str().unwrap())).await;
    let enrolment = own["items"][0]["id"].as_str().expect("participant A's enrolment").parse().unwrap();
    let sessions = get(&s, &victim, &format!("/cohorts/{}/sessions?limit=200", cohort["id"].as_str().unwrap())).await;
    let session = sessions["items"][0]["id"].as_str().expect("a session").parse().unwrap();
    let school_row = get(&s, &admin, &format!("/schools/{school}")).await;
    let (status, _, feed) = call(&s, Some(&victim), Method::POST, "/calendar-feeds", Some(&json!({}))).await;
    assert_eq!(status, 201, "{feed}");
    let ids = Ids {
        enrolment,
        person,
        school,
        trust: school_row["trust_id"].as_str().expect("school A is in a trust").parse().unwrap(),
        cohort: cohort["id"].as_str().unwrap().parse().unwrap(),
        programme: cohort["programme_id"].as_str().unwrap().parse().unwrap(),
        session,
        feed: feed["id"].as_str().unwrap().parse().unwrap(),
        user: serde_json::from_value(me["user_id"].clone()).unwrap(),
        role: serde_json::from_value(me["role_id"].clone()).unwrap(),
        client: {
            let clients = get(&s, &admin, "/clients?limit=200").await;
            let mis = clients["items"].as_array().unwrap().iter().find(|c| c["client_id"] == "demo-mis").unwrap();
            mis["id"].as_str().unwrap().parse().unwrap()
        },
        invitation: {
            let invitations = get(&s, &admin, "/invitations?limit=200").await;
            let pending =
                invitations["items"].as_array().unwrap().iter().find(|i| i["school_id"] == school.to_string());
            pending.expect("the demo's pending invitation")["id"].as_str().unwrap().parse().unwrap()
        },
        project: Uuid::nil(),
        measure: Uuid::nil(),
        entry: Uuid::nil(),
        file: Uuid::nil(),
        certificate: Uuid::nil(),
        submission: Uuid::nil(),
        round: Uuid::nil(),
        rater: Uuid::nil(),
        webhook: Uuid::nil(),
        delivery: Uuid::nil(),
        partnership_round: Uuid::nil(),
        partnership_need: Uuid::nil(),
        support: Uuid::nil(),
        expectation_file: Uuid::nil(),
    };
    let project = get(&s, &victim, &format!("/enrolments/{enrolment}/project")).await;
    let entries = get(&s, &victim, &format!("/enrolments/{enrolment}/portfolio-entries")).await;
    let ids = Ids {
        project: project["id"].as_str().expect("the demo project").parse().unwrap(),
        measure: project["measures"][0]["id"].as_str().expect("its measure").parse().unwrap(),
        entry: entries["items"][0]["id"].as_str().expect("a portfolio entry").parse().unwrap(),
        ..ids
    };
    // Participant A's portfolio holds a file.
    let file = s
        .client()
        .with_token(&victim)
        .upload_evidence_file(ids.entry, "evidence.pdf", b"%PDF-1.4\n% private evidence\n")
        .await
        .expect("upload the victim's evidence");
    let ids = Ids { file: file.id, ..ids };
    let grace = s.login("lal.participant").await;
    let lal = grace.list_my_enrolments().await.unwrap().items.remove(0).enrolment.id;
    let ids = Ids { certificate: grace.get_enrolment_certificate(lal).await.unwrap().id, ..ids };
    let queue = s.login("assessor").await.list_assessor_queue().await.unwrap().items;
    let ids = Ids { submission: queue.first().expect("Imran's submission awaits marking").id, ..ids };
    let rounds = s.client().with_token(&victim).list_enrolment_diagnostic_rounds(enrolment).await.unwrap().items;
    let end = rounds.iter().find(|r| r.round == trellis_wire::RoundKind::End).expect("the demo's end round");
    let pending = end.raters.as_ref().unwrap().iter().find(|r| r.status == trellis_wire::RaterStatus::Invited);
    let ids = Ids { round: end.id, rater: pending.expect("a rater yet to answer").id, ..ids };
    // School A's MIS subscribes to webhooks; switched off, its waiting delivery stays as it is.
    let mis = s.mis().await;
    let hook = trellis_wire::CreateWebhookSubscription {
        url: "https://mis.example.org/trellis".into(),
        events: vec![trellis_wire::WebhookEventType::OutcomeRecorded],
        description: String::new(),
    };
    let webhook = mis.create_webhook_subscription(&hook).await.unwrap().subscription.id;
    let off = trellis_wire::UpdateWebhookSubscription { enabled: Some(false), ..Default::default() };
    mis.update_webhook_subscription(webhook, &off).await.unwrap();
    let delivery = mis.create_webhook_test_event(webhook).await.unwrap().id;
    let ids = Ids { webhook, delivery, ..ids };
    let rounds = get(&s, &admin, "/partnership-rounds").await;
    let partnership_round: Uuid = rounds["items"][0]["id"].as_str().expect("the demo round").parse().unwrap();
    let needs = get(&s, &admin, &format!("/partnership-rounds/{partnership_round}/needs")).await;
    let at_a = needs["items"].as_array().unwrap().iter().find(|n| n["school_id"] == school.to_string());
    let partnership_need = at_a.expect("school A's need")["id"].as_str().unwrap().parse().unwrap();
    let ids = Ids { partnership_round, partnership_need, ..ids };
    let support = get(&s, &admin, &format!("/schools/{school}/support")).await;
    let ids = Ids { support: support["items"][0]["id"].as_str().expect("school A's support").parse().unwrap(), ..ids };
    // School A's head files evidence in the school's draft self-assessment for spring.
    let head = s.login("head.a").await;
    let framework = head.get_expectation_framework(ids.trust).await.unwrap();
    let statement = framework.themes[0].statements[0].id;
    let spring: trellis_wire::TermKey = "2026-spring".parse().unwrap();
    let side = trellis_wire::AssessmentSide::School;
    let filed =
        head.upload_expectation_file(school, spring, side, statement, "minutes.pdf", b"%PDF-1.4\n% draft\n").await;
    let ids = Ids { expectation_file: filed.expect("school A's evidence file").id, ..ids };
    // Participant A writes a draft, so there is something private to protect.
    let (status, _, _) = call(
        &s,
        Some(&victim),
        Method::PUT,
        &format!("/enrolments/{enrolment}/report-draft"),
        Some(&json!({ "text": "My private draft." })),
    )
    .await;
    assert_eq!(status, 200);

    let operations = secured_operations(&spec(), &ids);
    assert!(operations.len() >= 50, "the sweep found only {} secured operations", operations.len());
    let strangers = [
        ("another trust's admin", outsider(&s, &admin).await),
        ("participant B", token(&s, "participant.b@trellis.test").await),
    ];
    let before = snapshot(&s, &admin, &victim, &mis, &ids).await;

    // 1. No token.
    let mut failures = vec![];
    for op in &operations {
        let path = fill_path(&op.path, &ids);
        let (status, ct, body) = call(&s, None, op.method.clone(), &path, op.body.as_ref()).await;
        if status != 401 || ct != "application/problem+json" {
            failures.push(format!("no token: {} {path} ({}) → {status} {ct} {body}", op.method, op.id));
        }
    }

    // 2. Strangers: another trust's admin, and participant B (same trust, another school).
    let private = ids.private();
    let mut tried = 0;
    for (who, token) in &strangers {
        for op in &operations {
            let path = fill_path(&op.path, &ids);
            let has_ids = op.path.contains('{');
            let (status, _, body) = call(&s, Some(token), op.method.clone(), &path, op.body.as_ref()).await;
            tried += 1;
            let text = body.to_string();
            let leaked: Vec<&String> = private.iter().filter(|id| text.contains(id.as_str())).collect();
            let read = op.method == Method::GET;
            let ok = match (read, has_ids) {
                _ if status >= 500 => false,
                (true, _) if status == 200 => leaked.is_empty(),
                (true, true) => matches!(status, 403 | 404),
                (false, true) => matches!(status, 400 | 403 | 404 | 422),
                (true, false) | (false, false) => true,
            };
            if !ok {
                failures.push(format!(
                    "{who}: {} {path} ({}) → {status}{} {text:.300}",
                    op.method,
                    op.id,
                    if leaked.is_empty() { String::new() } else { format!(" leaking {leaked:?}") }
                ));
            }
        }
    }

    // 3. Nothing the victims own changed.
    let after = snapshot(&s, &admin, &victim, &mis, &ids).await;
    for (path, value) in &before {
        if after.get(path) != Some(value) {
            failures.push(format!("{path} changed during the sweep:\n  before {value}\n  after  {}", after[path]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tried} stranger calls (and the no-token calls) went wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
