//! Per-client rate limits, counted in the database: two API nodes on one database share a
//! client's count, the request over the limit gets 429 `rate_limited` with `Retry-After`, every
//! answer says what is left, and the client's managers read its usage.

use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;

use crate::support::*;

on_both_backends!(a_clients_limit_holds_across_nodes_and_its_usage_is_counted);

async fn get(base: &str, token: &str) -> reqwest::Response {
    reqwest::Client::new().get(format!("{base}/api/v1/me")).bearer_auth(token).send().await.unwrap()
}

fn header(r: &reqwest::Response, name: &str) -> u32 {
    r.headers().get(name).unwrap_or_else(|| panic!("no {name}")).to_str().unwrap().parse().unwrap()
}

async fn a_clients_limit_holds_across_nodes_and_its_usage_is_counted(backend: Backend) {
    let s = TestServer::start(backend);
    let other = s.another_node();
    let trust = s.login("trust").await;
    let Me::User(me) = trust.get_me().await.unwrap() else { panic!("a user") };
    let made = trust
        .create_machine_client(&CreateMachineClient {
            name: "Rate-limited dashboard".into(),
            scopes: vec![Scope::ProgressRead],
            trust_id: me.organisation_id,
            school_ids: vec![],
            rate_limit_per_minute: Some(6),
        })
        .await
        .unwrap();
    assert_eq!(made.client.rate_limit_per_minute, 6);
    let token =
        s.client().create_client_token(&made.client.client_id, &made.client_secret, None).await.unwrap().access_token;
    // The limit is per minute: start well inside one, so the window does not turn mid-test.
    let second = chrono::Utc::now().timestamp() % 60;
    if second > 45 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - second) as u64)).await;
    }

    // Six requests, alternating between the nodes, count down one limit.
    for i in 0..6u32 {
        let base = if i % 2 == 0 { &s.base } else { &other.base };
        let r = get(base, &token).await;
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(header(&r, "ratelimit-limit"), 6);
        assert_eq!(header(&r, "ratelimit-remaining"), 5 - i, "request {i}");
        assert!((1..=60).contains(&header(&r, "ratelimit-reset")));
    }
    // The seventh, on either node, is refused until the minute turns.
    for base in [&s.base, &other.base] {
        let r = get(base, &token).await;
        assert_eq!(r.status(), 429);
        let wait = header(&r, "retry-after");
        assert!((1..=60).contains(&wait), "Retry-After {wait}");
        assert_eq!(header(&r, "ratelimit-remaining"), 0);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["code"], "rate_limited");
    }
    // Users are not limited by it, nor is another client.
    let mis = s.mis().await;
    for _ in 0..8 {
        mis.get_me().await.unwrap();
    }

    // The client's managers read its usage; other trusts' admins and other clients cannot.
    let usage = trust.get_machine_client_usage(made.client.id, Some(30)).await.unwrap();
    assert_eq!(usage.rate_limit_per_minute, 6);
    assert_eq!(usage.this_minute, 8);
    assert_eq!(usage.days.len(), 1);
    assert_eq!((usage.days[0].requests, usage.days[0].refused), (8, 2));
    assert_eq!(usage.days[0].day, chrono::Utc::now().date_naive());
    assert_eq!(code(mis.get_machine_client_usage(made.client.id, None).await), (404, "not_found".into()));
    let head_b = s.login("head.b").await;
    assert_eq!(code(head_b.get_machine_client_usage(made.client.id, None).await), (404, "not_found".into()));
    assert_eq!(code(trust.get_machine_client_usage(made.client.id, Some(91)).await), (400, "invalid_query".into()));
}
