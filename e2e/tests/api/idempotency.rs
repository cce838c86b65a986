//! `Idempotency-Key` on POSTs (Stripe's semantics): a retry gets the first answer and does the work
//! once, a key reused for another request is refused, concurrent twins run once, keys belong to
//! their caller and expire after a day.

use diesel::prelude::*;
use serde_json::{Value, json};
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    a_retry_with_the_same_key_gets_the_first_answer_and_does_the_work_once,
    a_key_used_for_another_request_is_refused_until_it_expires,
    concurrent_twins_with_one_key_run_once,
);

struct Answer {
    status: u16,
    replayed: bool,
    body: Value,
}

async fn post(s: &TestServer, token: &str, path: &str, key: Option<&str>, body: &Value) -> Answer {
    let mut req = reqwest::Client::new().post(format!("{}/api/v1{path}", s.base)).bearer_auth(token).json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let replayed = res.headers().get("idempotent-replayed").is_some_and(|v| v == "true");
    Answer { status, replayed, body: res.json().await.unwrap_or(Value::Null) }
}

fn person(given: &str) -> Value {
    json!({"given_name": given, "family_name": "Retry", "staff_role": "teacher"})
}

async fn count_named(s: &TestServer, token: &str, school: Uuid, given: &str) -> usize {
    let c = s.client().with_token(token);
    let mut n = 0;
    let mut cursor = None;
    loop {
        let page = c.list_people(school, &ListParams { limit: Some(200), cursor, ..Default::default() }).await.unwrap();
        n += page.items.iter().filter(|p| p.given_name == given).count();
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return n,
        }
    }
}

async fn a_retry_with_the_same_key_gets_the_first_answer_and_does_the_work_once(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let token = mis.token().unwrap().to_owned();
    let school = school_id(&mis).await;
    let path = format!("/schools/{school}/people");
    let key = Uuid::new_v4().to_string();

    let first = post(&s, &token, &path, Some(&key), &person("Ida")).await;
    assert_eq!((first.status, first.replayed), (201, false), "{}", first.body);
    let again = post(&s, &token, &path, Some(&key), &person("Ida")).await;
    assert_eq!((again.status, again.replayed), (201, true));
    assert_eq!(again.body, first.body, "the same answer, the same person");
    assert_eq!(count_named(&s, &token, school, "Ida").await, 1);

    // Without a key, the same request is a second request (a duplicate MIS id would be refused;
    // this person has none).
    let unkeyed = post(&s, &token, &path, None, &person("Ida")).await;
    assert_eq!(unkeyed.status, 201);
    assert_eq!(count_named(&s, &token, school, "Ida").await, 2);

    // Refusals are answered again too: the same bad request, the same 422.
    let bad_key = Uuid::new_v4().to_string();
    let bad = json!({"given_name": "", "family_name": "Retry", "staff_role": "teacher"});
    let refused = post(&s, &token, &path, Some(&bad_key), &bad).await;
    let refused_again = post(&s, &token, &path, Some(&bad_key), &bad).await;
    assert_eq!((refused.status, refused_again.status, refused_again.replayed), (422, 422, true));
    assert_eq!(refused.body, refused_again.body);

    // A roster sync retried: the first result, not "everything unchanged", and nothing done twice.
    let roster = json!({"orgs": [{"sourcedId": "o", "type": "school", "identifier": "140001"}],
        "users": [{"sourcedId": "A-777", "givenName": "Uma", "familyName": "Retry",
                   "roles": [{"roleType": "primary", "role": "teacher", "org": {"sourcedId": "o"}}]}]});
    let sync_key = Uuid::new_v4().to_string();
    let synced = post(&s, &token, "/roster/sync", Some(&sync_key), &roster).await;
    let resynced = post(&s, &token, "/roster/sync", Some(&sync_key), &roster).await;
    assert_eq!(synced.body["users"][0]["outcome"], "created");
    assert_eq!((resynced.replayed, resynced.body.clone()), (true, synced.body.clone()));
    let fresh = post(&s, &token, "/roster/sync", Some(&Uuid::new_v4().to_string()), &roster).await;
    assert_eq!(fresh.body["users"][0]["outcome"], "unchanged");

    // Keys belong to their caller: another caller's same key is their own request.
    let lead = raw_token(&s, "head.a").await;
    let theirs = post(&s, &lead, &path, Some(&key), &person("Ida")).await;
    assert_eq!((theirs.status, theirs.replayed), (201, false));
    assert_ne!(theirs.body["id"], first.body["id"]);

    // The typed client sends a key on its POSTs.
    let once = mis.with_idempotency_key(Uuid::new_v4().to_string());
    let new = CreatePerson {
        given_name: "Ned".into(),
        family_name: "Retry".into(),
        email: None,
        staff_role: StaffRole::Teacher,
        mis_id: None,
    };
    let a = once.create_person(school, &new).await.unwrap();
    let b = once.create_person(school, &new).await.unwrap();
    assert_eq!((a.id, a.updated_at), (b.id, b.updated_at));
    assert_eq!(count_named(&s, &token, school, "Ned").await, 1);

    // A key that is not one.
    for bad in ["", "has space", &"k".repeat(256)] {
        let r = post(&s, &token, &path, Some(bad), &person("Ida")).await;
        assert_eq!((r.status, r.body["code"].as_str()), (400, Some("invalid_idempotency_key")), "{bad:?}");
    }
}

async fn a_key_used_for_another_request_is_refused_until_it_expires(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let token = mis.token().unwrap().to_owned();
    let school = school_id(&mis).await;
    let path = format!("/schools/{school}/people");
    let key = Uuid::new_v4().to_string();
    assert_eq!(post(&s, &token, &path, Some(&key), &person("Jan")).await.status, 201);
    let other = post(&s, &token, &path, Some(&key), &person("Kit")).await;
    assert_eq!((other.status, other.body["code"].as_str()), (422, Some("idempotency_key_reused")));
    assert_eq!(other.body["errors"][0]["field"], "Idempotency-Key");
    // Another path is another request too.
    let elsewhere = post(&s, &token, "/roster/sync", Some(&key), &json!({"users": []})).await;
    assert_eq!(elsewhere.body["code"], "idempotency_key_reused");
    assert_eq!(count_named(&s, &token, school, "Kit").await, 0, "a refused reuse does nothing");

    // A day later the key is free again.
    {
        use trellis_api::db::schema::idempotency_keys as k;
        let day_ago = chrono::Utc::now().naive_utc() - chrono::Duration::hours(25);
        diesel::update(k::table).set(k::created_at.eq(day_ago)).execute(&mut s.db()).unwrap();
    }
    let later = post(&s, &token, &path, Some(&key), &person("Kit")).await;
    assert_eq!((later.status, later.replayed), (201, false), "{}", later.body);
    assert_eq!(count_named(&s, &token, school, "Kit").await, 1);
}

async fn concurrent_twins_with_one_key_run_once(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let token = mis.token().unwrap().to_owned();
    let school = school_id(&mis).await;
    let path = format!("/schools/{school}/people");
    let key = Uuid::new_v4().to_string();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (base, token, path, key) = (s.base.clone(), token.clone(), path.clone(), key.clone());
            tokio::spawn(async move {
                let res = reqwest::Client::new()
                    .post(format!("{base}/api/v1{path}"))
                    .bearer_auth(token)
                    .header("Idempotency-Key", key)
                    .json(&person("Lou"))
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let retry_after = res.headers().get("retry-after").is_some();
                let body: Value = res.json().await.unwrap();
                (status, retry_after, body)
            })
        })
        .collect();
    let mut created = vec![];
    for t in tasks {
        let (status, retry_after, body) = t.await.unwrap();
        match status {
            201 => created.push(body["id"].clone()),
            409 => assert!(body["code"] == "idempotency_key_in_use" && retry_after, "{body}"),
            other => panic!("a twin answered {other}: {body}"),
        }
    }
    assert!(!created.is_empty());
    assert!(created.iter().all(|id| *id == created[0]), "every 201 is the one person: {created:?}");
    assert_eq!(count_named(&s, &token, school, "Lou").await, 1, "the work ran once");
}
